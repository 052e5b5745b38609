import { typesOf } from '../child-stream/child-stream-slice';

/**
 * A child's safeguarding plan, on the child's stream: while one is open, the repeat-without-plan
 * rule stays quiet. Dates people agree on (due, next review) are UK calendar dates (YYYY-MM-DD).
 */

export interface SafeguardingPlanCreated {
  type: 'SafeguardingPlanCreated';
  planId: string;
  childId: string;
  /** The worker responsible for the plan. */
  createdBy: string;
  createdAt: string;
  /** The concerns the plan addresses. */
  concerns: string;
}

export interface SafeguardingPlanActionAdded {
  type: 'SafeguardingPlanActionAdded';
  planId: string;
  actionId: string;
  what: string;
  owner: string;
  agency: string;
  dueDate: string;
}

export interface SafeguardingPlanActionCompleted {
  type: 'SafeguardingPlanActionCompleted';
  planId: string;
  actionId: string;
  completedBy: string;
  completedAt: string;
  note?: string;
}

export interface SafeguardingPlanReviewed {
  type: 'SafeguardingPlanReviewed';
  planId: string;
  reviewId: string;
  reviewedBy: string;
  reviewedAt: string;
  summary: string;
  nextReviewDate?: string;
}

export interface SafeguardingPlanClosed {
  type: 'SafeguardingPlanClosed';
  planId: string;
  closedBy: string;
  closedAt: string;
  reason: string;
}

export type SafeguardingPlanEvent =
  | SafeguardingPlanCreated
  | SafeguardingPlanActionAdded
  | SafeguardingPlanActionCompleted
  | SafeguardingPlanReviewed
  | SafeguardingPlanClosed;

export const SAFEGUARDING_PLAN_EVENT_TYPES = typesOf<SafeguardingPlanEvent['type']>({
  SafeguardingPlanCreated: true,
  SafeguardingPlanActionAdded: true,
  SafeguardingPlanActionCompleted: true,
  SafeguardingPlanReviewed: true,
  SafeguardingPlanClosed: true,
});
