/** Test support for the links specs: child-1 named Jason Smith in its episode, after child-2 had. */
import { CHILD_ID, EPISODE_ID, NOW } from '../child-case/child-case.fixtures';
import type { EscalationRaised } from '../escalation/escalation.events';
import type { FlagLinkToOtherChildren, LinkEscalation } from './links.commands';
import type { ChildLinkedToOtherChildren } from './links.events';

export const OTHER_CHILD = 'child-2';
export const THIRD_CHILD = 'child-3';
export const NAMING_EVENT = 'event-named';
export const ESCALATION_ID = 'escalation-linked';

export const linkEscalation = (o: Partial<LinkEscalation> = {}): LinkEscalation => ({
  escalationId: ESCALATION_ID,
  tier: 1,
  notify: ['coordinator'],
  figures: { linkKind: 'associate', linkedChildren: 2, otherCases: ['MFH-CHILD2'] },
  ...o,
});

export const linked = (o: Partial<ChildLinkedToOtherChildren> = {}): ChildLinkedToOtherChildren => ({
  type: 'ChildLinkedToOtherChildren',
  childId: CHILD_ID,
  kind: 'associate',
  key: 'name:jason smith',
  display: 'Jason SMITH',
  otherChildren: [OTHER_CHILD],
  namedBy: { childId: CHILD_ID, episodeId: EPISODE_ID, eventId: NAMING_EVENT },
  linkedAt: NOW,
  ...o,
});

export const flagLink = (o: Partial<FlagLinkToOtherChildren> = {}): FlagLinkToOtherChildren => {
  const { type: _type, linkedAt: _at, ...link } = linked();
  return { type: 'FlagLinkToOtherChildren', ...link, escalation: null, now: NOW, ...o };
};

export const linkEscalationRaised = (o: Partial<EscalationRaised> = {}): EscalationRaised => ({
  type: 'EscalationRaised',
  escalationId: ESCALATION_ID,
  childId: CHILD_ID,
  rule: 'linked-people-or-places',
  tier: 1,
  notify: ['coordinator'],
  district: 'Sheffield',
  episodeId: EPISODE_ID,
  figures: linkEscalation().figures,
  cause: NAMING_EVENT,
  escalates: null,
  raisedAt: NOW,
  ...o,
});
