import type { ChildStreamEvent } from '../child-stream/child-stream';

export interface PlanState {
  readonly planId: string;
  readonly status: 'open' | 'closed';
  readonly createdAt: string;
  /** Each action's id and whether it is completed. */
  readonly actions: Readonly<Record<string, { readonly completed: boolean }>>;
}

/** A child's plans by id; at most one is open at a time. */
export interface SafeguardingPlans {
  readonly byId: Readonly<Record<string, PlanState>>;
  readonly openPlanId: string | null;
}

export const initialSafeguardingPlans = (): SafeguardingPlans => ({ byId: {}, openPlanId: null });

/** Own keys only, so an id such as 'constructor' is not found on Object.prototype. */
export const findPlan = (state: SafeguardingPlans, planId: string): PlanState | undefined =>
  Object.hasOwn(state.byId, planId) ? state.byId[planId] : undefined;

export function evolveSafeguardingPlans(state: SafeguardingPlans, event: ChildStreamEvent): SafeguardingPlans {
  switch (event.type) {
    case 'SafeguardingPlanCreated':
      return {
        openPlanId: event.planId,
        byId: { ...state.byId, [event.planId]: { planId: event.planId, status: 'open', createdAt: event.createdAt, actions: {} } },
      };
    case 'SafeguardingPlanActionAdded':
      return updatePlan(state, event.planId, (plan) => ({ ...plan, actions: { ...plan.actions, [event.actionId]: { completed: false } } }));
    case 'SafeguardingPlanActionCompleted':
      return updatePlan(state, event.planId, (plan) => ({ ...plan, actions: { ...plan.actions, [event.actionId]: { completed: true } } }));
    case 'SafeguardingPlanClosed': {
      const closed = updatePlan(state, event.planId, (plan) => ({ ...plan, status: 'closed' }));
      return closed.openPlanId === event.planId ? { ...closed, openPlanId: null } : closed;
    }
    default:
      return state;
  }
}

function updatePlan(state: SafeguardingPlans, planId: string, change: (plan: PlanState) => PlanState): SafeguardingPlans {
  const plan = findPlan(state, planId);
  return plan ? { ...state, byId: { ...state.byId, [planId]: change(plan) } } : state;
}
