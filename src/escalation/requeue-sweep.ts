import { childStream } from '../child-case/child-case.events';
import type { SqlExecutor } from '../database/sql-database';
import type { EventStore } from '../event-store/event-store.port';
import type { Clock } from '../shared/clock';
import { childStreamView } from './child-stream-reader';
import { deadlineStillPending } from './deadline-handler';
import type { DeadlineQueue } from './deadline-queue';
import type { DeadlineSchedulerProcessor } from './deadline-scheduler.processor';
import type { EscalationNotifierProcessor } from './escalation-notifier.processor';

/** How long an e-mail is retried before it is a dead letter (8 attempts from 60 s, doubling), with room to spare. */
const NOTIFICATION_HORIZON = '7 days';

/**
 * The children who may have a clock running or an e-mail still to send, from the read models:
 * an open episode, return work owed, a meeting action or a warning notice outstanding, an
 * escalation unacknowledged, or one raised within the e-mails' retry horizon or told no one yet.
 */
const CHILDREN_WITH_PENDING_WORK = `
  SELECT child_id FROM rm_children WHERE open_episode_id IS NOT NULL
  UNION SELECT child_id FROM rm_return_work
   WHERE episode_status <> 'cancelled' AND interview_status NOT IN ('completed', 'declined') AND overdue_escalation_id IS NULL
  UNION SELECT m.child_id FROM rm_meeting_actions a JOIN rm_meetings m USING (meeting_id)
   WHERE a.completed_at IS NULL AND a.overdue_escalation_id IS NULL
  UNION SELECT child_id FROM rm_warning_notices WHERE served_at IS NULL AND overdue_escalation_id IS NULL
  UNION SELECT child_id FROM rm_escalations
   WHERE acknowledged_at IS NULL OR notified = '[]'::jsonb OR raised_at > now() - interval '${NOTIFICATION_HORIZON}'`;

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
    const children = await this.db.query<{ child_id: string }>(CHILDREN_WITH_PENDING_WORK);
    const result: SweepResult = { children: children.length, deadlines: 0, escalations: 0, skipped: 0, skipReasons: [] };
    for (const { child_id: childId } of children) {
      if (stopped()) break;
      await this.sweepChild(childId, result);
    }
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
    // The notifier skips the recipients the history records as told, on the stream read here.
    const raised = history.filter((event) => event.type === 'EscalationRaised');
    for (const event of raised) {
      // A district the directory lacks leaves that escalation's e-mails out, not every later child's work.
      const noOneToTell = await this.notifier.enqueueUnsent(event, view);
      if (noOneToTell === null) result.escalations++;
      else {
        result.skipped++;
        if (!result.skipReasons.includes(noOneToTell)) result.skipReasons.push(noOneToTell);
      }
    }
  }
}
