import { idCreatedBy } from '../event-store/command-handling';
import { caseReference } from '../escalation/child-stream-reader';
import type { EscalationPolicy } from '../escalation/policy/escalation-policy';
import type { Mention } from './link-mentions';
import type { FlagLinkToOtherChildren } from './links.commands';

/** A child in the index of one person or place, in the order the children first named it. */
export interface IndexedChild {
  childId: string;
  /** The event in which this child first named it. */
  firstEventId: string;
  /** As this child spelled it first. */
  display: string;
}

/** What one event's mention asks of the children's streams: each command with its deterministic id. */
export interface PlannedFlag {
  commandId: string;
  command: FlagLinkToOtherChildren;
}

/**
 * The flags a mention calls for. Only a child's first mention of a person or place links it: the
 * children who named it before (in the global order) are its links, and each of them is told of the
 * newcomer. Judged on the index in first-mention order, not on what the index holds now, so a replay
 * of any event, after a crash or from zero, plans the same commands with the same ids.
 *
 * The coordinator is told once per child joining a link: for two children that is one escalation
 * (on the second child's stream); a third child joining flags the third, updates the first two and
 * raises one more escalation, for the third child's case.
 */
export function planLinkFlags(
  index: readonly IndexedChild[],
  mention: Mention,
  naming: { childId: string; eventId: string },
  rule: EscalationPolicy['linkedPeopleOrPlaces'],
  now: string,
): PlannedFlag[] {
  const position = index.findIndex((entry) => entry.childId === naming.childId);
  if (position < 0 || index[position].firstEventId !== naming.eventId) return [];
  const earlier = index.slice(0, position);
  if (earlier.length === 0) return [];
  const link = { kind: mention.kind, key: mention.key };
  const namedBy = { childId: naming.childId, episodeId: mention.episodeId, eventId: naming.eventId };
  const joined = `links/${mention.kind}\n${mention.key}/${naming.childId}`;
  const flag = (childId: string, display: string, otherChildren: string[], escalation: FlagLinkToOtherChildren['escalation']): FlagLinkToOtherChildren => ({
    type: 'FlagLinkToOtherChildren',
    childId,
    ...link,
    display,
    otherChildren,
    namedBy,
    escalation,
    now,
  });
  return [
    {
      commandId: idCreatedBy(joined, 'flag'),
      command: flag(
        naming.childId,
        mention.display,
        earlier.map((entry) => entry.childId),
        {
          escalationId: idCreatedBy(joined, 'escalation'),
          tier: rule.tier,
          notify: rule.notify,
          figures: { linkKind: mention.kind, linkedChildren: position + 1, otherCases: earlier.map((entry) => caseReference(entry.childId)) },
        },
      ),
    },
    ...earlier.map((entry) => ({
      commandId: idCreatedBy(joined, `flag/${entry.childId}`),
      command: flag(entry.childId, entry.display, [naming.childId], null),
    })),
  ];
}
