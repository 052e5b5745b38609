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

/** Another child's mention of one of the child's keys, as much of it as the network shows. */
export type OtherMention = Pick<MentionRow, 'childId' | 'key' | 'episodeId'>;

/** Another child who named `key`, with the episodes in which it did (in the order named, each once). */
export interface SharerRow {
  childId: string;
  key: string;
  episodes: string[];
}

/** Other children's mentions, in the order named, as one row per child and key, in the order each first named it. */
export function sharersOf(mentions: readonly OtherMention[]): SharerRow[] {
  const rows = new Map<string, { childId: string; key: string; episodes: Set<string> }>();
  for (const { childId, key, episodeId } of mentions) {
    const id = `${key} ${childId}`;
    let row = rows.get(id);
    if (!row) rows.set(id, (row = { childId, key, episodes: new Set() }));
    if (episodeId !== null) row.episodes.add(episodeId);
  }
  return [...rows.values()].map((row) => ({ ...row, episodes: [...row.episodes] }));
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
/** How far each key reaches: how many other children named it, against the policy's public-place cap. */
export interface KeyReach {
  maxChildren: number;
  namedByOthers: ReadonlyMap<string, number>;
}

export function childLinks(
  childId: string,
  mine: readonly MentionRow[],
  sharers: readonly SharerRow[],
  flags: readonly FlagRow[],
  reach: KeyReach = { maxChildren: Infinity, namedByOthers: new Map() },
) {
  const own = groupBy(mine, (row) => row.key).map((rows) => ({
    kind: rows[0].kind,
    key: rows[0].key,
    display: rows[0].display,
    mentions: rows.map(({ source, episodeId, namedAt }) => ({ source, episodeId, namedAt })),
  }));
  // Looked up once per child and link: a place many children name has as many sharers and flags.
  const earliestFlag = new Map<string, Date>();
  for (const flag of flags) {
    for (const id of [flag.otherChildId, `${flag.otherChildId} ${flag.key}`]) {
      const known = earliestFlag.get(id);
      if (!known || flag.linkedAt < known) earliestFlag.set(id, flag.linkedAt);
    }
  }
  const flaggedAt = (otherChildId: string, key?: string): Date | null =>
    earliestFlag.get(key === undefined ? otherChildId : `${otherChildId} ${key}`) ?? null;
  const sharersOf = groupBy(sharers, (row) => row.key);
  const sharersByKey = new Map(sharersOf.map((rows) => [rows[0].key, rows]));

  const links = own
    .map((link) => ({ link, sharers: sharersByKey.get(link.key) ?? [] }))
    .filter(({ sharers }) => sharers.length > 0)
    .map(({ link, sharers }) => {
      const namedByChildren = 1 + (reach.namedByOthers.get(link.key) ?? sharers.length);
      return { link, sharers, namedByChildren, publicPlace: namedByChildren > reach.maxChildren };
    })
    .map(({ link, sharers, namedByChildren, publicPlace }) => ({
      kind: link.kind,
      key: link.key,
      display: link.display,
      // A public place lists only the first children who named it (the ones it could link).
      namedByChildren,
      publicPlace,
      children: [
        { childId, caseReference: caseReference(childId), episodes: episodesOf(link.mentions), flaggedAt: null },
        ...sharers.map((row) => ({
          childId: row.childId,
          caseReference: caseReference(row.childId),
          episodes: row.episodes,
          flaggedAt: flaggedAt(row.childId, link.key),
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
