import { childStream } from '../child-case/child-case.events';
import type { SqlExecutor } from '../database/sql-database';
import type { EventStore } from '../event-store/event-store.port';
import type { Clock } from '../shared/clock';
import { noEntryFor } from '../notifications/directory';
import { childStreamView } from './child-stream-reader';
import { deadlineStillPending } from './deadline-handler';
import type { DeadlineQueue } from './deadline-queue';
import type { DeadlineSchedulerProcessor } from './deadline-scheduler.processor';
import type { EscalationNotifierProcessor } from './escalation-notifier.processor';

/** How long an e-mail is retried before it is a dead letter (8 attempts from 60 s, doubling), with room to spare. */
const NOTIFICATION_HORIZON = '7 days';

/** An escalation whose e-mails may not all have gone out: told no one, or raised within the horizon of now ($2). */
const MAY_HAVE_UNSENT = `(notified = '[]'::jsonb OR raised_at > $2::timestamptz - interval '${NOTIFICATION_HORIZON}')`;

/**
 * The children who may have a clock running or an e-mail still to send, from the read models:
 * an open episode, return work owed, a meeting action or a warning notice outstanding, an
 * escalation unacknowledged below the top tier ($3) that its clock has not yet escalated, or one
 * raised within the e-mails' retry horizon or told no one yet, in a district the directory lists
 * ($1, lower case; $2 now): the others' e-mails have no one to go to.
 */
const CHILDREN_WITH_PENDING_WORK = `
  SELECT child_id FROM rm_children WHERE open_episode_id IS NOT NULL
  UNION SELECT child_id FROM rm_return_work
   WHERE episode_status <> 'cancelled' AND interview_status NOT IN ('completed', 'declined') AND overdue_escalation_id IS NULL
  UNION SELECT m.child_id FROM rm_meeting_actions a JOIN rm_meetings m USING (meeting_id)
   WHERE a.completed_at IS NULL AND a.overdue_escalation_id IS NULL
  UNION SELECT child_id FROM rm_warning_notices WHERE served_at IS NULL AND overdue_escalation_id IS NULL
  UNION SELECT x.child_id FROM rm_escalations x
   WHERE x.acknowledged_at IS NULL AND x.tier < $3 AND NOT EXISTS (SELECT 1 FROM rm_escalations up WHERE up.escalates = x.escalation_id)
  UNION SELECT child_id FROM rm_escalations
   WHERE ${MAY_HAVE_UNSENT} AND lower(district) = ANY($1::text[])`;

/** The escalations of districts the directory does not list whose e-mails may not all have gone out: left out, by district. */
const LEFT_OUT_FOR_NO_ENTRY = `
  SELECT district, count(*)::int AS escalations FROM rm_escalations
   WHERE ${MAY_HAVE_UNSENT} AND NOT lower(district) = ANY($1::text[])
   GROUP BY district ORDER BY district`;

/** Children read and re-enqueued at once: their streams' reads overlap instead of queueing one behind another. */
const CHILDREN_AT_ONCE = 8;

export interface SweepResult {
  children: number;
  deadlines: number;
  escalations: number;
  /** Escalations whose e-mails have no one to go to (a district the directory lacks), and why. */
  skipped: number;
  skipReasons: string[];
}

/**
 * Puts back on Redis what only Redis held: the clocks still running and the e-mails not yet sent,
 * recomputed from each child's history exactly as the deadline scheduler and the notifier compute
 * them, with the same job ids. A job Redis still has is left alone (BullMQ ignores an add whose id
 * exists, in any state), so the sweep is safe to run at every start and every reconnection; after
 * a Redis that came back empty it re-adds each job once. Clocks that already raised their
 * escalation or whose work was done, and recipients already recorded as told, are skipped.
 */
export class RequeueSweep {
  constructor(
    private readonly db: SqlExecutor,
    private readonly store: EventStore,
    private readonly scheduler: DeadlineSchedulerProcessor,
    private readonly notifier: EscalationNotifierProcessor,
    private readonly deadlines: DeadlineQueue,
    private readonly clock: Clock,
  ) {}

  /** `stopped`: the service is shutting down; the sweep ends at the next child. */
  async run(stopped: () => boolean = () => false): Promise<SweepResult> {
    const listed = this.notifier.districtsWithRecipients();
    const now = this.clock.now();
    const children = await this.db.query<{ child_id: string }>(CHILDREN_WITH_PENDING_WORK, [listed, now, this.scheduler.policy.unacknowledged.maxTier]);
    const leftOut = await this.db.query<{ district: string; escalations: number }>(LEFT_OUT_FOR_NO_ENTRY, [listed, now]);
    const result: SweepResult = {
      children: children.length,
      deadlines: 0,
      escalations: 0,
      skipped: leftOut.reduce((sum, row) => sum + row.escalations, 0),
      skipReasons: leftOut.map((row) => noEntryFor(row.district)),
    };
    let next = 0;
    const sweepSome = async () => {
      while (next < children.length && !stopped()) await this.sweepChild(children[next++].child_id, result);
    };
    await Promise.all(Array.from({ length: CHILDREN_AT_ONCE }, sweepSome));
    return result;
  }

  private async sweepChild(childId: string, result: SweepResult): Promise<void> {
    const history = await this.store.readStream(childStream(childId));
    const view = childStreamView(history);
    const state = view.current;
    for (const event of history) {
      for (const deadline of this.scheduler.deadlinesSetBy(event)) {
        if (!deadlineStillPending(deadline, state)) continue;
        await this.deadlines.schedule(deadline, this.clock.now());
        result.deadlines++;
      }
    }
    // The notifier skips the recipients the history records as told, on the stream read here. An
    // escalation in a district the directory lacks is left out (counted by the query, not here).
    const raised = history.filter((event) => event.type === 'EscalationRaised');
    for (const event of raised) {
      if ((await this.notifier.enqueueUnsent(event, view)) === null) result.escalations++;
    }
  }
}
