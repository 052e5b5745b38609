import type { ChildStreamSlice } from '../child-stream/child-stream-slice';
import { LINKS_COMMAND_TYPES, type LinksCommand } from './links.commands';
import { decideLinks } from './links.decider';
import { LINKS_EVENT_TYPES } from './links.events';
import { type ChildLinks, evolveChildLinks, initialChildLinks } from './links.state';

/** The people and places that link the child to other children, as the machine flagged them. */
export const linksSlice: ChildStreamSlice<ChildLinks, LinksCommand> = {
  eventTypes: LINKS_EVENT_TYPES,
  commandTypes: LINKS_COMMAND_TYPES,
  initial: initialChildLinks,
  evolve: evolveChildLinks,
  decide: decideLinks,
};
