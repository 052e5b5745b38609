import type { ChildStreamEvent } from '../child-stream/child-stream';
import type { LinkKind } from './link-keys';

/** Each person or place that links the child to others (`kind\nkey`), and the children it links to so far. */
export interface ChildLinks {
  readonly linkedTo: Readonly<Record<string, readonly string[]>>;
}

export const linkId = (kind: LinkKind, key: string): string => `${kind}\n${key}`;

export const initialChildLinks = (): ChildLinks => ({ linkedTo: {} });

export function evolveChildLinks(state: ChildLinks, event: ChildStreamEvent): ChildLinks {
  if (event.type !== 'ChildLinkedToOtherChildren') return state;
  const id = linkId(event.kind, event.key);
  const known = linkedChildren(state, id);
  return { linkedTo: { ...state.linkedTo, [id]: [...known, ...event.otherChildren.filter((child) => !known.includes(child))] } };
}

export const linkedChildren = (state: ChildLinks, id: string): readonly string[] =>
  Object.hasOwn(state.linkedTo, id) ? state.linkedTo[id] : [];
