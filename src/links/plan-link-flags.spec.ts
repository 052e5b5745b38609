import { EPISODE_ID, NOW } from '../child-case/child-case.fixtures';
import { caseReference } from '../escalation/child-stream-reader';
import { associateKey } from './link-keys';
import type { Mention } from './link-mentions';
import { type IndexedChild, planLinkFlags } from './plan-link-flags';

const RULE = { tier: 1, notify: ['coordinator' as const] };
const A = '11111111-1111-1111-1111-111111111111';
const B = '22222222-2222-2222-2222-222222222222';
const C = '33333333-3333-3333-3333-333333333333';
const mention = (name: string): Mention => ({ ...associateKey(name)!, source: 'associate', episodeId: EPISODE_ID });
const entry = (childId: string, firstEventId: string, display = 'Jason SMITH'): IndexedChild => ({ childId, firstEventId, display });

describe('planLinkFlags', () => {
  it('plans nothing for the first child to name someone', () => {
    expect(planLinkFlags([entry(A, 'a1')], mention('Jason SMITH'), { childId: A, eventId: 'a1' }, RULE, NOW)).toEqual([]);
  });

  it('flags the second child with the first, with one escalation, and the first with the second', () => {
    const index = [entry(A, 'a1', 'Jason  SMITH'), entry(B, 'b1', 'jason smith')];
    const plans = planLinkFlags(index, mention('jason smith'), { childId: B, eventId: 'b1' }, RULE, NOW);
    expect(plans.map((p) => [p.command.childId, p.command.otherChildren, p.command.display, p.command.escalation !== null])).toEqual([
      [B, [A], 'jason smith', true],
      [A, [B], 'Jason  SMITH', false],
    ]);
    expect(plans[0].command.escalation).toMatchObject({ tier: 1, notify: ['coordinator'], figures: { linkKind: 'associate', linkedChildren: 2, otherCases: [caseReference(A)] } });
    expect(plans[0].command.namedBy).toEqual({ childId: B, episodeId: EPISODE_ID, eventId: 'b1' });
    expect(new Set(plans.map((p) => p.commandId)).size).toBe(2);
  });

  it('plans the same commands with the same ids on a replay, whatever the index holds by then', () => {
    const now = [entry(A, 'a1'), entry(B, 'b1')];
    const later = [...now, entry(C, 'c1')];
    const first = planLinkFlags(now, mention('Jason Smith'), { childId: B, eventId: 'b1' }, RULE, NOW);
    expect(planLinkFlags(later, mention('Jason Smith'), { childId: B, eventId: 'b1' }, RULE, NOW)).toEqual(first);
    // A's first mention, replayed with B and C already indexed after it, still links nobody.
    expect(planLinkFlags(later, mention('Jason Smith'), { childId: A, eventId: 'a1' }, RULE, NOW)).toEqual([]);
  });

  it('plans nothing for a later mention by a child already indexed', () => {
    const index = [entry(A, 'a1'), entry(B, 'b1')];
    expect(planLinkFlags(index, mention('Jason Smith'), { childId: B, eventId: 'b2' }, RULE, NOW)).toEqual([]);
  });

  it('flags a third child with both, and tells each of the others about the third only', () => {
    const index = [entry(A, 'a1'), entry(B, 'b1'), entry(C, 'c1')];
    const plans = planLinkFlags(index, mention('Jason Smith'), { childId: C, eventId: 'c1' }, RULE, NOW);
    expect(plans.map((p) => [p.command.childId, p.command.otherChildren, p.command.escalation?.figures.linkedChildren ?? null])).toEqual([
      [C, [A, B], 3],
      [A, [C], null],
      [B, [C], null],
    ]);
    const pair = planLinkFlags(index.slice(0, 2), mention('Jason Smith'), { childId: B, eventId: 'b1' }, RULE, NOW);
    expect(plans[0].command.escalation?.escalationId).not.toBe(pair[0].command.escalation?.escalationId);
  });
});
