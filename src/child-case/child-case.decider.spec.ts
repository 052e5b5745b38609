import { given } from '../child-stream/child-stream.given';
import {
  CHILD_ID,
  EPISODE_ID,
  MISSING_SINCE,
  NOW,
  cancelled,
  closed,
  registerChild,
  registered,
  reportChildMissing,
  reported,
  returned,
  updateChildProfile,
} from './child-case.fixtures';

// The child's record and the report that opens an episode. Work on an episode: the other decider specs.

describe('RegisterChild', () => {
  it('registers a child with a profile', () => {
    const profile = { firstName: 'Amy', localAuthority: 'Rotherham', lookedAfter: true, riskFlags: ['CSE' as const] };
    given([])
      .when(registerChild({ profile }))
      .thenEmits([{ type: 'ChildRegistered', childId: CHILD_ID, profile }]);
  });

  it('accepts a child born today', () => {
    given([])
      .when(registerChild({ profile: { localAuthority: 'Doncaster', dateOfBirth: '2026-11-25' } }))
      .thenEmits([registered({ profile: { localAuthority: 'Doncaster', dateOfBirth: '2026-11-25' } })]);
  });

  it('refuses a child who is already registered', () => {
    given([registered()]).when(registerChild()).thenRefuses(`child ${CHILD_ID} is already registered`);
  });

  it('refuses a child without a local authority', () => {
    given([])
      .when(registerChild({ profile: { firstName: 'Amy', localAuthority: ' ' } }))
      .thenRefuses('localAuthority is required', { kind: 'invalid', field: 'profile.localAuthority' });
  });

  it('refuses a date of birth in the future', () => {
    given([])
      .when(registerChild({ profile: { localAuthority: 'Sheffield', dateOfBirth: '2026-11-26' } }))
      .thenRefuses('dateOfBirth is in the future', { kind: 'invalid', field: 'profile.dateOfBirth' });
  });

  it('refuses a date of birth that is not a date', () => {
    given([])
      .when(registerChild({ profile: { localAuthority: 'Sheffield', dateOfBirth: '04/03/2012' } }))
      .thenRefuses('dateOfBirth is not a date (YYYY-MM-DD)', { kind: 'invalid', field: 'profile.dateOfBirth' });
  });
});

describe('UpdateChildProfile', () => {
  it('records the changes', () => {
    given([registered()])
      .when(updateChildProfile({ changes: { lookedAfter: true, placementType: 'foster' } }))
      .thenEmits([
        { type: 'ChildProfileUpdated', childId: CHILD_ID, changes: { lookedAfter: true, placementType: 'foster' } },
      ]);
  });

  it('refuses a child who is not registered', () => {
    given([])
      .when(updateChildProfile())
      .thenRefuses(`child ${CHILD_ID} does not exist`, { kind: 'not-found' });
  });

  it('refuses an update without changes', () => {
    given([registered()])
      .when(updateChildProfile({ changes: {} }))
      .thenRefuses('no changes given', { kind: 'invalid', field: 'changes' });
  });

  it('counts a change whose every value is absent as no change', () => {
    given([registered()])
      .when(updateChildProfile({ changes: { ethnicity: undefined } }))
      .thenRefuses('no changes given', { kind: 'invalid', field: 'changes' });
  });

  it('refuses to empty the local authority', () => {
    given([registered()])
      .when(updateChildProfile({ changes: { localAuthority: '' } }))
      .thenRefuses('localAuthority is required', { kind: 'invalid', field: 'changes.localAuthority' });
  });

  it('refuses a date of birth in the future', () => {
    given([registered()])
      .when(updateChildProfile({ changes: { dateOfBirth: '2030-01-01' } }))
      .thenRefuses('dateOfBirth is in the future', { kind: 'invalid', field: 'changes.dateOfBirth' });
  });
});

describe('ReportChildMissing', () => {
  it('opens an episode, reported now', () => {
    given([registered()])
      .when(
        reportChildMissing({
          lastSeenPlace: 'school gates',
          reporter: { name: 'Mrs Khan', relationship: 'carer', phone: '0114 000 0000' },
          circumstances: 'did not come home after school',
          initialRisk: 'medium',
        }),
      )
      .thenEmits([
        reported({
          reportedAt: NOW,
          lastSeenPlace: 'school gates',
          reporter: { name: 'Mrs Khan', relationship: 'carer', phone: '0114 000 0000' },
          circumstances: 'did not come home after school',
          initialRisk: 'medium',
        }),
      ]);
  });

  it('takes a partial report: the call handler enriches it later', () => {
    given([registered()])
      .when(reportChildMissing())
      .thenEmits([
        {
          type: 'ChildReportedMissing',
          childId: CHILD_ID,
          episodeId: EPISODE_ID,
          missingSince: MISSING_SINCE,
          reportedAt: NOW,
          district: 'Sheffield',
        },
      ]);
  });

  it('accepts a child missing since this very moment', () => {
    given([registered()])
      .when(reportChildMissing({ missingSince: NOW }))
      .thenEmits([reported({ missingSince: NOW, reportedAt: NOW })]);
  });

  it('opens a new episode once the last one has ended', () => {
    given([registered(), reported(), returned()])
      .when(reportChildMissing({ episodeId: 'episode-2' }))
      .thenEmits([reported({ episodeId: 'episode-2', reportedAt: NOW })]);
  });

  it('opens a new episode after one was cancelled', () => {
    given([registered(), reported(), cancelled()])
      .when(reportChildMissing({ episodeId: 'episode-2' }))
      .thenEmits([reported({ episodeId: 'episode-2', reportedAt: NOW })]);
  });

  it('refuses a child who is not registered', () => {
    given([])
      .when(reportChildMissing())
      .thenRefuses(`child ${CHILD_ID} does not exist`, { kind: 'not-found' });
  });

  it('refuses a second open episode for a child already missing', () => {
    given([registered(), reported()])
      .when(reportChildMissing({ episodeId: 'episode-2' }))
      .thenRefuses(`child is already missing (episode ${EPISODE_ID})`);
  });

  it('refuses a missing-since in the future', () => {
    given([registered()])
      .when(reportChildMissing({ missingSince: '2026-11-25T10:00:00.001Z' }))
      .thenRefuses('missingSince is in the future', { kind: 'invalid', field: 'missingSince' });
  });

  it('refuses a missing-since that is not a time', () => {
    given([registered()])
      .when(reportChildMissing({ missingSince: 'yesterday' }))
      .thenRefuses('missingSince is not an ISO-8601 time', { kind: 'invalid', field: 'missingSince' });
  });

  it('refuses an episode id that is already used', () => {
    given([registered(), reported(), returned(), closed()])
      .when(reportChildMissing())
      .thenRefuses(`episode ${EPISODE_ID} already exists`, { field: 'episodeId' });
  });

  it('refuses a report without a district', () => {
    given([registered()])
      .when(reportChildMissing({ district: '' }))
      .thenRefuses('district is required', { kind: 'invalid', field: 'district' });
  });
});
