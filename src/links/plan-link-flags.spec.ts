import { EPISODE_ID, NOW } from '../child-case/child-case.fixtures';
import { caseReference } from '../escalation/child-stream-reader';
import { associateKey } from './link-keys';
import type { Mention } from './link-mentions';
import { type IndexedChild, type LinkJoined, linkJoinedBy, planLinkFlags } from './plan-link-flags';

const RULE = { tier: 1, notify: ['coordinator' as const], maxChildren: 12 };
const A = '11111111-1111-1111-1111-111111111111';
const B = '22222222-2222-2222-2222-222222222222';
const C = '33333333-3333-3333-3333-333333333333';
const mention = (name: string): Mention => ({ ...associateKey(name)!, source: 'associate', episodeId: EPISODE_ID });
const entry = (childId: string, firstEventId: string, display = 'Jason SMITH'): IndexedChild => ({ childId, firstEventId, firstStreamVersion: 2, display });
const sheffield = new Map([A, B, C].map((child) => [child, 'Sheffield']));
const plan = (joined: LinkJoined | null, districts = sheffield) => planLinkFlags(joined!, mention('jason smith'), districts, RULE, NOW);
const summary = (plans: ReturnType<typeof plan>) =>
  plans.map(({ command }) => [command.childId, command.otherChildren, command.escalation?.figures.otherCases ?? null]);

describe('linkJoinedBy', () => {
  it('links no child beyond the first maxChildren: a place named for that many is a public place', () => {
    const many = [A, B, C].map((child, i) => entry(child, `e${i}`));
    expect(linkJoinedBy(many, { childId: B, eventId: 'e1' }, 2)).toEqual({ joining: many[1], earlier: [many[0]] });
    expect(linkJoinedBy(many, { childId: C, eventId: 'e2' }, 2)).toBeNull();
    expect(linkJoinedBy(many, { childId: C, eventId: 'e2' }, 3)).toEqual({ joining: many[2], earlier: many.slice(0, 2) });
  });

  it('links nobody for the first child to name someone', () => {
    expect(linkJoinedBy([entry(A, 'a1')], { childId: A, eventId: 'a1' })).toBeNull();
  });

  it('links the second child to the first, by its first mention only', () => {
    const index = [entry(A, 'a1'), entry(B, 'b1')];
    expect(linkJoinedBy(index, { childId: B, eventId: 'b1' })).toEqual({ joining: index[1], earlier: [index[0]] });
    expect(linkJoinedBy(index, { childId: B, eventId: 'b2' })).toBeNull();
  });

  it('judges a replayed event the same, whatever the index holds by then', () => {
    const later = [entry(A, 'a1'), entry(B, 'b1'), entry(C, 'c1')];
    expect(linkJoinedBy(later, { childId: A, eventId: 'a1' })).toBeNull();
    expect(linkJoinedBy(later, { childId: B, eventId: 'b1' })).toEqual({ joining: later[1], earlier: [later[0]] });
  });
});

describe('planLinkFlags', () => {
  it('flags the second child with the first, with one escalation, and the first with the second', () => {
    const index = [entry(A, 'a1', 'Jason  SMITH'), entry(B, 'b1', 'jason smith')];
    const plans = plan(linkJoinedBy(index, { childId: B, eventId: 'b1' }));
    expect(summary(plans)).toEqual([
      [B, [A], [caseReference(A)]],
      [A, [B], null],
    ]);
    expect(plans.map(({ command }) => command.display)).toEqual(['jason smith', 'Jason  SMITH']);
    expect(plans[0].command.escalation).toMatchObject({ tier: 1, notify: ['coordinator'], figures: { linkKind: 'associate', linkedChildren: 2 } });
    expect(plans[0].command.namedBy).toEqual({ childId: B, episodeId: EPISODE_ID, eventId: 'b1' });
    expect(new Set(plans.map((p) => p.commandId)).size).toBe(2);
  });

  it('plans the same command ids on a replay', () => {
    const index = [entry(A, 'a1'), entry(B, 'b1')];
    const ids = () => plan(linkJoinedBy(index, { childId: B, eventId: 'b1' })).map((p) => [p.commandId, p.command.escalation?.escalationId]);
    expect(ids()).toEqual(ids());
  });

  it('flags a third child with both, tells each of the others about the third only, and raises one more escalation', () => {
    const index = [entry(A, 'a1'), entry(B, 'b1'), entry(C, 'c1')];
    const plans = plan(linkJoinedBy(index, { childId: C, eventId: 'c1' }));
    expect(summary(plans)).toEqual([
      [C, [A, B], [caseReference(A), caseReference(B)]],
      [A, [C], null],
      [B, [C], null],
    ]);
    expect(plans[0].command.escalation?.figures.linkedChildren).toBe(3);
    const pair = plan(linkJoinedBy(index.slice(0, 2), { childId: B, eventId: 'b1' }));
    expect(plans[0].command.escalation?.escalationId).not.toBe(pair[0].command.escalation?.escalationId);
  });

  it('tells the coordinators of every district once: the earliest linked child of another district raises its own', () => {
    const index = [entry(A, 'a1'), entry(B, 'b1'), entry(C, 'c1')];
    const districts = new Map([
      [A, 'Rotherham'],
      [B, 'Rotherham'],
      [C, 'Sheffield'],
    ]);
    expect(summary(plan(linkJoinedBy(index, { childId: C, eventId: 'c1' }), districts))).toEqual([
      [C, [A, B], [caseReference(A), caseReference(B)]],
      [A, [C], [caseReference(C)]],
      [B, [C], null],
    ]);
  });
});
