import { calendarDate, defined, requireText } from '../child-case/child-case.guards';
import type { ChildStream, ChildStreamEvent } from '../child-stream/child-stream';
import { ukDateOf } from '../shared/calendar';
import { assertNever, refuse, refuseInvalid, refuseNotFound } from '../shared/refusal';
import type {
  AddPlanAction,
  CloseSafeguardingPlan,
  CompletePlanAction,
  CreateSafeguardingPlan,
  ReviewSafeguardingPlan,
  SafeguardingPlanCommand,
} from './safeguarding-plan.commands';
import type { SafeguardingPlanReviewed } from './safeguarding-plan.events';
import { findPlan, type PlanState } from './safeguarding-plan.state';

/** Decides the work on a child's safeguarding plan. */
export function decideSafeguardingPlan(command: SafeguardingPlanCommand, stream: ChildStream): ChildStreamEvent[] {
  switch (command.type) {
    case 'CreateSafeguardingPlan':
      return createPlan(command, stream);
    case 'AddPlanAction':
      return addAction(command, stream);
    case 'CompletePlanAction':
      return completeAction(command, stream);
    case 'ReviewSafeguardingPlan':
      return reviewPlan(command, stream);
    case 'CloseSafeguardingPlan':
      return closePlan(command, stream);
    default:
      return assertNever(command);
  }
}

function createPlan(c: CreateSafeguardingPlan, stream: ChildStream): ChildStreamEvent[] {
  if (!stream.childCase.registered) throw refuseNotFound(`child ${c.childId} does not exist`);
  // One plan at a time: a second would split the actions and reviews people must follow.
  const open = stream.plans.openPlanId;
  if (open !== null) throw refuse(`the child already has an open safeguarding plan (${open})`);
  if (findPlan(stream.plans, c.planId)) throw refuse(`safeguarding plan ${c.planId} already exists`);
  requireText(c.concerns, 'concerns');
  return [{ type: 'SafeguardingPlanCreated', planId: c.planId, childId: c.childId, createdBy: c.createdBy, createdAt: c.now, concerns: c.concerns }];
}

function addAction(c: AddPlanAction, stream: ChildStream): ChildStreamEvent[] {
  const plan = openPlan(stream, c.planId);
  if (Object.hasOwn(plan.actions, c.actionId)) throw refuse(`action ${c.actionId} already exists`);
  requireText(c.what, 'what');
  requireText(c.owner, 'owner');
  requireText(c.agency, 'agency');
  if (calendarDate(c.dueDate, 'dueDate') < ukDateOf(plan.createdAt)) {
    throw refuseInvalid('dueDate is before the plan was created', 'dueDate');
  }
  const { type: _type, now: _now, ...action } = c;
  return [{ type: 'SafeguardingPlanActionAdded', ...action }];
}

function completeAction(c: CompletePlanAction, stream: ChildStream): ChildStreamEvent[] {
  const plan = openPlan(stream, c.planId);
  const action = Object.hasOwn(plan.actions, c.actionId) ? plan.actions[c.actionId] : undefined;
  if (!action) throw refuseNotFound(`action ${c.actionId} does not exist on safeguarding plan ${c.planId}`);
  if (action.completed) throw refuse(`action ${c.actionId} is already completed`);
  return [
    defined({
      type: 'SafeguardingPlanActionCompleted' as const,
      planId: c.planId,
      actionId: c.actionId,
      completedBy: c.completedBy,
      completedAt: c.now,
      note: c.note,
    }),
  ];
}

function reviewPlan(c: ReviewSafeguardingPlan, stream: ChildStream): ChildStreamEvent[] {
  openPlan(stream, c.planId);
  requireText(c.summary, 'summary');
  if (c.nextReviewDate !== undefined && calendarDate(c.nextReviewDate, 'nextReviewDate') < ukDateOf(c.now)) {
    throw refuseInvalid('nextReviewDate is in the past', 'nextReviewDate');
  }
  return [
    defined<SafeguardingPlanReviewed>({
      type: 'SafeguardingPlanReviewed',
      planId: c.planId,
      reviewId: c.reviewId,
      reviewedBy: c.reviewedBy,
      reviewedAt: c.now,
      summary: c.summary,
      nextReviewDate: c.nextReviewDate,
    }),
  ];
}

function closePlan(c: CloseSafeguardingPlan, stream: ChildStream): ChildStreamEvent[] {
  openPlan(stream, c.planId);
  requireText(c.reason, 'reason');
  return [{ type: 'SafeguardingPlanClosed', planId: c.planId, closedBy: c.closedBy, closedAt: c.now, reason: c.reason }];
}

/** A closed plan is part of the record and takes no more work; a new plan is created instead. */
function openPlan(stream: ChildStream, planId: string): PlanState {
  const plan = findPlan(stream.plans, planId);
  if (!plan) throw refuseNotFound(`safeguarding plan ${planId} does not exist`);
  if (plan.status === 'closed') throw refuse(`safeguarding plan ${planId} is closed`);
  return plan;
}
