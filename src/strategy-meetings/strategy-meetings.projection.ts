import { ReadSideIndexes } from '../database/read-side-indexes';
import { asStoredInJsonb } from '../database/stored-in-jsonb';
import type { SqlExecutor } from '../database/sql-database';
import { type CaseworkReadModel, valuesOf } from '../casework/casework-read-model';
import { type EventFollowedBy, FollowedEvents } from '../child-stream/followed-events';
import type { RecordedEvent } from '../event-store/event-store.port';
import { actionCompletion, type AgreedActionColumns, agreedActionRow, agreedActionsJsonSql } from '../casework/agreed-actions';
import { RowBatch } from '../database/row-batch';
import { eraseColumns, erasedCopy } from '../erasure/erase-read-models';
import { STRATEGY_MEETING_EVENT_TYPES } from './strategy-meeting.events';
import { LATEST_LIMIT } from '../escalation/dto';

/**
 * Strategy meetings as rows, whether the policy convened them or a coordinator called them: the
 * agenda, who attended, decisions, actions and their completion, the outcome and the closing.
 */
/** Its own events, the meetings the policy convenes and adds to, and the overdue-action escalation it marks. */
const FOLLOWED = FollowedEvents.of(...STRATEGY_MEETING_EVENT_TYPES, 'StrategyMeetingConvened', 'EpisodeAddedToMeetingAgenda', 'EscalationRaised')
  .readingPersonalDataOf(...STRATEGY_MEETING_EVENT_TYPES)
  .onlyWhere('EscalationRaised', 'rule', ['meeting-action-overdue']);

