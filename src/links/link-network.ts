import { caseReference } from '../escalation/child-stream-reader';
import type { LinkKind } from './link-keys';
import type { MentionSource } from './link-mentions';

/** One row of rm_link_mentions. */
export interface MentionRow {
  childId: string;
  kind: LinkKind;
  key: string;
  display: string;
  episodeId: string | null;
  source: MentionSource;
  namedAt: Date;
}

/** One row of rm_link_flags: the machine flagged the child as linked to `otherChildId` through `key`. */
export interface FlagRow {
  otherChildId: string;
  kind: LinkKind;
  key: string;
  linkedAt: Date;
}

/**
 * A child's people and places, and the network around it: the other children who named any of them,
 * through which, and the episodes that tie them. Other children appear by id and case reference
 * only; what they said about the person or place is on their own record.
 */
export function childLinks(childId: string, mine: readonly MentionRow[], others: readonly MentionRow[], flags: readonly FlagRow[]) {
  const own = groupBy(mine, (row) => row.key).map((rows) => ({
    kind: rows[0].kind,
    key: rows[0].key,
    display: rows[0].display,
    mentions: rows.map(({ source, episodeId, namedAt }) => ({ source, episodeId, namedAt })),
  }));
  const flaggedAt = (otherChildId: string, key?: string) =>
    earliest(flags.filter((f) => f.otherChildId === otherChildId && (key === undefined || f.key === key)).map((f) => f.linkedAt));

  const links = own
    .map((link) => ({ link, sharers: groupBy(others.filter((row) => row.key === link.key), (row) => row.childId) }))
    .filter(({ sharers }) => sharers.length > 0)
    .map(({ link, sharers }) => ({
      kind: link.kind,
      key: link.key,
      display: link.display,
      children: [
        { childId, caseReference: caseReference(childId), episodes: episodesOf(link.mentions), flaggedAt: null },
        ...sharers.map((rows) => ({
          childId: rows[0].childId,
          caseReference: caseReference(rows[0].childId),
          episodes: episodesOf(rows),
          flaggedAt: flaggedAt(rows[0].childId, link.key),
        })),
      ],
    }));

  const children = groupBy(
    links.flatMap((link) => link.children.slice(1).map((child) => ({ ...child, key: link.key }))),
    (child) => child.childId,
  ).map((entries) => ({
    childId: entries[0].childId,
    caseReference: entries[0].caseReference,
    through: entries.map((entry) => entry.key),
    episodes: [...new Set(entries.flatMap((entry) => entry.episodes))],
    flaggedAt: flaggedAt(entries[0].childId),
  }));

  return {
    childId,
    caseReference: caseReference(childId),
    associates: own.filter((link) => link.kind === 'associate'),
    places: own.filter((link) => link.kind === 'place'),
    network: { children, links },
  };
}

const episodesOf = (rows: readonly { episodeId: string | null }[]): string[] =>
  [...new Set(rows.map((row) => row.episodeId).filter((id): id is string => id !== null))];

const earliest = (dates: Date[]): Date | null => (dates.length ? new Date(Math.min(...dates.map((d) => d.getTime()))) : null);

/** Groups in the order each group first appears. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}
