import type { ChildStream, ChildStreamEvent } from '../child-stream/child-stream';
import { raised } from '../escalation/escalation.decider';
import { findEscalation } from '../escalation/escalation.state';
import { assertNever, refuseInvalid, refuseNotFound } from '../shared/refusal';
import type { FlagLinkToOtherChildren, LinksCommand } from './links.commands';
import { linkedChildren, linkId } from './links.state';

/** The links the machine records on a child: who else a person or place named for it links it to. */
export function decideLinks(command: LinksCommand, stream: ChildStream): ChildStreamEvent[] {
  switch (command.type) {
    case 'FlagLinkToOtherChildren':
      return flagLink(command, stream);
    default:
      // One command so far: a lone type is not a union, so narrow on its `type`.
      return assertNever(command.type);
  }
}

function flagLink(command: FlagLinkToOtherChildren, stream: ChildStream): ChildStreamEvent[] {
  if (!stream.childCase.registered) throw refuseNotFound(`child ${command.childId} does not exist`);
  if (command.key.trim() === '') throw refuseInvalid('key is required', 'key');
  if (command.otherChildren.includes(command.childId)) throw refuseInvalid('a child is not linked to itself', 'otherChildren');
  if (command.otherChildren.length === 0) throw refuseInvalid('a link needs at least one other child', 'otherChildren');
  // Flagged already (a replay, a redelivery): only children new to this link are news.
  const known = linkedChildren(stream.links, linkId(command.kind, command.key));
  const fresh = [...new Set(command.otherChildren)].filter((child) => !known.includes(child));
  if (fresh.length === 0) return [];
  const { type: _type, escalation, now, ...link } = command;
  const events: ChildStreamEvent[] = [{ type: 'ChildLinkedToOtherChildren', ...link, otherChildren: fresh, linkedAt: now }];
  if (escalation && !findEscalation(stream.safeguarding, escalation.escalationId)) {
    events.push(
      raised(stream, {
        escalationId: escalation.escalationId,
        rule: 'linked-people-or-places',
        tier: escalation.tier,
        notify: escalation.notify,
        episodeId: command.namedBy.childId === command.childId ? command.namedBy.episodeId : null,
        figures: escalation.figures,
        cause: command.namedBy.eventId,
        escalates: null,
        raisedAt: now,
      }),
    );
  }
  return events;
}
