import { given } from '../child-stream/child-stream.given';
import {
  EPISODE_ID,
  MISSING_SINCE,
  NOW,
  cancelEpisode,
  cancelled,
  closeEpisode,
  closed,
  recordReturn,
  registered,
  reported,
  returned,
} from './child-case.fixtures';

// How an episode ends: the return, a cancellation, the closing.

describe('RecordReturn', () => {
  it('records the return of a missing child', () => {
    const found = {
      how: 'found',
      where: 'Meadowhall',
      withWhom: 'two adults',
      condition: 'cold and hungry',
      foundBy: 'PC 123',
    } as const;
    given([registered(), reported()])
      .when(recordReturn(found))
      .thenEmits([returned(found)]);
  });

  it('accepts a return at the very moment the child went missing', () => {
    given([registered(), reported()])
      .when(recordReturn({ returnedAt: MISSING_SINCE }))
      .thenEmits([returned({ returnedAt: MISSING_SINCE })]);
  });

  it('refuses a return before a report', () => {
    given([registered()])
      .when(recordReturn())
      .thenRefuses(`episode ${EPISODE_ID} does not exist`, { kind: 'not-found' });
  });

  it('refuses a second return', () => {
    given([registered(), reported(), returned()]).when(recordReturn()).thenRefuses('child is not missing');
  });

  it('refuses a return for a closed episode', () => {
    given([registered(), reported(), returned(), closed()]).when(recordReturn()).thenRefuses('child is not missing');
  });

  it('refuses a return for a cancelled episode', () => {
    given([registered(), reported(), cancelled()]).when(recordReturn()).thenRefuses('child is not missing');
  });

  it('refuses a return before the child went missing', () => {
    given([registered(), reported()])
      .when(recordReturn({ returnedAt: '2026-11-25T05:59:59.999Z' }))
      .thenRefuses('returnedAt is before missingSince', { kind: 'invalid', field: 'returnedAt' });
  });

  it('refuses a return in the future', () => {
    given([registered(), reported()])
      .when(recordReturn({ returnedAt: '2026-11-25T10:00:00.001Z' }))
      .thenRefuses('returnedAt is in the future', { kind: 'invalid', field: 'returnedAt' });
  });

  it('refuses a return without where the child was', () => {
    given([registered(), reported()])
      .when(recordReturn({ where: '' }))
      .thenRefuses('where is required', { kind: 'invalid', field: 'where' });
  });
});

describe('CancelEpisode', () => {
  it('cancels an episode reported in error while the child is "missing"', () => {
    given([registered(), reported()])
      .when(cancelEpisode({ note: 'child was at a friend’s, mother forgot' }))
      .thenEmits([cancelled({ cancelledAt: NOW, note: 'child was at a friend’s, mother forgot' })]);
  });

  it('cancels a duplicate after the return', () => {
    const original = [reported({ episodeId: 'episode-0' }), returned({ episodeId: 'episode-0' })];
    given([registered(), ...original, reported(), returned()])
      .when(cancelEpisode({ reason: 'duplicate', duplicateOf: 'episode-0' }))
      .thenEmits([cancelled({ reason: 'duplicate', duplicateOf: 'episode-0', cancelledAt: NOW })]);
  });

  it('refuses an episode this child does not have', () => {
    given([registered()])
      .when(cancelEpisode())
      .thenRefuses(`episode ${EPISODE_ID} does not exist`, { kind: 'not-found' });
  });

  it('refuses an episode already cancelled', () => {
    given([registered(), reported(), cancelled()])
      .when(cancelEpisode())
      .thenRefuses(`episode ${EPISODE_ID} is cancelled`);
  });

  it('refuses a closed episode', () => {
    given([registered(), reported(), returned(), closed()])
      .when(cancelEpisode())
      .thenRefuses(`episode ${EPISODE_ID} is closed`);
  });
});

describe('CloseEpisode', () => {
  it('closes an episode once the child has returned', () => {
    given([registered(), reported(), returned()])
      .when(closeEpisode({ note: 'return interview done, plan in place' }))
      .thenEmits([closed({ closedAt: NOW, note: 'return interview done, plan in place' })]);
  });

  it('refuses an episode this child does not have', () => {
    given([registered()])
      .when(closeEpisode())
      .thenRefuses(`episode ${EPISODE_ID} does not exist`, { kind: 'not-found' });
  });

  it('refuses to close while the child is missing', () => {
    given([registered(), reported()])
      .when(closeEpisode())
      .thenRefuses(`episode ${EPISODE_ID} cannot be closed while the child is missing`);
  });

  it('refuses an episode already closed', () => {
    given([registered(), reported(), returned(), closed()])
      .when(closeEpisode())
      .thenRefuses(`episode ${EPISODE_ID} is closed`);
  });

  it('refuses a cancelled episode', () => {
    given([registered(), reported(), cancelled()])
      .when(closeEpisode())
      .thenRefuses(`episode ${EPISODE_ID} is cancelled`);
  });
});
