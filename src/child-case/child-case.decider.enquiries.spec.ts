import { given } from '../child-stream/child-stream.given';
import {
  EPISODE_ID,
  MISSING_SINCE,
  NOW,
  assessRisk,
  cancelled,
  closed,
  nameAssociate,
  nameLocation,
  recordSighting,
  registered,
  reported,
  returned,
  riskAssessed,
} from './child-case.fixtures';

// Work on an open episode: grading the risk, sightings, the people and places around the child.

describe('AssessRisk', () => {
  it('grades the risk of a missing child, assessed now', () => {
    given([registered(), reported()])
      .when(assessRisk({ grade: 'high', rationale: 'known CSE risk', assessedBy: 'sergeant-3' }))
      .thenEmits([
        riskAssessed({ grade: 'high', rationale: 'known CSE risk', assessedBy: 'sergeant-3', assessedAt: NOW }),
      ]);
  });

  it('re-grades a child still missing', () => {
    given([registered(), reported(), riskAssessed({ grade: 'low' })])
      .when(assessRisk({ grade: 'medium', rationale: 'missing longer than usual' }))
      .thenEmits([
        riskAssessed({
          grade: 'medium',
          rationale: 'missing longer than usual',
          assessedBy: 'sergeant-3',
          assessedAt: NOW,
        }),
      ]);
  });

  it('refuses an episode this child does not have', () => {
    given([registered()])
      .when(assessRisk())
      .thenRefuses(`episode ${EPISODE_ID} does not exist`, { kind: 'not-found' });
  });

  it('refuses to re-grade a closed episode', () => {
    given([registered(), reported(), returned(), closed()])
      .when(assessRisk())
      .thenRefuses(`episode ${EPISODE_ID} is closed`);
  });

  it('refuses to grade a cancelled episode', () => {
    given([registered(), reported(), cancelled()])
      .when(assessRisk())
      .thenRefuses(`episode ${EPISODE_ID} is cancelled`);
  });

  it('refuses to grade once the child has returned', () => {
    given([registered(), reported(), returned()])
      .when(assessRisk())
      .thenRefuses(`risk is graded while the child is missing; episode ${EPISODE_ID} has ended`);
  });

  it('refuses a grade without a rationale', () => {
    given([registered(), reported()])
      .when(assessRisk({ rationale: '  ' }))
      .thenRefuses('rationale is required', { kind: 'invalid', field: 'rationale' });
  });
});

describe('RecordSighting', () => {
  it('records a sighting while the child is missing', () => {
    given([registered(), reported()])
      .when(recordSighting({ description: 'with two older men' }))
      .thenEmits([
        {
          type: 'SightingRecorded',
          episodeId: EPISODE_ID,
          sightingId: 'sighting-1',
          seenAt: '2026-11-25T08:00:00.000Z',
          place: 'bus station',
          description: 'with two older men',
        },
      ]);
  });

  it('records a sighting learnt after the return', () => {
    given([registered(), reported(), returned()])
      .when(recordSighting({ seenAt: MISSING_SINCE }))
      .thenEmits([
        {
          type: 'SightingRecorded',
          episodeId: EPISODE_ID,
          sightingId: 'sighting-1',
          seenAt: MISSING_SINCE,
          place: 'bus station',
        },
      ]);
  });

  it('refuses an episode this child does not have', () => {
    given([registered()])
      .when(recordSighting())
      .thenRefuses(`episode ${EPISODE_ID} does not exist`, { kind: 'not-found' });
  });

  it('refuses a cancelled episode', () => {
    given([registered(), reported(), cancelled()])
      .when(recordSighting())
      .thenRefuses(`episode ${EPISODE_ID} is cancelled`);
  });

  it('refuses a closed episode', () => {
    given([registered(), reported(), returned(), closed()])
      .when(recordSighting())
      .thenRefuses(`episode ${EPISODE_ID} is closed`);
  });

  it('refuses a sighting in the future', () => {
    given([registered(), reported()])
      .when(recordSighting({ seenAt: '2026-11-25T10:01:00.000Z' }))
      .thenRefuses('seenAt is in the future', { kind: 'invalid', field: 'seenAt' });
  });

  it('refuses a sighting before the child went missing', () => {
    given([registered(), reported()])
      .when(recordSighting({ seenAt: '2026-11-25T05:59:00.000Z' }))
      .thenRefuses('seenAt is before missingSince', { kind: 'invalid', field: 'seenAt' });
  });

  it('refuses a sighting without a place', () => {
    given([registered(), reported()])
      .when(recordSighting({ place: '' }))
      .thenRefuses('place is required', { kind: 'invalid', field: 'place' });
  });
});

