import { EPISODE_ID, cancelled, closed, registered, reported, returned } from '../child-case/child-case.fixtures';
import { given } from '../child-stream/child-stream.given';
import {
  FINDINGS,
  completeInterview,
  declineInterview,
  interviewCompleted,
  interviewDeclined,
  interviewOffered,
  offerInterview,
  recordSafeAndWellCheck,
  safeAndWellChecked,
} from './return-work.fixtures';

const back = [registered(), reported(), returned()];

describe('RecordSafeAndWellCheck', () => {
  it('records the police check on the returned child', () => {
    given(back).when(recordSafeAndWellCheck()).thenEmits([safeAndWellChecked()]);
  });

  it('records harm observed, with what was seen', () => {
    const harm = { harmObserved: true, harmDetails: 'bruising to the left wrist' };
    given(back).when(recordSafeAndWellCheck(harm)).thenEmits([safeAndWellChecked(harm)]);
  });

  it('refuses harm observed without saying what', () => {
    given(back)
      .when(recordSafeAndWellCheck({ harmObserved: true }))
      .thenRefuses('harmDetails (harm was observed) is required', { kind: 'invalid', field: 'harmDetails' });
  });

  it('refuses a check while the child is still missing', () => {
    given([registered(), reported()]).when(recordSafeAndWellCheck()).thenRefuses(`the child has not returned from episode ${EPISODE_ID}`);
  });

  it('refuses a second check for the same return', () => {
    given([...back, safeAndWellChecked()]).when(recordSafeAndWellCheck()).thenRefuses(`a safe-and-well check is already recorded for episode ${EPISODE_ID}`);
  });

  it('refuses a check before the return', () => {
    given(back)
      .when(recordSafeAndWellCheck({ checkedAt: '2026-11-25T08:59:59.000Z' }))
      .thenRefuses('checkedAt is before the return', { kind: 'invalid', field: 'checkedAt' });
  });

  it('refuses a check in the future', () => {
    given(back)
      .when(recordSafeAndWellCheck({ checkedAt: '2026-11-25T10:00:01.000Z' }))
      .thenRefuses('checkedAt is in the future', { kind: 'invalid', field: 'checkedAt' });
  });

  it('refuses an episode this child does not have', () => {
    given([registered()]).when(recordSafeAndWellCheck()).thenRefuses(`episode ${EPISODE_ID} does not exist`, { kind: 'not-found' });
  });
});

describe('OfferReturnInterview', () => {
  it('records the offer of an independent interview', () => {
    given(back).when(offerInterview()).thenEmits([interviewOffered()]);
  });

  it('offers again after a decline: the child may change their mind', () => {
    given([...back, interviewDeclined()]).when(offerInterview()).thenEmits([interviewOffered()]);
  });

  it('refuses an interview for an episode with no return', () => {
    given([registered(), reported()]).when(offerInterview()).thenRefuses(`the child has not returned from episode ${EPISODE_ID}`);
  });

  it('refuses an offer once the interview is completed', () => {
    given([...back, interviewCompleted()]).when(offerInterview()).thenRefuses(`the return interview for episode ${EPISODE_ID} is already completed`);
  });

  it('refuses an episode reported in error', () => {
    given([registered(), reported(), cancelled()]).when(offerInterview()).thenRefuses(`episode ${EPISODE_ID} is cancelled`);
  });
});

describe('CompleteReturnInterview', () => {
  it('records the findings: where, with whom, push and pull factors, disclosures', () => {
    given([...back, interviewOffered()]).when(completeInterview()).thenEmits([interviewCompleted()]);
  });

  it('completes an interview after the police closed the episode: it is social care’s work', () => {
    given([...back, closed()]).when(completeInterview()).thenEmits([interviewCompleted()]);
  });

  it('completes an interview the child first declined', () => {
    given([...back, interviewDeclined()]).when(completeInterview()).thenEmits([interviewCompleted()]);
  });

  it('leaves out findings not given', () => {
    const findings = { whereabouts: 'at her aunt’s', pushFactors: [], pullFactors: [] };
    given(back).when(completeInterview({ findings })).thenEmits([interviewCompleted({ findings })]);
  });

  it('refuses an interview for an episode with no return', () => {
    given([registered(), reported()]).when(completeInterview()).thenRefuses(`the child has not returned from episode ${EPISODE_ID}`);
  });

  it('refuses a second completion', () => {
    given([...back, interviewCompleted()]).when(completeInterview()).thenRefuses(`the return interview for episode ${EPISODE_ID} is already completed`);
  });

  it('refuses findings without where the child was', () => {
    given(back)
      .when(completeInterview({ findings: { ...FINDINGS, whereabouts: ' ' } }))
      .thenRefuses('whereabouts is required', { kind: 'invalid', field: 'findings.whereabouts' });
  });

  it('refuses an interview before the return', () => {
    given(back)
      .when(completeInterview({ completedAt: '2026-11-25T08:00:00.000Z' }))
      .thenRefuses('completedAt is before the return', { kind: 'invalid', field: 'completedAt' });
  });
});

describe('DeclineReturnInterview', () => {
  it('records who declined and why', () => {
    given([...back, interviewOffered()]).when(declineInterview()).thenEmits([interviewDeclined()]);
  });

  it('refuses a decline after completion', () => {
    given([...back, interviewCompleted()]).when(declineInterview()).thenRefuses(`the return interview for episode ${EPISODE_ID} is already completed`);
  });

  it('refuses a second decline', () => {
    given([...back, interviewDeclined()]).when(declineInterview()).thenRefuses(`the return interview for episode ${EPISODE_ID} is already declined`);
  });

  it('refuses a decline without a reason', () => {
    given(back).when(declineInterview({ reason: '' })).thenRefuses('reason is required', { kind: 'invalid', field: 'reason' });
  });

  it('refuses a decline for an episode with no return', () => {
    given([registered(), reported()]).when(declineInterview()).thenRefuses(`the child has not returned from episode ${EPISODE_ID}`);
  });
});
