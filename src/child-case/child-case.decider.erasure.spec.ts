import { given } from '../child-stream/child-stream.given';
import { createPlan, planCreated } from '../safeguarding-plans/safeguarding-plan.fixtures';
import {
  CHILD_ID,
  eraseChildPersonalData,
  nameAssociate,
  personalDataErased,
  registerChild,
  registered,
  reportChildMissing,
  reported,
  returned,
  updateChildProfile,
} from './child-case.fixtures';

// Erasure: the history of what was done stays; the personal data goes, and nothing personal comes back.

describe('EraseChildPersonalData', () => {
  it('records the erasure of a registered child', () => {
    given([registered(), reported(), returned()])
      .when(eraseChildPersonalData())
      .thenEmits([personalDataErased()]);
  });

  it('refuses to erase a child who does not exist', () => {
    given([])
      .when(eraseChildPersonalData())
      .thenRefuses(`child ${CHILD_ID} does not exist`, { kind: 'not-found' });
  });

  it('refuses a second erasure', () => {
    given([registered(), personalDataErased()])
      .when(eraseChildPersonalData())
      .thenRefuses(`the personal data of child ${CHILD_ID} is already erased`);
  });

  it('needs a reason', () => {
    given([registered()])
      .when(eraseChildPersonalData({ reason: ' ' }))
      .thenRefuses('reason is required', { kind: 'invalid', field: 'reason' });
  });
});

describe('after an erasure', () => {
  const erased = `the personal data of child ${CHILD_ID} was erased: nothing more is recorded about the child`;

  it.each([
    ['a profile update', updateChildProfile()],
    ['a new missing report', reportChildMissing({ episodeId: 'episode-2' })],
    ['an associate', nameAssociate()],
    ['a registration again', registerChild()],
    ['a safeguarding plan', createPlan()],
  ])('refuses %s', (_what, command) => {
    given([registered(), reported(), personalDataErased()]).when(command).thenRefuses(erased);
  });

  it('refuses casework on what was there before', () => {
    given([registered(), reported(), returned(), planCreated(), personalDataErased()])
      .when(createPlan({ planId: 'plan-2' }))
      .thenRefuses(erased);
  });
});
