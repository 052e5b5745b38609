import { ReadSideIndexes } from '../database/read-side-indexes';
import { asStoredInJsonb } from '../database/stored-in-jsonb';
import type { SqlExecutor } from '../database/sql-database';
import { type CaseworkReadModel, valuesOf } from '../casework/casework-read-model';
import { type EventFollowedBy, FollowedEvents } from '../child-stream/followed-events';
import type { RecordedEvent } from '../event-store/event-store.port';
import { actionCompletion, type AgreedActionColumns, agreedActionRow, agreedActionsJsonSql } from '../casework/agreed-actions';
import { RowBatch } from '../database/row-batch';
import { eraseColumns, erasedCopy } from '../erasure/erase-read-models';
import { SAFEGUARDING_PLAN_EVENT_TYPES } from './safeguarding-plan.events';

/** Safeguarding plans, their actions and reviews as rows; the child summary reads the open one. */
const FOLLOWED = FollowedEvents.of(...SAFEGUARDING_PLAN_EVENT_TYPES);

export const safeguardingPlansReadModel: CaseworkReadModel = {
  tables: ['rm_safeguarding_plans', 'rm_safeguarding_plan_actions'],
  reads: FOLLOWED.reads,
  readSideIndexes: new ReadSideIndexes({
    // The dashboard asks, of thousands of children per request, whether each has an open plan.
    rm_safeguarding_plans_open: `ON rm_safeguarding_plans (child_id) WHERE status = 'open'`,
  }),

  async migrate(db: SqlExecutor): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS rm_safeguarding_plans (
      plan_id       uuid PRIMARY KEY,
      child_id      uuid NOT NULL,
      status        text NOT NULL,
      concerns      text NOT NULL,
      created_by    text NOT NULL,
      created_at    timestamptz NOT NULL,
      reviews       jsonb NOT NULL DEFAULT '[]',
      closed_at     timestamptz,
      closed_by     text,
      close_reason  text
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS rm_safeguarding_plans_by_child ON rm_safeguarding_plans (child_id, created_at)');
    await db.query(`CREATE TABLE IF NOT EXISTS rm_safeguarding_plan_actions (
      action_id     uuid PRIMARY KEY,
      plan_id       uuid NOT NULL,
      what          text NOT NULL,
      owner         text NOT NULL,
      agency        text NOT NULL,
      due_date      text NOT NULL,
      completed_at  timestamptz,
      completed_by  text,
      note          text
    )`);
    await db.query('CREATE INDEX IF NOT EXISTS rm_safeguarding_plan_actions_by_plan ON rm_safeguarding_plan_actions (plan_id)');
    await this.readSideIndexes.create(db);
  },

  async erasePersonalData(childId: string, tx: SqlExecutor): Promise<void> {
    const plans = await tx.query<{ plan_id: string; reviews: object[] }>('SELECT plan_id, reviews FROM rm_safeguarding_plans WHERE child_id = $1', [childId]);
    for (const plan of plans) {
      const reviews = plan.reviews.map((review) => erasedCopy('SafeguardingPlanReviewed', review));
      await tx.query(`UPDATE rm_safeguarding_plans SET ${eraseColumns('concerns', 'close_reason')}, reviews = $2 WHERE plan_id = $1`, [
        plan.plan_id,
        JSON.stringify(reviews),
      ]);
      await tx.query(`UPDATE rm_safeguarding_plan_actions SET ${eraseColumns('what', 'note')} WHERE plan_id = $1`, [plan.plan_id]);
    }
  },

  async apply(events: readonly RecordedEvent[], tx: SqlExecutor): Promise<void> {
    const planEvents = FOLLOWED.in(events);
    if (planEvents.length === 0) return;
    const plans = await new RowBatch<PlanRow>('rm_safeguarding_plans', PLAN_COLUMNS, ['plan_id']).load(tx, 'plan_id', valuesOf(planEvents, 'planId'));
    const actions = await new RowBatch<PlanActionRow>('rm_safeguarding_plan_actions', ACTION_COLUMNS, ['action_id']).load(tx, 'action_id', valuesOf(planEvents, 'actionId'));
    for (const { event, childId } of planEvents) applyToPlans(plans, actions, event, childId);
    await plans.write(tx);
    await actions.write(tx);
  },
};

interface PlanRow extends Record<string, unknown> {
  plan_id: string;
  child_id: string;
  status: string;
  concerns: string;
  created_by: string;
  created_at: string | Date;
  reviews: object[];
  closed_at: string | Date | null;
  closed_by: string | null;
  close_reason: string | null;
}

const PLAN_COLUMNS = `plan_id uuid, child_id uuid, status text, concerns text, created_by text, created_at timestamptz, reviews jsonb,
  closed_at timestamptz, closed_by text, close_reason text`;

interface PlanActionRow extends AgreedActionColumns, Record<string, unknown> {
  plan_id: string;
}

const ACTION_COLUMNS = `action_id uuid, plan_id uuid, what text, owner text, agency text, due_date text, completed_at timestamptz,
  completed_by text, note text`;

function applyToPlans(plans: RowBatch<PlanRow>, actions: RowBatch<PlanActionRow>, event: EventFollowedBy<typeof FOLLOWED>, childId: string): void {
  switch (event.type) {
    case 'SafeguardingPlanCreated':
      plans.insert({
        plan_id: event.planId,
        child_id: childId,
        status: 'open',
        concerns: event.concerns,
        created_by: event.createdBy,
        created_at: event.createdAt,
        reviews: [],
        closed_at: null,
        closed_by: null,
        close_reason: null,
      });
      return;
    case 'SafeguardingPlanActionAdded':
      actions.insert({ ...agreedActionRow(event), plan_id: event.planId });
      return;
    case 'SafeguardingPlanActionCompleted':
      actions.update([event.actionId], actionCompletion(event));
      return;
    case 'SafeguardingPlanReviewed': {
      const { type: _type, planId, ...review } = event;
      plans.update([planId], (plan) => ({ reviews: [...plan.reviews, asStoredInJsonb(review)] }));
      return;
    }
    case 'SafeguardingPlanClosed':
      plans.update([event.planId], { status: 'closed', closed_at: event.closedAt, closed_by: event.closedBy, close_reason: event.reason });
      return;
  }
}

const LIST_LIMIT = 500;

/** A child's plans (or everyone's), newest first, each with its actions in due order. */
export function listSafeguardingPlans(db: SqlExecutor, childId: string | null) {
  return db.query(
    `SELECT p.plan_id AS "planId", p.child_id AS "childId", p.status, p.concerns, p.created_by AS "createdBy", p.created_at AS "createdAt",
            ${agreedActionsJsonSql('rm_safeguarding_plan_actions', 'a.plan_id = p.plan_id', ", 'completedBy', a.completed_by, 'note', a.note")} AS actions,
            p.reviews, p.closed_at AS "closedAt", p.closed_by AS "closedBy", p.close_reason AS "closeReason"
       FROM rm_safeguarding_plans p
      WHERE $1::uuid IS NULL OR p.child_id = $1::uuid
      ORDER BY p.created_at DESC LIMIT ${LIST_LIMIT}`,
    [childId],
  );
}
