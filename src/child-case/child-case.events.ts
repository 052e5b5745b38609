/**
 * The facts of a child's case. One stream per child holds the child's record and every missing
 * episode, so "one open episode per child" and the episode counts are decided inside one stream.
 * Events are data only (times as ISO-8601 strings); who did it and why lives in the metadata.
 */

export const childStream = (childId: string): string => `child-${childId}`;

export type RiskGrade = 'high' | 'medium' | 'low' | 'no-apparent-risk';
export type Gender = 'female' | 'male' | 'other' | 'unknown';
export type PlacementType = 'home' | 'foster' | 'childrens-home' | 'other';
/** CSE: child sexual exploitation; CCE: child criminal exploitation. */
export type RiskFlag = 'CSE' | 'CCE';

/** Pre-filled for looked-after children so a report does not start from nothing (Philomena Protocol). */
export interface PhilomenaProfile {
  description?: string;
  photoReference?: string;
  phones?: string[];
  associates?: string[];
  placesFrequented?: string[];
}

export interface ChildProfile {
  firstName?: string;
  lastName?: string;
  /** YYYY-MM-DD */
  dateOfBirth?: string;
  gender?: Gender;
  /** Free text, e.g. an ONS ethnic group. */
  ethnicity?: string;
  /** One of the force's local authorities / districts, e.g. 'Sheffield': decides whose LSCB is told. */
  localAuthority: string;
  lookedAfter?: boolean;
  placementType?: PlacementType;
  philomenaProfile?: PhilomenaProfile;
  riskFlags?: RiskFlag[];
}

export interface Reporter {
  name?: string;
  relationship?: string;
  phone?: string;
}

export type ReturnHow = 'found' | 'returned';
export type CancelReason = 'reported-in-error' | 'duplicate';

export interface ChildRegistered {
  type: 'ChildRegistered';
  childId: string;
  profile: ChildProfile;
}

/** Top-level fields in `changes` replace the profile's; nested objects are replaced whole. */
export interface ChildProfileUpdated {
  type: 'ChildProfileUpdated';
  childId: string;
  changes: Partial<ChildProfile>;
}

export interface ChildReportedMissing {
  type: 'ChildReportedMissing';
  childId: string;
  episodeId: string;
  /** When the child was last seen: what the counts go by, not `reportedAt`. */
  missingSince: string;
  reportedAt: string;
  district: string;
  lastSeenPlace?: string;
  reporter?: Reporter;
  circumstances?: string;
  initialRisk?: RiskGrade;
}

export interface RiskAssessed {
  type: 'RiskAssessed';
  episodeId: string;
  grade: RiskGrade;
  rationale: string;
  /** User id of the officer who graded it. */
  assessedBy: string;
  assessedAt: string;
}

export interface SightingRecorded {
  type: 'SightingRecorded';
  episodeId: string;
  sightingId: string;
  seenAt: string;
  place: string;
  description?: string;
}

export interface AssociateNamed {
  type: 'AssociateNamed';
  episodeId: string;
  associateId: string;
  name: string;
  relationship?: string;
  notes?: string;
}

export interface LocationNamed {
  type: 'LocationNamed';
  episodeId: string;
  locationId: string;
  place: string;
  postcode?: string;
  notes?: string;
}

export interface ChildReturned {
  type: 'ChildReturned';
  episodeId: string;
  returnedAt: string;
  how: ReturnHow;
  where: string;
  withWhom?: string;
  condition?: string;
  foundBy?: string;
}

/** Cancelled, never deleted: the record stays complete, and the episode stops counting. */
export interface EpisodeCancelled {
  type: 'EpisodeCancelled';
  episodeId: string;
  reason: CancelReason;
  duplicateOf?: string;
  note?: string;
  cancelledAt: string;
}

export interface EpisodeClosed {
  type: 'EpisodeClosed';
  episodeId: string;
  closedAt: string;
  note?: string;
}

/**
 * The child's personal data was erased (right to erasure): the child's key is destroyed after this
 * is stored, so every personal field of the stream reads back as erased. Who and when are in the
 * metadata; the reason is the legal basis or request reference, not personal data.
 */
export interface ChildPersonalDataErased {
  type: 'ChildPersonalDataErased';
  childId: string;
  reason: string;
  erasedAt: string;
}

export type ChildCaseEvent =
  | ChildRegistered
  | ChildProfileUpdated
  | ChildReportedMissing
  | RiskAssessed
  | SightingRecorded
  | AssociateNamed
  | LocationNamed
  | ChildReturned
  | EpisodeCancelled
  | EpisodeClosed
  | ChildPersonalDataErased;

export type ChildCaseEventType = ChildCaseEvent['type'];

/** A record, not an array, so that a new event type missing from the list fails to compile. */
const eventTypes: Record<ChildCaseEventType, true> = {
  ChildRegistered: true,
  ChildProfileUpdated: true,
  ChildReportedMissing: true,
  RiskAssessed: true,
  SightingRecorded: true,
  AssociateNamed: true,
  LocationNamed: true,
  ChildReturned: true,
  EpisodeCancelled: true,
  EpisodeClosed: true,
  ChildPersonalDataErased: true,
};

export const CHILD_CASE_EVENT_TYPES: readonly ChildCaseEventType[] = Object.freeze(
  Object.keys(eventTypes) as ChildCaseEventType[],
);

/** For reading a stored event back: its `type` is a plain string until checked. */
export const isChildCaseEventType = (type: string): type is ChildCaseEventType =>
  Object.hasOwn(eventTypes, type);
