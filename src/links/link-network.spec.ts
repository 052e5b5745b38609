import { caseReference } from '../escalation/child-stream-reader';
import { childLinks, type FlagRow, type MentionRow, sharersOf } from './link-network';

const A = '11111111-1111-1111-1111-111111111111';
const B = '22222222-2222-2222-2222-222222222222';
const C = '33333333-3333-3333-3333-333333333333';
const at = (minute: number) => new Date(Date.UTC(2026, 10, 25, 8, minute));
const row = (o: Partial<MentionRow>): MentionRow => ({
  childId: A,
  kind: 'associate',
  key: 'name:jason smith',
  display: 'Jason  SMITH',
  episodeId: 'ep-a1',
  source: 'associate',
  namedAt: at(0),
  ...o,
});

describe('childLinks', () => {
  const mine = [
    row({}),
    row({ episodeId: 'ep-a2', source: 'return', namedAt: at(5) }),
    row({ kind: 'place', key: 'postcode:S1 2AB', display: '12 High St, S1 2AB', source: 'location', namedAt: at(6) }),
    row({ kind: 'place', key: 'address:castle market', display: 'Castle Market', source: 'sighting', namedAt: at(7) }),
  ];
  const others = sharersOf([
    { childId: B, key: 'name:jason smith', episodeId: 'ep-b1' },
    { childId: C, key: 'postcode:S1 2AB', episodeId: null },
    { childId: B, key: 'name:jason smith', episodeId: 'ep-b1' },
    { childId: B, key: 'postcode:S1 2AB', episodeId: 'ep-b2' },
  ]);
  const flags: FlagRow[] = [{ otherChildId: B, kind: 'associate', key: 'name:jason smith', linkedAt: at(11) }];

  it('lists the child’s own associates and places with every mention', () => {
    const links = childLinks(A, mine, others, flags);
    expect(links.associates).toEqual([
      {
        kind: 'associate',
        key: 'name:jason smith',
        display: 'Jason  SMITH',
        mentions: [
          { source: 'associate', episodeId: 'ep-a1', namedAt: at(0) },
          { source: 'return', episodeId: 'ep-a2', namedAt: at(5) },
        ],
      },
    ]);
    expect(links.places.map((p) => p.key)).toEqual(['postcode:S1 2AB', 'address:castle market']);
  });

  it('shows the network: who else named them, through which, in which episodes, and when the machine flagged it', () => {
    const { network } = childLinks(A, mine, others, flags);
    expect(network.links).toEqual([
      {
        kind: 'associate',
        key: 'name:jason smith',
        display: 'Jason  SMITH',
        namedByChildren: 2,
        publicPlace: false,
        children: [
          { childId: A, caseReference: caseReference(A), episodes: ['ep-a1', 'ep-a2'], flaggedAt: null },
          { childId: B, caseReference: caseReference(B), episodes: ['ep-b1'], flaggedAt: at(11) },
        ],
      },
      {
        kind: 'place',
        key: 'postcode:S1 2AB',
        display: '12 High St, S1 2AB',
        namedByChildren: 3,
        publicPlace: false,
        children: [
          { childId: A, caseReference: caseReference(A), episodes: ['ep-a1'], flaggedAt: null },
          { childId: C, caseReference: caseReference(C), episodes: [], flaggedAt: null },
          { childId: B, caseReference: caseReference(B), episodes: ['ep-b2'], flaggedAt: null },
        ],
      },
    ]);
    expect(network.children).toEqual([
      { childId: B, caseReference: caseReference(B), through: ['name:jason smith', 'postcode:S1 2AB'], episodes: ['ep-b1', 'ep-b2'], flaggedAt: at(11) },
      { childId: C, caseReference: caseReference(C), through: ['postcode:S1 2AB'], episodes: [], flaggedAt: null },
    ]);
  });

  it('makes one sharer of each child and key, with each episode once, in the order first named', () => {
    expect(others).toEqual([
      { childId: B, key: 'name:jason smith', episodes: ['ep-b1'] },
      { childId: C, key: 'postcode:S1 2AB', episodes: [] },
      { childId: B, key: 'postcode:S1 2AB', episodes: ['ep-b2'] },
    ]);
  });

  it('marks a key named by more children than the public-place cap, counting those it does not list', () => {
    const reach = { maxChildren: 12, namedByOthers: new Map([['postcode:S1 2AB', 2_200], ['name:jason smith', 1]]) };
    const { network } = childLinks(A, mine, others, flags, reach);
    expect(network.links.map(({ key, namedByChildren, publicPlace }) => ({ key, namedByChildren, publicPlace }))).toEqual([
      { key: 'name:jason smith', namedByChildren: 2, publicPlace: false },
      { key: 'postcode:S1 2AB', namedByChildren: 2_201, publicPlace: true },
    ]);
  });

  it('has an empty network when nobody else named them', () => {
    expect(childLinks(A, mine, [], []).network).toEqual({ children: [], links: [] });
  });
});
