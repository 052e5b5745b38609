import type { ChildStreamSlice } from '../child-stream/child-stream-slice';
import { SAFEGUARDING_PLAN_COMMAND_TYPES, type SafeguardingPlanCommand } from './safeguarding-plan.commands';
import { decideSafeguardingPlan } from './safeguarding-plan.decider';
import { SAFEGUARDING_PLAN_EVENT_TYPES } from './safeguarding-plan.events';
import { evolveSafeguardingPlans, initialSafeguardingPlans, type SafeguardingPlans } from './safeguarding-plan.state';

/** Safeguarding plans, in the child's stream; addressed as /api/safeguarding-plans/:id. */
export const safeguardingPlanSlice: ChildStreamSlice<SafeguardingPlans, SafeguardingPlanCommand> = {
  eventTypes: SAFEGUARDING_PLAN_EVENT_TYPES,
  commandTypes: SAFEGUARDING_PLAN_COMMAND_TYPES,
  initial: initialSafeguardingPlans,
  evolve: evolveSafeguardingPlans,
  decide: decideSafeguardingPlan,
  addresses: { SafeguardingPlanCreated: (event) => ({ kind: 'plan', id: event.planId }) },
};
