import type { ChildStreamEvent } from '../child-stream/child-stream';

/**
 * Which fields of each event of a child's stream are personal data: encrypted at rest with the
 * child's key, and erased with it. Personal: what identifies or describes the child and the
 * people around the child (names, date of birth, ethnicity, places, phones, reporters, associates,
 * accounts, notes, findings, decisions about the child). Kept: ids, times, grades, districts, the
 * professionals who did the work, and what the machine decided (rules, figures), so the history of
 * what was done, when and by whom survives an erasure.
 *
 * A field marked personal has every string inside it encrypted (a list item by item, an object
 * key by key); numbers and booleans inside it stay as they are.
 */
export type Classification = 'personal' | 'kept';

type Classify<T> = Classification | (T extends readonly unknown[] ? never : T extends object ? FieldsOf<T> : never);

/** Every field but `type`, each classified: a new field of an event fails to compile until it is. */
export type FieldsOf<T> = { readonly [K in Exclude<keyof T, 'type'>]-?: Classify<NonNullable<T[K]>> };

type EventOf<T extends ChildStreamEvent['type']> = Extract<ChildStreamEvent, { type: T }>;

const PROFILE = {
  firstName: 'personal',
  lastName: 'personal',
  dateOfBirth: 'personal',
  gender: 'kept',
  ethnicity: 'personal',
  localAuthority: 'kept',
  lookedAfter: 'kept',
  placementType: 'kept',
  philomenaProfile: 'personal',
  riskFlags: 'kept',
} as const;

/** A record over every event type, so a new event type fails to compile until it is classified. */
export const PERSONAL_DATA: { readonly [T in ChildStreamEvent['type']]: FieldsOf<EventOf<T>> } = {
  // The child's case
  ChildRegistered: { childId: 'kept', profile: PROFILE },
  ChildProfileUpdated: { childId: 'kept', changes: PROFILE },
  ChildReportedMissing: {
    childId: 'kept',
    episodeId: 'kept',
    missingSince: 'kept',
    reportedAt: 'kept',
    district: 'kept',
    lastSeenPlace: 'personal',
    reporter: 'personal',
    circumstances: 'personal',
    initialRisk: 'kept',
  },
  RiskAssessed: { episodeId: 'kept', grade: 'kept', rationale: 'personal', assessedBy: 'kept', assessedAt: 'kept' },
  SightingRecorded: { episodeId: 'kept', sightingId: 'kept', seenAt: 'kept', place: 'personal', description: 'personal' },
  AssociateNamed: { episodeId: 'kept', associateId: 'kept', name: 'personal', relationship: 'personal', notes: 'personal' },
  LocationNamed: { episodeId: 'kept', locationId: 'kept', place: 'personal', postcode: 'personal', notes: 'personal' },
  // Who found the child may be a member of the public; the officer who recorded it is in the metadata.
  ChildReturned: {
    episodeId: 'kept',
    returnedAt: 'kept',
    how: 'kept',
    where: 'personal',
    withWhom: 'personal',
    condition: 'personal',
    foundBy: 'personal',
  },
  EpisodeCancelled: { episodeId: 'kept', reason: 'kept', duplicateOf: 'kept', note: 'personal', cancelledAt: 'kept' },
  EpisodeClosed: { episodeId: 'kept', closedAt: 'kept', note: 'personal' },
  // The legal basis or request reference: the erasure's own record.
  ChildPersonalDataErased: { childId: 'kept', reason: 'kept', erasedAt: 'kept' },

  // What the machine did: rules, figures (counts and ids) and recipients, who are professionals.
  StrategyMeetingConvened: {
    meetingId: 'kept',
    childId: 'kept',
    rule: 'kept',
    agencies: 'kept',
    agenda: 'kept',
    figures: 'kept',
    cause: 'kept',
    convenedAt: 'kept',
  },
  EpisodeAddedToMeetingAgenda: { meetingId: 'kept', episodeId: 'kept', cause: 'kept', addedAt: 'kept' },
  EscalationRaised: {
    escalationId: 'kept',
    childId: 'kept',
    rule: 'kept',
    tier: 'kept',
    notify: 'kept',
    district: 'kept',
    episodeId: 'kept',
    figures: 'kept',
    cause: 'kept',
    escalates: 'kept',
    raisedAt: 'kept',
  },
  EscalationNotified: { escalationId: 'kept', recipient: 'kept', messageId: 'kept', deliveredAt: 'kept' },
  EscalationAcknowledged: { escalationId: 'kept', acknowledgedBy: 'kept', role: 'kept', note: 'personal', acknowledgedAt: 'kept' },

  // Return work
  SafeAndWellCheckRecorded: {
    episodeId: 'kept',
    checkedBy: 'kept',
    checkedAt: 'kept',
    childAccount: 'personal',
    harmObserved: 'kept',
    harmDetails: 'personal',
  },
  ReturnInterviewOffered: { episodeId: 'kept', offeredAt: 'kept', offeredBy: 'kept', note: 'personal' },
  ReturnInterviewCompleted: { episodeId: 'kept', completedAt: 'kept', interviewer: 'kept', findings: 'personal' },
  ReturnInterviewDeclined: { episodeId: 'kept', declinedAt: 'kept', declinedBy: 'kept', reason: 'personal' },

  // Safeguarding plans: owners and agencies are the professionals doing the work.
  SafeguardingPlanCreated: { planId: 'kept', childId: 'kept', createdBy: 'kept', createdAt: 'kept', concerns: 'personal' },
  SafeguardingPlanActionAdded: { planId: 'kept', actionId: 'kept', what: 'personal', owner: 'kept', agency: 'kept', dueDate: 'kept' },
  SafeguardingPlanActionCompleted: { planId: 'kept', actionId: 'kept', completedBy: 'kept', completedAt: 'kept', note: 'personal' },
  SafeguardingPlanReviewed: {
    planId: 'kept',
    reviewId: 'kept',
    reviewedBy: 'kept',
    reviewedAt: 'kept',
    summary: 'personal',
    nextReviewDate: 'kept',
  },
  SafeguardingPlanClosed: { planId: 'kept', closedBy: 'kept', closedAt: 'kept', reason: 'personal' },

  // Strategy meetings: who attended stays (the record of who decided); what was said about the child goes.
  StrategyMeetingCalled: { meetingId: 'kept', childId: 'kept', reason: 'personal', agencies: 'kept', calledBy: 'kept', calledAt: 'kept' },
  StrategyMeetingHeld: { meetingId: 'kept', heldAt: 'kept', attendees: 'kept', absentees: 'kept' },
  MeetingDecisionRecorded: { meetingId: 'kept', decisionId: 'kept', decision: 'personal', rationale: 'personal' },
  MeetingActionAgreed: { meetingId: 'kept', actionId: 'kept', what: 'personal', owner: 'kept', agency: 'kept', dueDate: 'kept' },
  MeetingActionCompleted: { meetingId: 'kept', actionId: 'kept', completedBy: 'kept', completedAt: 'kept', note: 'personal' },
  MeetingOutcomeRecorded: { meetingId: 'kept', outcome: 'personal', nextReviewDate: 'kept', recordedAt: 'kept' },
  StrategyMeetingClosed: { meetingId: 'kept', closedBy: 'kept', closedAt: 'kept', note: 'personal' },

  // Warning notices: the adult the notice is against is named in the child's case.
  WarningNoticeRecommended: {
    noticeId: 'kept',
    childId: 'kept',
    against: 'personal',
    reason: 'personal',
    recommendedBy: 'kept',
    recommendedAt: 'kept',
  },
  WarningNoticeServed: { noticeId: 'kept', servedBy: 'kept', servedAt: 'kept', note: 'personal' },
  // Links: the normalised key is the name or address itself; which children are linked is kept.
  ChildLinkedToOtherChildren: {
    childId: 'kept',
    kind: 'kept',
    key: 'personal',
    display: 'personal',
    otherChildren: 'kept',
    namedBy: 'kept',
    linkedAt: 'kept',
  },
};

