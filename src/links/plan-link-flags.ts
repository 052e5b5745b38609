import { idCreatedBy } from '../event-store/command-handling';
import { caseReference } from '../escalation/child-stream-reader';
import type { EscalationPolicy } from '../escalation/policy/escalation-policy';
import type { Mention } from './link-mentions';
import type { FlagLinkToOtherChildren, LinkEscalation } from './links.commands';

/** A child in the index of one person or place, in the order the children first named it. */
export interface IndexedChild {
  childId: string;
  /** The event in which this child first named it, and its place in the child's stream. */
  firstEventId: string;
  firstStreamVersion: number;
  /** As this child spelled it first. */
  display: string;
}

/** A child's first mention that links it to the children who named the same before it. */
export interface LinkJoined {
  joining: IndexedChild;
  earlier: IndexedChild[];
}

/** What one event's mention asks of the children's streams: each command with its deterministic id. */
export interface PlannedFlag {
  commandId: string;
  command: FlagLinkToOtherChildren;
}

/**
 * Whether this event links its child to others: only a child's first mention of a person or place
 * does, and the children who named it before it in the global order are its links. Judged on the
 * index in first-mention order, not on what the index holds now, so a replay of any event, after a
 * crash or from zero, judges it the same.
 */
export function linkJoinedBy(index: readonly IndexedChild[], naming: { childId: string; eventId: string }, maxChildren = Infinity): LinkJoined | null {
  const position = index.findIndex((entry) => entry.childId === naming.childId);
  // Beyond `maxChildren` it is a public place (a bus station, a shopping centre): flagging every
  // child to every other would flood coordinators and streams with n² flags that say nothing.
  if (position < 1 || position >= maxChildren || index[position].firstEventId !== naming.eventId) return null;
  return { joining: index[position], earlier: index.slice(0, position) };
}

/**
 * The flags a child joining a link calls for: the newcomer flagged with every earlier child, each
 * earlier child with the newcomer. The coordinators are told once per child joining a link and per
 * district: an escalation on the newcomer's stream for its district, and one on the earliest linked
 * child of each other district (`districts`: each child's local authority as of its first mention,
 * so a replay plans the same). Two children of one district: one escalation; a third joining: one more.
 */
export function planLinkFlags(
  { joining, earlier }: LinkJoined,
  mention: Mention,
  districts: ReadonlyMap<string, string>,
  rule: EscalationPolicy['linkedPeopleOrPlaces'],
  now: string,
): PlannedFlag[] {
  const namedBy = { childId: joining.childId, episodeId: mention.episodeId, eventId: joining.firstEventId };
  const joined = `links/${mention.kind}\n${mention.key}/${joining.childId}`;
  const flag = (child: IndexedChild, display: string, otherChildren: string[], escalation: LinkEscalation | null): FlagLinkToOtherChildren => ({
    type: 'FlagLinkToOtherChildren',
    childId: child.childId,
    kind: mention.kind,
    key: mention.key,
    display,
    otherChildren,
    namedBy,
    escalation,
    now,
  });
  const escalation = (child: IndexedChild, others: IndexedChild[]): LinkEscalation => ({
    escalationId: idCreatedBy(joined, `escalation/${child.childId}`),
    tier: rule.tier,
    notify: rule.notify,
    figures: { linkKind: mention.kind, linkedChildren: earlier.length + 1, otherCases: others.map((other) => caseReference(other.childId)) },
  });
  const told = new Set([districts.get(joining.childId)]);
  const tellsItsDistrict = (child: IndexedChild): boolean => {
    const district = districts.get(child.childId);
    if (told.has(district)) return false;
    told.add(district);
    return true;
  };
  return [
    { commandId: idCreatedBy(joined, 'flag'), command: flag(joining, mention.display, earlier.map((e) => e.childId), escalation(joining, earlier)) },
    ...earlier.map((child) => ({
      commandId: idCreatedBy(joined, `flag/${child.childId}`),
      command: flag(child, child.display, [joining.childId], tellsItsDistrict(child) ? escalation(child, [joining]) : null),
    })),
  ];
}
