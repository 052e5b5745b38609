import { CHILD_ID, registered } from '../child-case/child-case.fixtures';
import { given } from '../child-stream/child-stream.given';
import { NOTICE_ID, SERVED_AT, noticeRecommended, noticeServed, recommendNotice, serveNotice } from './warning-notice.fixtures';

describe('RecommendWarningNotice', () => {
  it('records against whom, for which child, by whom and when', () => {
    given([registered()]).when(recommendNotice({ reason: 'harbouring' })).thenEmits([noticeRecommended({ reason: 'harbouring' })]);
  });

  it('accepts a recommendation made before it is recorded', () => {
    const earlier = '2026-11-15T07:00:00.000Z';
    given([registered()]).when(recommendNotice({ recommendedAt: earlier })).thenEmits([noticeRecommended({ recommendedAt: earlier })]);
  });

  it('refuses a recommendation in the future', () => {
    given([registered()])
      .when(recommendNotice({ recommendedAt: '2026-11-25T10:00:01.000Z' }))
      .thenRefuses('recommendedAt is in the future', { kind: 'invalid', field: 'recommendedAt' });
  });

  it('refuses a notice against nobody', () => {
    given([registered()]).when(recommendNotice({ against: ' ' })).thenRefuses('against is required', { kind: 'invalid', field: 'against' });
  });

  it('refuses a child who is not registered', () => {
    given([]).when(recommendNotice()).thenRefuses(`child ${CHILD_ID} does not exist`, { kind: 'not-found' });
  });
});

describe('ServeWarningNotice', () => {
  it('records who served it and when', () => {
    given([registered(), noticeRecommended()]).when(serveNotice()).thenEmits([noticeServed()]);
  });

  it('refuses a notice served twice', () => {
    given([registered(), noticeRecommended(), noticeServed()]).when(serveNotice()).thenRefuses(`warning notice ${NOTICE_ID} was already served (${SERVED_AT})`);
  });

  it('refuses a service before the recommendation, or in the future', () => {
    const history = [registered(), noticeRecommended()];
    given(history)
      .when(serveNotice({ servedAt: '2026-11-25T06:59:59.000Z' }))
      .thenRefuses('servedAt is before the notice was recommended', { kind: 'invalid', field: 'servedAt' });
    given(history).when(serveNotice({ servedAt: '2026-11-25T10:00:01.000Z' })).thenRefuses('servedAt is in the future', { kind: 'invalid', field: 'servedAt' });
  });

  it('refuses a notice this child does not have', () => {
    given([registered()]).when(serveNotice()).thenRefuses(`warning notice ${NOTICE_ID} does not exist`, { kind: 'not-found' });
  });
});
