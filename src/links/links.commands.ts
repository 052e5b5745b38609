import { typesOf } from '../child-stream/child-stream-slice';
import type { RecipientRole } from '../escalation/policy/escalation-policy';
import type { LinkKind } from './link-keys';
import type { NamedBy } from './links.events';

/** The coordinator is told once, through an escalation on the stream of the child whose mention made the link. */
export interface LinkEscalation {
  escalationId: string;
  tier: number;
  notify: RecipientRole[];
  /** What the e-mail may say: the kind of link and case references, never the name or the address. */
  figures: Record<string, unknown>;
}

/** Issued by the linked-children processor to each child a shared person or place links. */
export interface FlagLinkToOtherChildren {
  type: 'FlagLinkToOtherChildren';
  childId: string;
  kind: LinkKind;
  key: string;
  display: string;
  otherChildren: string[];
  namedBy: NamedBy;
  escalation: LinkEscalation | null;
  now: string;
}

export type LinksCommand = FlagLinkToOtherChildren;

export const LINKS_COMMAND_TYPES = typesOf<LinksCommand['type']>({ FlagLinkToOtherChildren: true });