export const strategyMeetingsReadModel: CaseworkReadModel = {
  tables: ['rm_meetings', 'rm_meeting_actions'],
  reads: FOLLOWED.reads,
  readSideIndexes: new ReadSideIndexes({
    rm_meetings_open: `ON rm_meetings (convened_at) WHERE status <> 'closed'`,
    // The latest meetings of every child (the list without a child), without sorting them all.
    rm_meetings_latest: 'ON rm_meetings (convened_at)',
    rm_meeting_actions_open: 'ON rm_meeting_actions (due_date) WHERE completed_at IS NULL',
  }),

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS rm_meetings (
      meeting_id        uuid PRIMARY KEY,
      child_id          uuid NOT NULL,
      rule              text,
      reason            text,
      called_by         text,
      status            text NOT NULL,
      agencies          jsonb NOT NULL,
      agenda            jsonb NOT NULL DEFAULT '[]',
      figures           jsonb,
      convened_at       timestamptz NOT NULL,
      held_at           timestamptz,
      attendees         jsonb,
      absentees         jsonb,
      decisions         jsonb NOT NULL DEFAULT '[]',
      outcome           text,
      next_review_date  text,
      closed_at         timestamptz,
      closed_by         text
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS rm_meetings_by_child ON rm_meetings (child_id, convened_at)');
    await db.query(`CREATE TABLE IF NOT EXISTS rm_meeting_actions (
      action_id              uuid PRIMARY KEY,
      meeting_id             uuid NOT NULL,
      what                   text NOT NULL,
      owner                  text NOT NULL,
      agency                 text NOT NULL,
      due_date               text NOT NULL,
      completed_at           timestamptz,
      completed_by           text,
      note                   text,
      overdue_escalation_id  uuid
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS rm_meeting_actions_by_meeting ON rm_meeting_actions (meeting_id)');
    await this.readSideIndexes.create(db);
  },

  async erasePersonalData(childId: string, tx: SqlExecutor): Promise<void> {
    const meetings = await tx.query<{ meeting_id: string; decisions: object[] }>('SELECT meeting_id, decisions FROM rm_meetings WHERE child_id = $1', [childId]);
    for (const meeting of meetings) {
      const decisions = meeting.decisions.map((decision) => erasedCopy('MeetingDecisionRecorded', decision));
      await tx.query(`UPDATE rm_meetings SET ${eraseColumns('reason', 'outcome')}, decisions = $2 WHERE meeting_id = $1`, [
        meeting.meeting_id,
        JSON.stringify(decisions),
      ]);
      await tx.query(`UPDATE rm_meeting_actions SET ${eraseColumns('what', 'note')} WHERE meeting_id = $1`, [meeting.meeting_id]);
    }
  },

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const facts = FOLLOWED.in(events);
    if (facts.length === 0) return;
    const overdueActions = facts.map(({ event }) => (event.type === 'EscalationRaised' ? event.figures.actionId : null));
    const meetings = await new RowBatch<MeetingRow>('rm_meetings', MEETING_COLUMNS, ['meeting_id']).load(tx, 'meeting_id', valuesOf(facts, 'meetingId'));
    const actions = await new RowBatch<MeetingActionRow>('rm_meeting_actions', ACTION_COLUMNS, ['action_id']).load(tx, 'action_id', [
      ...valuesOf(facts, 'actionId'),
      ...overdueActions.filter((id) => typeof id === 'string'),
    ]);
    for (const { event, childId } of facts) applyToMeetings(meetings, actions, event, childId);
    await meetings.write(tx);
    await actions.write(tx);
  },
};

interface MeetingRow extends Record<string, unknown> {
  meeting_id: string;
  child_id: string;
  rule: string | null;
  reason: string | null;
  called_by: string | null;
  status: string;
  agencies: unknown;
  agenda: unknown[];
  figures: unknown;
  convened_at: string | Date;
  held_at: string | Date | null;
  attendees: unknown;
  absentees: unknown;
  decisions: unknown[];
  outcome: string | null;
  next_review_date: string | null;
  closed_at: string | Date | null;
  closed_by: string | null;
}

const MEETING_COLUMNS = `meeting_id uuid, child_id uuid, rule text, reason text, called_by text, status text, agencies jsonb, agenda jsonb,
  figures jsonb, convened_at timestamptz, held_at timestamptz, attendees jsonb, absentees jsonb, decisions jsonb, outcome text,
  next_review_date text, closed_at timestamptz, closed_by text`;

interface MeetingActionRow extends AgreedActionColumns, Record<string, unknown> {
  meeting_id: string;
  overdue_escalation_id: string | null;
}

const ACTION_COLUMNS = `action_id uuid, meeting_id uuid, what text, owner text, agency text, due_date text, completed_at timestamptz,
  completed_by text, note text, overdue_escalation_id uuid`;

function applyToMeetings(meetings: RowBatch<MeetingRow>, actions: RowBatch<MeetingActionRow>, event: EventFollowedBy<typeof FOLLOWED>, childId: string): void {
  const opened = { child_id: childId, status: 'open', held_at: null, attendees: null, absentees: null, decisions: [], outcome: null };
  const notClosed = { next_review_date: null, closed_at: null, closed_by: null };
  switch (event.type) {
    case 'StrategyMeetingConvened':
      meetings.insert({
        ...opened,
        ...notClosed,
        meeting_id: event.meetingId,
        rule: event.rule,
        reason: null,
        called_by: null,
        agencies: asStoredInJsonb(event.agencies),
        agenda: asStoredInJsonb(event.agenda),
        figures: asStoredInJsonb(event.figures),
        convened_at: event.convenedAt,
      });
      return;
    case 'StrategyMeetingCalled':
      meetings.insert({
        ...opened,
        ...notClosed,
        meeting_id: event.meetingId,
        rule: null,
        reason: event.reason,
        called_by: event.calledBy,
        agencies: asStoredInJsonb(event.agencies),
        agenda: [],
        figures: null,
        convened_at: event.calledAt,
      });
      return;
    case 'EpisodeAddedToMeetingAgenda':
      meetings.update([event.meetingId], (meeting) => ({ agenda: [...meeting.agenda, event.episodeId] }));
      return;
    case 'StrategyMeetingHeld':
      meetings.update([event.meetingId], { held_at: event.heldAt, attendees: asStoredInJsonb(event.attendees), absentees: asStoredInJsonb(event.absentees) });
      return;
    case 'MeetingDecisionRecorded': {
      const { type: _type, meetingId, ...decision } = event;
      meetings.update([meetingId], (meeting) => ({ decisions: [...meeting.decisions, asStoredInJsonb(decision)] }));
      return;
    }
    case 'MeetingActionAgreed':
      actions.insert({ ...agreedActionRow(event), meeting_id: event.meetingId, overdue_escalation_id: null });
      return;
    case 'MeetingActionCompleted':
      actions.update([event.actionId], actionCompletion(event));
      return;
    case 'MeetingOutcomeRecorded':
      meetings.update([event.meetingId], { outcome: event.outcome, next_review_date: event.nextReviewDate ?? null });
      return;
    case 'StrategyMeetingClosed':
      meetings.update([event.meetingId], { status: 'closed', closed_at: event.closedAt, closed_by: event.closedBy });
      return;
    case 'EscalationRaised':
      if (event.rule === 'meeting-action-overdue' && typeof event.figures.actionId === 'string') {
        actions.update([event.figures.actionId], { overdue_escalation_id: event.escalationId });
      }
      return;
  }
}

export interface MeetingFilter {
  childId?: string | null;
  /** At most this many, newest first (LATEST_LIMIT when left out). */
  limit?: number;
}

/** A child's meetings (or everyone's), newest first, each with its actions in due order. */
export function listStrategyMeetings(db: SqlExecutor, filter: MeetingFilter = {}) {
  return db.query(
    `SELECT m.meeting_id AS "meetingId", m.child_id AS "childId", m.rule, m.reason, m.called_by AS "calledBy", m.status,
            m.agencies, m.agenda, m.figures, m.convened_at AS "convenedAt", m.held_at AS "heldAt", m.attendees, m.absentees,
            m.decisions,
            ${agreedActionsJsonSql('rm_meeting_actions', 'a.meeting_id = m.meeting_id', ", 'completedBy', a.completed_by, 'note', a.note, 'overdueEscalationId', a.overdue_escalation_id")} AS actions,
            m.outcome, m.next_review_date AS "nextReviewDate", m.closed_at AS "closedAt", m.closed_by AS "closedBy"
       FROM rm_meetings m
      WHERE $1::uuid IS NULL OR m.child_id = $1::uuid
      ORDER BY m.convened_at DESC LIMIT $2`,
    [filter.childId ?? null, filter.limit ?? LATEST_LIMIT],
  );
}
