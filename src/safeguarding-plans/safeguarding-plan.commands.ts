import { typesOf } from '../child-stream/child-stream-slice';

/** What social workers ask of a child's safeguarding plan; `now` is the time it is decided at. */

export interface CreateSafeguardingPlan {
  type: 'CreateSafeguardingPlan';
  planId: string;
  childId: string;
  createdBy: string;
  concerns: string;
  now: string;
}

export interface AddPlanAction {
  type: 'AddPlanAction';
  planId: string;
  actionId: string;
  what: string;
  owner: string;
  agency: string;
  dueDate: string;
  now: string;
}

export interface CompletePlanAction {
  type: 'CompletePlanAction';
  planId: string;
  actionId: string;
  completedBy: string;
  note?: string;
  now: string;
}

export interface ReviewSafeguardingPlan {
  type: 'ReviewSafeguardingPlan';
  planId: string;
  reviewId: string;
  reviewedBy: string;
  summary: string;
  nextReviewDate?: string;
  now: string;
}

export interface CloseSafeguardingPlan {
  type: 'CloseSafeguardingPlan';
  planId: string;
  closedBy: string;
  reason: string;
  now: string;
}

export type SafeguardingPlanCommand =
  | CreateSafeguardingPlan
  | AddPlanAction
  | CompletePlanAction
  | ReviewSafeguardingPlan
  | CloseSafeguardingPlan;

export const SAFEGUARDING_PLAN_COMMAND_TYPES = typesOf<SafeguardingPlanCommand['type']>({
  CreateSafeguardingPlan: true,
  AddPlanAction: true,
  CompletePlanAction: true,
  ReviewSafeguardingPlan: true,
  CloseSafeguardingPlan: true,
});