describe('NameAssociate', () => {
  it('names a person the child may be with', () => {
    given([registered(), reported()])
      .when(nameAssociate({ relationship: 'older boyfriend', notes: 'drives a black car' }))
      .thenEmits([
        {
          type: 'AssociateNamed',
          episodeId: EPISODE_ID,
          associateId: 'associate-1',
          name: 'Jay',
          relationship: 'older boyfriend',
          notes: 'drives a black car',
        },
      ]);
  });

  it('names an associate after the return', () => {
    given([registered(), reported(), returned()])
      .when(nameAssociate())
      .thenEmits([{ type: 'AssociateNamed', episodeId: EPISODE_ID, associateId: 'associate-1', name: 'Jay' }]);
  });

  it('refuses an episode this child does not have', () => {
    given([registered()])
      .when(nameAssociate())
      .thenRefuses(`episode ${EPISODE_ID} does not exist`, { kind: 'not-found' });
  });

  it('refuses a cancelled episode', () => {
    given([registered(), reported(), cancelled()])
      .when(nameAssociate())
      .thenRefuses(`episode ${EPISODE_ID} is cancelled`);
  });

  it('refuses a closed episode', () => {
    given([registered(), reported(), returned(), closed()])
      .when(nameAssociate())
      .thenRefuses(`episode ${EPISODE_ID} is closed`);
  });

  it('refuses an associate without a name', () => {
    given([registered(), reported()])
      .when(nameAssociate({ name: '' }))
      .thenRefuses('name is required', { kind: 'invalid', field: 'name' });
  });
});

describe('NameLocation', () => {
  it('names a place the child may be', () => {
    given([registered(), reported()])
      .when(nameLocation({ postcode: 'S1 2AB', notes: 'seen going in twice' }))
      .thenEmits([
        {
          type: 'LocationNamed',
          episodeId: EPISODE_ID,
          locationId: 'location-1',
          place: 'flat above the takeaway',
          postcode: 'S1 2AB',
          notes: 'seen going in twice',
        },
      ]);
  });

  it('names a place after the return', () => {
    given([registered(), reported(), returned()])
      .when(nameLocation())
      .thenEmits([
        { type: 'LocationNamed', episodeId: EPISODE_ID, locationId: 'location-1', place: 'flat above the takeaway' },
      ]);
  });

  it('refuses an episode this child does not have', () => {
    given([registered()])
      .when(nameLocation())
      .thenRefuses(`episode ${EPISODE_ID} does not exist`, { kind: 'not-found' });
  });

  it('refuses a cancelled episode', () => {
    given([registered(), reported(), cancelled()])
      .when(nameLocation())
      .thenRefuses(`episode ${EPISODE_ID} is cancelled`);
  });

  it('refuses a closed episode', () => {
    given([registered(), reported(), returned(), closed()])
      .when(nameLocation())
      .thenRefuses(`episode ${EPISODE_ID} is closed`);
  });

  it('refuses a place without a name', () => {
    given([registered(), reported()])
      .when(nameLocation({ place: ' ' }))
      .thenRefuses('place is required', { kind: 'invalid', field: 'place' });
  });
});
