import { evolve, foldChildCase, initialChildCase } from './child-case.state';
import {
  CHILD_ID,
  EPISODE_ID,
  MISSING_SINCE,
  REPORTED_AT,
  RETURNED_AT,
  cancelled,
  closed,
  profileUpdated,
  registered,
  reported,
  returned,
  riskAssessed,
} from './child-case.fixtures';

describe('the child case state', () => {
  it('starts unregistered, with no episodes', () => {
    expect(foldChildCase([])).toEqual({ registered: false, profile: null, episodes: {}, openEpisodeId: null, erased: false });
  });

  it('merges profile changes over the registered profile', () => {
    const moved = profileUpdated({ changes: { lookedAfter: true, localAuthority: 'Barnsley' } });
    const state = foldChildCase([registered(), moved]);
    expect(state).toMatchObject({ registered: true, childId: CHILD_ID });
    expect(state.profile).toEqual({
      firstName: 'Amy',
      dateOfBirth: '2012-03-04',
      localAuthority: 'Barnsley',
      lookedAfter: true,
    });
  });

  it('opens an episode on a report, its initial risk starting the review clock', () => {
    const state = foldChildCase([registered(), reported({ initialRisk: 'low' })]);
    expect(state.openEpisodeId).toBe(EPISODE_ID);
    expect(state.episodes[EPISODE_ID]).toEqual({
      episodeId: EPISODE_ID,
      status: 'missing',
      missingSince: MISSING_SINCE,
      reportedAt: REPORTED_AT,
      district: 'Sheffield',
      riskGrade: 'low',
      lastRiskAssessedAt: REPORTED_AT,
      returnedAt: null,
    });
  });

  it('keeps the latest grade and when it was given', () => {
    const regraded = riskAssessed({ grade: 'high', assessedAt: '2026-11-25T08:00:00.000Z' });
    const state = foldChildCase([registered(), reported({ initialRisk: 'low' }), regraded]);
    expect(state.episodes[EPISODE_ID]).toMatchObject({
      riskGrade: 'high',
      lastRiskAssessedAt: '2026-11-25T08:00:00.000Z',
    });
  });

  it.each([
    ['returned', [returned()], 'returned'],
    ['cancelled', [cancelled()], 'cancelled'],
    ['closed', [returned(), closed()], 'closed'],
  ] as const)('frees the child for a new episode once the episode is %s', (_, ending, status) => {
    const state = foldChildCase([registered(), reported(), ...ending]);
    expect(state.openEpisodeId).toBeNull();
    expect(state.episodes[EPISODE_ID].status).toBe(status);
  });

  it('records when the child returned', () => {
    expect(foldChildCase([registered(), reported(), returned()]).episodes[EPISODE_ID].returnedAt).toBe(RETURNED_AT);
  });

  it('does not change the state it is given', () => {
    const before = foldChildCase([registered(), reported()]);
    const snapshot = structuredClone(before);
    evolve(before, returned());
    expect(before).toEqual(snapshot);
  });

  it('ignores work on an episode it has never seen', () => {
    const state = foldChildCase([registered()]);
    expect(evolve(state, riskAssessed({ episodeId: 'unknown' }))).toEqual(state);
    expect(evolve(initialChildCase(), returned())).toEqual(initialChildCase());
  });
});
