import { typesOf } from '../child-stream/child-stream-slice';
import type { LinkKind } from './link-keys';

/** Who named the person or place in the mention that made the link, where, and in which stored event. */
export interface NamedBy {
  childId: string;
  /** Null when it was named outside an episode (the Philomena profile, a warning notice). */
  episodeId: string | null;
  eventId: string;
}

/**
 * DOMAIN (HMIC 2014): nobody linked the people and places runaways shared. The machine records on
 * each child's stream that a person or place named for it is named for other children too.
 */
export interface ChildLinkedToOtherChildren {
  type: 'ChildLinkedToOtherChildren';
  childId: string;
  kind: LinkKind;
  /** The normalised key (`name:jason smith`, `postcode:S1 2AB`), the same for every spelling. */
  key: string;
  /** As typed in the mention that made the link, tidied. */
  display: string;
  /** The children newly linked to this one through it (earlier flags name the others). */
  otherChildren: string[];
  namedBy: NamedBy;
  linkedAt: string;
}

export type LinksEvent = ChildLinkedToOtherChildren;

export const LINKS_EVENT_TYPES = typesOf<LinksEvent['type']>({ ChildLinkedToOtherChildren: true });
