import { ReadSideIndexes } from '../database/read-side-indexes';
import { asStoredInJsonb } from '../database/stored-in-jsonb';
import type { SqlExecutor } from '../database/sql-database';
import { type CaseworkReadModel, valuesOf } from '../casework/casework-read-model';
import { type ChildFact, type EventFollowedBy, FollowedEvents } from '../child-stream/followed-events';
import type { RecordedEvent } from '../event-store/event-store.port';
import { EVERY_DISTRICT, KeptCount } from '../database/kept-count';
import { RowBatch } from '../database/row-batch';
import { erasedCopy } from '../erasure/erase-read-models';
import { RETURN_WORK_EVENT_TYPES } from './return-work.events';

/** Each return and its casework as a row: the check, the interview, and whether it was escalated. */
/** Its own events, and the episode's end and the overdue-interview escalation it marks. */
const FOLLOWED = FollowedEvents.of(...RETURN_WORK_EVENT_TYPES, 'ChildReturned', 'EpisodeCancelled', 'EpisodeClosed', 'EscalationRaised')
  .readingPersonalDataOf(...RETURN_WORK_EVENT_TYPES)
  .onlyWhere('EscalationRaised', 'rule', ['return-interview-overdue']);

/**
 * A return still waiting for its interview, on rm_return_work's own columns: the partial index, its
 * kept count and the dashboard's queries share it, so the index serves them.
 */
export const AWAITING_INTERVIEW = `interview_status IN ('none', 'offered') AND episode_status <> 'cancelled'`;

/**
 * Returns still waiting for an interview, across every district (a row carries no district; one
 * district's count reads its own rows): the dashboard's force-wide count of them.
 */
export const RETURNS_AWAITING_INTERVIEW = new KeptCount<ReturnWorkRow>(
  'rm_return_work_awaiting_counts',
  { table: 'rm_return_work', district: `'${EVERY_DISTRICT}'`, countedInSql: AWAITING_INTERVIEW },
  (row) => (row.interview_status === 'none' || row.interview_status === 'offered') && row.episode_status !== 'cancelled',
  () => EVERY_DISTRICT,
);

export const returnWorkReadModel: CaseworkReadModel = {
  tables: ['rm_return_work', RETURNS_AWAITING_INTERVIEW.table],
  reads: FOLLOWED.reads,
  readSideIndexes: new ReadSideIndexes({
    // The dashboard's overdue interviews read only the returns still waiting for one.
    rm_return_work_awaiting_interview: `ON rm_return_work (returned_at) WHERE ${AWAITING_INTERVIEW}`,
  }),

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
    await this.readSideIndexes.create(db);
    await RETURNS_AWAITING_INTERVIEW.migrate(db);
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

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const facts = FOLLOWED.in(events);
    if (facts.length === 0) return;
    const rows = await new RowBatch<ReturnWorkRow>('rm_return_work', RETURN_WORK_COLUMNS, ['episode_id']).load(tx, 'episode_id', valuesOf(facts, 'episodeId'));
    for (const fact of facts) applyToReturnWork(rows, fact);
    await RETURNS_AWAITING_INTERVIEW.follow(rows, tx);
    await rows.write(tx);
  },
};

interface ReturnWorkRow extends Record<string, unknown> {
  episode_id: string;
  child_id: string;
  returned_at: string | Date;
  episode_status: string;
  safe_and_well: object | null;
  interview_status: string;
  offers: object[];
  interview: object | null;
  overdue_escalation_id: string | null;
}

const RETURN_WORK_COLUMNS = `episode_id uuid, child_id uuid, returned_at timestamptz, episode_status text, safe_and_well jsonb,
  interview_status text, offers jsonb, interview jsonb, overdue_escalation_id uuid`;

function applyToReturnWork(rows: RowBatch<ReturnWorkRow>, { event, recorded, childId }: ChildFact<EventFollowedBy<typeof FOLLOWED>>): void {
  // What one of the casework's own events records, and who recorded it: made for those alone, as
  // reading the metadata parses it.
  const asRecorded = () => {
    const { type: _type, ...data } = event;
    return asStoredInJsonb({ ...data, recordedBy: recorded.metadata.actor.userId });
  };
  switch (event.type) {
    case 'ChildReturned':
      rows.insert({
        episode_id: event.episodeId,
        child_id: childId,
        returned_at: event.returnedAt,
        episode_status: 'returned',
        safe_and_well: null,
        interview_status: 'none',
        offers: [],
        interview: null,
        overdue_escalation_id: null,
      });
      return;
    case 'EpisodeCancelled':
      rows.update([event.episodeId], { episode_status: 'cancelled' });
      return;
    case 'EpisodeClosed':
      rows.update([event.episodeId], { episode_status: 'closed' });
      return;
    case 'SafeAndWellCheckRecorded':
      rows.update([event.episodeId], { safe_and_well: asRecorded() });
      return;
    case 'ReturnInterviewOffered':
      rows.update([event.episodeId], (row) => ({ interview_status: 'offered', offers: [...row.offers, asRecorded()] }));
      return;
    case 'ReturnInterviewCompleted':
      rows.update([event.episodeId], { interview_status: 'completed', interview: asRecorded() });
      return;
    case 'ReturnInterviewDeclined':
      rows.update([event.episodeId], { interview_status: 'declined', interview: asRecorded() });
      return;
    case 'EscalationRaised':
      if (event.rule === 'return-interview-overdue' && event.episodeId) {
        rows.update([event.episodeId], { overdue_escalation_id: event.escalationId });
      }
      return;
  }
}
