import { childIdOfStream } from '../children/child-summary.projection';
import type { ChildStreamEvent } from '../child-stream/child-stream';
import type { SqlExecutor } from '../database/sql-database';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { CaseworkReadModel } from '../casework/casework-read-model';
import { erasedCopy } from '../erasure/erase-read-models';

/** Each return and its casework as a row: the check, the interview, and whether it was escalated. */
export const returnWorkReadModel: CaseworkReadModel = {
  tables: ['rm_return_work'],

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS rm_return_work (
      episode_id             uuid PRIMARY KEY,
      child_id               uuid NOT NULL,
      returned_at            timestamptz NOT NULL,
      episode_status         text NOT NULL,
      safe_and_well          jsonb,
      interview_status       text NOT NULL,
      offers                 jsonb NOT NULL DEFAULT '[]',
      interview              jsonb,
      overdue_escalation_id  uuid
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS rm_return_work_by_child ON rm_return_work (child_id, returned_at)');
    // The dashboard's overdue interviews read only the returns still waiting for one.
    await db.query(`CREATE INDEX IF NOT EXISTS rm_return_work_awaiting_interview ON rm_return_work (returned_at)
      WHERE interview_status IN ('none', 'offered') AND episode_status <> 'cancelled'`);
  },

  async erasePersonalData(childId: string, tx: SqlExecutor): Promise<void> {
    const rows = await tx.query<{ episode_id: string; safe_and_well: object | null; offers: object[]; interview_status: string; interview: object | null }>(
      'SELECT episode_id, safe_and_well, offers, interview_status, interview FROM rm_return_work WHERE child_id = $1',
      [childId],
    );
    for (const row of rows) {
      const interviewType = row.interview_status === 'declined' ? 'ReturnInterviewDeclined' : 'ReturnInterviewCompleted';
      const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
      await tx.query('UPDATE rm_return_work SET safe_and_well = $2, offers = $3, interview = $4 WHERE episode_id = $1', [
        row.episode_id,
        json(erasedCopy('SafeAndWellCheckRecorded', row.safe_and_well)),
        json(row.offers.map((offer) => erasedCopy('ReturnInterviewOffered', offer))),
        json(erasedCopy(interviewType, row.interview)),
      ]);
    }
  },

  async apply(event: ChildStreamEvent, recorded: RecordedEvent, tx: SqlExecutor): Promise<void> {
    const recordedBy = recorded.metadata.actor.userId;
    const { type: _type, ...data } = event;
    const set = (sql: string, episodeId: string, ...params: unknown[]) =>
      tx.query(`UPDATE rm_return_work SET ${sql} WHERE episode_id = $1`, [episodeId, ...params]);
    switch (event.type) {
      case 'ChildReturned':
        await tx.query(
          `INSERT INTO rm_return_work (episode_id, child_id, returned_at, episode_status, interview_status)
           VALUES ($1, $2, $3, 'returned', 'none') ON CONFLICT (episode_id) DO NOTHING`,
          [event.episodeId, childIdOfStream(recorded.stream), event.returnedAt],
        );
        return;
      case 'EpisodeCancelled':
        await set(`episode_status = 'cancelled'`, event.episodeId);
        return;
      case 'EpisodeClosed':
        await set(`episode_status = 'closed'`, event.episodeId);
        return;
      case 'SafeAndWellCheckRecorded':
        await set('safe_and_well = $2', event.episodeId, JSON.stringify({ ...data, recordedBy }));
        return;
      case 'ReturnInterviewOffered':
        await set(`interview_status = 'offered', offers = offers || $2::jsonb`, event.episodeId, JSON.stringify([{ ...data, recordedBy }]));
        return;
      case 'ReturnInterviewCompleted':
        await set(`interview_status = 'completed', interview = $2`, event.episodeId, JSON.stringify({ ...data, recordedBy }));
        return;
      case 'ReturnInterviewDeclined':
        await set(`interview_status = 'declined', interview = $2`, event.episodeId, JSON.stringify({ ...data, recordedBy }));
        return;
      case 'EscalationRaised':
        if (event.rule === 'return-interview-overdue' && event.episodeId) {
          await set('overdue_escalation_id = $2', event.episodeId, event.escalationId);
        }
        return;
    }
  },
};