type Tree = Classification | { readonly [field: string]: Tree };

/** The dotted paths of an event's personal fields, e.g. `profile.firstName`; none for a type not of a child's stream. */
export function personalPathsOf(type: string): readonly string[] {
  return PATHS.get(type) ?? [];
}

const pathsOf = (tree: Tree, prefix: string): string[] =>
  tree === 'personal'
    ? [prefix]
    : tree === 'kept'
      ? []
      : Object.entries(tree).flatMap(([field, sub]) => pathsOf(sub, prefix ? `${prefix}.${field}` : field));

const PATHS = new Map<string, readonly string[]>(
  Object.entries(PERSONAL_DATA).map(([type, fields]) => [type, Object.freeze(pathsOf(fields as Tree, ''))]),
);

/**
 * What a reader opens of each event type (ReadFilter.personalDataOf): every personal value of a type
 * named alone (null), or those at or under the paths named with it (`ChildReturned.where`).
 * Throws for a path that holds no personal value, as a misspelt one would.
 */
export function openedPathsOf(personalDataOf: readonly string[]): ReadonlyMap<string, readonly string[] | null> {
  const opened = new Map<string, readonly string[] | null>();
  for (const entry of personalDataOf) {
    const [type, ...steps] = entry.split('.');
    const path = steps.join('.');
    if (path === '') {
      opened.set(type, null);
      continue;
    }
    if (!personalPathsOf(type).some((personal) => isWithin(personal, path) || isWithin(path, personal))) {
      throw new Error(`${entry} holds no personal value: ${type}'s personal fields are ${personalPathsOf(type).join(', ') || 'none'}`);
    }
    const paths = opened.get(type);
    if (paths !== null) opened.set(type, [...(paths ?? []), path]);
  }
  return opened;
}

/** Whether the value at `where` is the one at `path` or inside it. */
export const isWithin = (where: string, path: string): boolean => where === path || where.startsWith(`${path}.`);

/**
 * A copy of `data` with every string under its personal fields replaced by `transform(value,
 * where)`; `where` names the string exactly (`reporter.phone`, `phones.1`), for binding a
 * ciphertext to its place. Everything else is shared, not copied.
 */
export function mapPersonalStrings(type: string, data: unknown, transform: (value: string, where: string) => string): unknown {
  let result = data;
  for (const path of personalPathsOf(type)) result = mapAt(result, path.split('.'), path, transform);
  return result;
}

function mapAt(node: unknown, steps: string[], where: string, transform: (value: string, where: string) => string): unknown {
  if (steps.length === 0) return mapStrings(node, where, transform);
  if (!isRecord(node) || !Object.hasOwn(node, steps[0])) return node;
  const [step, ...rest] = steps;
  return { ...node, [step]: mapAt(node[step], rest, where, transform) };
}

function mapStrings(node: unknown, where: string, transform: (value: string, where: string) => string): unknown {
  if (typeof node === 'string') return transform(node, where);
  if (Array.isArray(node)) return node.map((item, index) => mapStrings(item, `${where}.${index}`, transform));
  if (isRecord(node)) return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, mapStrings(value, `${where}.${key}`, transform)]));
  return node;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
