import { childIdOfStream } from '../children/child-summary.projection';
import type { ChildStreamEvent } from '../child-stream/child-stream';
import type { SqlExecutor } from '../database/sql-database';
import type { RecordedEvent } from '../event-store/event-store.port';
import type { CaseworkReadModel } from '../casework/casework-read-model';
import { eraseColumns, erasedCopy } from '../erasure/erase-read-models';

/** Safeguarding plans, their actions and reviews as rows; the child summary reads the open one. */
export const safeguardingPlansReadModel: CaseworkReadModel = {
  tables: ['rm_safeguarding_plans', 'rm_safeguarding_plan_actions'],

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

  async apply(event: ChildStreamEvent, recorded: RecordedEvent, tx: SqlExecutor): Promise<void> {
    const childId = childIdOfStream(recorded.stream);
    switch (event.type) {
      case 'SafeguardingPlanCreated':
        await tx.query(
          `INSERT INTO rm_safeguarding_plans (plan_id, child_id, status, concerns, created_by, created_at)
           VALUES ($1, $2, 'open', $3, $4, $5) ON CONFLICT (plan_id) DO NOTHING`,
          [event.planId, childId, event.concerns, event.createdBy, event.createdAt],
        );
        return;
      case 'SafeguardingPlanActionAdded':
        await tx.query(
          `INSERT INTO rm_safeguarding_plan_actions (action_id, plan_id, what, owner, agency, due_date)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (action_id) DO NOTHING`,
          [event.actionId, event.planId, event.what, event.owner, event.agency, event.dueDate],
        );
        return;
      case 'SafeguardingPlanActionCompleted':
        await tx.query('UPDATE rm_safeguarding_plan_actions SET completed_at = $2, completed_by = $3, note = $4 WHERE action_id = $1', [
          event.actionId,
          event.completedAt,
          event.completedBy,
          event.note ?? null,
        ]);
        return;
      case 'SafeguardingPlanReviewed': {
        const { type: _type, planId, ...review } = event;
        await tx.query('UPDATE rm_safeguarding_plans SET reviews = reviews || $2::jsonb WHERE plan_id = $1', [planId, JSON.stringify([review])]);
        return;
      }
      case 'SafeguardingPlanClosed':
        await tx.query(`UPDATE rm_safeguarding_plans SET status = 'closed', closed_at = $2, closed_by = $3, close_reason = $4 WHERE plan_id = $1`, [
          event.planId,
          event.closedAt,
          event.closedBy,
          event.reason,
        ]);
        return;
    }
  },
};

const LIST_LIMIT = 500;

/** A child's plans (or everyone's), newest first, each with its actions in due order. */
export function listSafeguardingPlans(db: SqlExecutor, childId: string | null) {
  return db.query(
    `SELECT p.plan_id AS "planId", p.child_id AS "childId", p.status, p.concerns, p.created_by AS "createdBy", p.created_at AS "createdAt",
            coalesce((SELECT json_agg(json_build_object('actionId', a.action_id, 'what', a.what, 'owner', a.owner, 'agency', a.agency,
                                      'dueDate', a.due_date, 'completedAt', a.completed_at, 'completedBy', a.completed_by, 'note', a.note)
                                      ORDER BY a.due_date, a.action_id)
                        FROM rm_safeguarding_plan_actions a WHERE a.plan_id = p.plan_id), '[]'::json) AS actions,
            p.reviews, p.closed_at AS "closedAt", p.closed_by AS "closedBy", p.close_reason AS "closeReason"
       FROM rm_safeguarding_plans p
      WHERE $1::uuid IS NULL OR p.child_id = $1::uuid
      ORDER BY p.created_at DESC LIMIT ${LIST_LIMIT}`,
    [childId],
  );
}
