import { CHILD_STREAM_SLICES, directoryEntriesOf, initialChildStream } from './child-stream';
import { registered, reported } from '../child-case/child-case.fixtures';

const slices = Object.values(CHILD_STREAM_SLICES);
const repeated = (types: readonly string[]) => types.filter((type, index) => types.indexOf(type) !== index);

describe('the child stream: one state from every slice', () => {
  it('gives each event type to exactly one slice', () => {
    expect(repeated(slices.flatMap((slice) => slice.eventTypes))).toEqual([]);
  });

  it('gives each command type to exactly one slice', () => {
    expect(repeated(slices.flatMap((slice) => slice.commandTypes))).toEqual([]);
  });

  it('starts every part empty', () => {
    expect(initialChildStream()).toMatchObject({
      childCase: { registered: false },
      safeguarding: { openMeetingId: null, activePlan: false },
      returnWork: { byEpisode: {} },
      plans: { byId: {}, openPlanId: null },
      meetings: { byId: {} },
      notices: { byId: {} },
    });
  });

  it('lists the objects an event creates for the stream directory', () => {
    expect(directoryEntriesOf(reported())).toEqual([{ kind: 'episode', id: 'episode-1' }]);
    expect(directoryEntriesOf(registered())).toEqual([]);
  });
});
