import {
  CancelReason,
  ChildProfile,
  Reporter,
  ReturnHow,
  RiskGrade,
} from './child-case.events';

/**
 * What people ask of a child's case. Every command carries `now` (ISO-8601), the time the request
 * is decided at, so the decider never reads a clock and a spec can stand on any day.
 * Episode commands name the episode only: the caller loads the stream of the child it belongs to.
 */

export interface RegisterChild {
  type: 'RegisterChild';
  childId: string;
  profile: ChildProfile;
  now: string;
}

export interface UpdateChildProfile {
  type: 'UpdateChildProfile';
  childId: string;
  changes: Partial<ChildProfile>;
  now: string;
}

export interface ReportChildMissing {
  type: 'ReportChildMissing';
  childId: string;
  episodeId: string;
  missingSince: string;
  district: string;
  lastSeenPlace?: string;
  reporter?: Reporter;
  circumstances?: string;
  initialRisk?: RiskGrade;
  now: string;
}

export interface AssessRisk {
  type: 'AssessRisk';
  episodeId: string;
  grade: RiskGrade;
  rationale: string;
  assessedBy: string;
  now: string;
}

export interface RecordSighting {
  type: 'RecordSighting';
  episodeId: string;
  sightingId: string;
  seenAt: string;
  place: string;
  description?: string;
  now: string;
}

export interface NameAssociate {
  type: 'NameAssociate';
  episodeId: string;
  associateId: string;
  name: string;
  relationship?: string;
  notes?: string;
  now: string;
}

export interface NameLocation {
  type: 'NameLocation';
  episodeId: string;
  locationId: string;
  place: string;
  postcode?: string;
  notes?: string;
  now: string;
}

export interface RecordReturn {
  type: 'RecordReturn';
  episodeId: string;
  returnedAt: string;
  how: ReturnHow;
  where: string;
  withWhom?: string;
  condition?: string;
  foundBy?: string;
  now: string;
}

export interface CancelEpisode {
  type: 'CancelEpisode';
  episodeId: string;
  reason: CancelReason;
  duplicateOf?: string;
  note?: string;
  now: string;
}

export interface CloseEpisode {
  type: 'CloseEpisode';
  episodeId: string;
  note?: string;
  now: string;
}

/** Erase the child's personal data: the record of what was done, when and by whom stays. */
export interface EraseChildPersonalData {
  type: 'EraseChildPersonalData';
  childId: string;
  reason: string;
  now: string;
}

export type ChildCaseCommand =
  | RegisterChild
  | UpdateChildProfile
  | ReportChildMissing
  | AssessRisk
  | RecordSighting
  | NameAssociate
  | NameLocation
  | RecordReturn
  | CancelEpisode
  | CloseEpisode
  | EraseChildPersonalData;

export type ChildCaseCommandType = ChildCaseCommand['type'];
