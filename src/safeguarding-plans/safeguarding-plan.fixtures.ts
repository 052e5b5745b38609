/** Test support for the safeguarding plan specs: a plan created at 10:00 on 25 November 2026. */
import { CHILD_ID, NOW } from '../child-case/child-case.fixtures';
import type {
  AddPlanAction,
  CloseSafeguardingPlan,
  CompletePlanAction,
  CreateSafeguardingPlan,
  ReviewSafeguardingPlan,
} from './safeguarding-plan.commands';
import type {
  SafeguardingPlanActionAdded,
  SafeguardingPlanActionCompleted,
  SafeguardingPlanClosed,
  SafeguardingPlanCreated,
  SafeguardingPlanReviewed,
} from './safeguarding-plan.events';

export const PLAN_ID = 'plan-1';
export const ACTION_ID = 'plan-action-1';
/** A week after the plan was created. */
export const LATER = '2026-12-02T10:00:00.000Z';

// Events

export const planCreated = (o: Partial<SafeguardingPlanCreated> = {}): SafeguardingPlanCreated => ({
  type: 'SafeguardingPlanCreated',
  planId: PLAN_ID,
  childId: CHILD_ID,
  createdBy: 'social-worker-4',
  createdAt: NOW,
  concerns: 'repeat missing, older males, CSE indicators',
  ...o,
});

export const planActionAdded = (o: Partial<SafeguardingPlanActionAdded> = {}): SafeguardingPlanActionAdded => ({
  type: 'SafeguardingPlanActionAdded',
  planId: PLAN_ID,
  actionId: ACTION_ID,
  what: 'refer to the CSE team',
  owner: 'K. Wood',
  agency: 'childrens-social-care',
  dueDate: '2026-11-27',
  ...o,
});

export const planActionCompleted = (o: Partial<SafeguardingPlanActionCompleted> = {}): SafeguardingPlanActionCompleted => ({
  type: 'SafeguardingPlanActionCompleted',
  planId: PLAN_ID,
  actionId: ACTION_ID,
  completedBy: 'social-worker-4',
  completedAt: LATER,
  ...o,
});

export const planClosed = (o: Partial<SafeguardingPlanClosed> = {}): SafeguardingPlanClosed => ({
  type: 'SafeguardingPlanClosed',
  planId: PLAN_ID,
  closedBy: 'social-worker-4',
  closedAt: LATER,
  reason: 'no missing episodes for six months',
  ...o,
});

export const planReviewed = (o: Partial<SafeguardingPlanReviewed> = {}): SafeguardingPlanReviewed => ({
  type: 'SafeguardingPlanReviewed',
  planId: PLAN_ID,
  reviewId: 'review-1',
  reviewedBy: 'social-worker-4',
  reviewedAt: LATER,
  summary: 'engaging with the CSE team',
  ...o,
});

// Commands

export const createPlan = (o: Partial<CreateSafeguardingPlan> = {}): CreateSafeguardingPlan => ({
  type: 'CreateSafeguardingPlan',
  planId: PLAN_ID,
  childId: CHILD_ID,
  createdBy: 'social-worker-4',
  concerns: 'repeat missing, older males, CSE indicators',
  now: NOW,
  ...o,
});

export const addPlanAction = (o: Partial<AddPlanAction> = {}): AddPlanAction => {
  const { type: _type, ...action } = planActionAdded();
  return { type: 'AddPlanAction', ...action, now: LATER, ...o };
};

export const completePlanAction = (o: Partial<CompletePlanAction> = {}): CompletePlanAction => ({
  type: 'CompletePlanAction',
  planId: PLAN_ID,
  actionId: ACTION_ID,
  completedBy: 'social-worker-4',
  now: LATER,
  ...o,
});

export const reviewPlan = (o: Partial<ReviewSafeguardingPlan> = {}): ReviewSafeguardingPlan => ({
  type: 'ReviewSafeguardingPlan',
  planId: PLAN_ID,
  reviewId: 'review-1',
  reviewedBy: 'social-worker-4',
  summary: 'engaging with the CSE team',
  now: LATER,
  ...o,
});

export const closePlan = (o: Partial<CloseSafeguardingPlan> = {}): CloseSafeguardingPlan => ({
  type: 'CloseSafeguardingPlan',
  planId: PLAN_ID,
  closedBy: 'social-worker-4',
  reason: 'no missing episodes for six months',
  now: LATER,
  ...o,
});
