import { CHILD_ID, registered } from '../child-case/child-case.fixtures';
import { evolveChildStream, initialChildStream } from '../child-stream/child-stream';
import { given } from '../child-stream/child-stream.given';
import {
  ACTION_ID,
  LATER,
  PLAN_ID,
  addPlanAction,
  closePlan,
  completePlanAction,
  createPlan,
  planActionAdded,
  planActionCompleted,
  planClosed,
  planCreated,
  planReviewed,
  reviewPlan,
} from './safeguarding-plan.fixtures';

const withPlan = [registered(), planCreated()];

describe('CreateSafeguardingPlan', () => {
  it('creates a plan for a registered child', () => {
    given([registered()]).when(createPlan()).thenEmits([planCreated()]);
  });

  it('creates a new plan once the last one is closed', () => {
    given([...withPlan, planClosed()]).when(createPlan({ planId: 'plan-2' })).thenEmits([planCreated({ planId: 'plan-2' })]);
  });

  it('refuses a second open plan', () => {
    given(withPlan).when(createPlan({ planId: 'plan-2' })).thenRefuses(`the child already has an open safeguarding plan (${PLAN_ID})`);
  });

  it('refuses a child who is not registered', () => {
    given([]).when(createPlan()).thenRefuses(`child ${CHILD_ID} does not exist`, { kind: 'not-found' });
  });

  it('refuses a plan without its concerns', () => {
    given([registered()]).when(createPlan({ concerns: ' ' })).thenRefuses('concerns is required', { kind: 'invalid', field: 'concerns' });
  });
});

describe('AddPlanAction', () => {
  it('adds an action with what, owner, agency and due date', () => {
    given(withPlan).when(addPlanAction()).thenEmits([planActionAdded()]);
  });

  it('accepts an action due the day the plan was created', () => {
    given(withPlan).when(addPlanAction({ dueDate: '2026-11-25' })).thenEmits([planActionAdded({ dueDate: '2026-11-25' })]);
  });

  it('refuses a due date before the plan was created', () => {
    given(withPlan)
      .when(addPlanAction({ dueDate: '2026-11-24' }))
      .thenRefuses('dueDate is before the plan was created', { kind: 'invalid', field: 'dueDate' });
  });

  it('refuses a due date that is not a date', () => {
    given(withPlan).when(addPlanAction({ dueDate: '2026-11-31' })).thenRefuses('dueDate is not a date (YYYY-MM-DD)', { kind: 'invalid', field: 'dueDate' });
  });

  it('refuses an action without an owner', () => {
    given(withPlan).when(addPlanAction({ owner: '' })).thenRefuses('owner is required', { kind: 'invalid', field: 'owner' });
  });

  it('refuses acting on a closed plan', () => {
    given([...withPlan, planClosed()]).when(addPlanAction()).thenRefuses(`safeguarding plan ${PLAN_ID} is closed`);
  });

  it('refuses a plan this child does not have', () => {
    given([registered()]).when(addPlanAction()).thenRefuses(`safeguarding plan ${PLAN_ID} does not exist`, { kind: 'not-found' });
  });
});

describe('CompletePlanAction', () => {
  it('records who completed the action and when', () => {
    given([...withPlan, planActionAdded()]).when(completePlanAction({ note: 'referral accepted' })).thenEmits([planActionCompleted({ note: 'referral accepted' })]);
  });

  it('refuses an action completed twice', () => {
    given([...withPlan, planActionAdded(), planActionCompleted()]).when(completePlanAction()).thenRefuses(`action ${ACTION_ID} is already completed`);
  });

  it('refuses an action the plan does not have', () => {
    given(withPlan).when(completePlanAction()).thenRefuses(`action ${ACTION_ID} does not exist on safeguarding plan ${PLAN_ID}`, { kind: 'not-found' });
  });

  it('refuses acting on a closed plan', () => {
    given([...withPlan, planActionAdded(), planClosed()]).when(completePlanAction()).thenRefuses(`safeguarding plan ${PLAN_ID} is closed`);
  });
});

describe('ReviewSafeguardingPlan', () => {
  it('records the review and the next one', () => {
    given(withPlan).when(reviewPlan({ nextReviewDate: '2027-01-05' })).thenEmits([planReviewed({ nextReviewDate: '2027-01-05' })]);
  });

  it('refuses a next review in the past', () => {
    given(withPlan)
      .when(reviewPlan({ nextReviewDate: '2026-12-01' }))
      .thenRefuses('nextReviewDate is in the past', { kind: 'invalid', field: 'nextReviewDate' });
  });

  it('refuses reviewing a closed plan', () => {
    given([...withPlan, planClosed()]).when(reviewPlan()).thenRefuses(`safeguarding plan ${PLAN_ID} is closed`);
  });
});

describe('CloseSafeguardingPlan', () => {
  it('closes the plan with the reason', () => {
    given(withPlan).when(closePlan()).thenEmits([planClosed()]);
  });

  it('refuses closing twice', () => {
    given([...withPlan, planClosed()]).when(closePlan()).thenRefuses(`safeguarding plan ${PLAN_ID} is closed`);
  });
});

describe('the plan in the escalation state', () => {
  const fold = (events: Parameters<typeof evolveChildStream>[1][]) => events.reduce(evolveChildStream, initialChildStream());

  it('makes activePlan true while a plan is open, and false once it is closed', () => {
    expect(fold([registered()]).safeguarding.activePlan).toBe(false);
    expect(fold(withPlan).safeguarding.activePlan).toBe(true);
    expect(fold([...withPlan, planClosed({ closedAt: LATER })]).safeguarding.activePlan).toBe(false);
  });
});
