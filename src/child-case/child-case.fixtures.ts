/**
 * Test support for the child-case specs: events and commands with sensible defaults and named
 * overrides, so each spec shows only what matters to it.
 */
import {
  AssessRisk,
  CancelEpisode,
  CloseEpisode,
  EraseChildPersonalData,
  NameAssociate,
  NameLocation,
  RecordReturn,
  RecordSighting,
  RegisterChild,
  ReportChildMissing,
  UpdateChildProfile,
} from './child-case.commands';
import {
  ChildPersonalDataErased,
  ChildProfileUpdated,
  ChildRegistered,
  ChildReportedMissing,
  ChildReturned,
  EpisodeCancelled,
  EpisodeClosed,
  RiskAssessed,
} from './child-case.events';

/** One morning: the child was last seen at 06:00, reported at 07:00, back at 09:00; it is now 10:00. */
export const MISSING_SINCE = '2026-11-25T06:00:00.000Z';
export const REPORTED_AT = '2026-11-25T07:00:00.000Z';
export const RETURNED_AT = '2026-11-25T09:00:00.000Z';
export const NOW = '2026-11-25T10:00:00.000Z';
export const CHILD_ID = 'child-1';
export const EPISODE_ID = 'episode-1';

// Events

export const registered = (o: Partial<ChildRegistered> = {}): ChildRegistered => ({
  type: 'ChildRegistered',
  childId: CHILD_ID,
  profile: { firstName: 'Amy', dateOfBirth: '2012-03-04', localAuthority: 'Sheffield' },
  ...o,
});

export const profileUpdated = (o: Partial<ChildProfileUpdated> = {}): ChildProfileUpdated => ({
  type: 'ChildProfileUpdated',
  childId: CHILD_ID,
  changes: { lookedAfter: true, placementType: 'childrens-home' },
  ...o,
});

export const reported = (o: Partial<ChildReportedMissing> = {}): ChildReportedMissing => ({
  type: 'ChildReportedMissing',
  childId: CHILD_ID,
  episodeId: EPISODE_ID,
  missingSince: MISSING_SINCE,
  reportedAt: REPORTED_AT,
  district: 'Sheffield',
  ...o,
});

export const riskAssessed = (o: Partial<RiskAssessed> = {}): RiskAssessed => ({
  type: 'RiskAssessed',
  episodeId: EPISODE_ID,
  grade: 'medium',
  rationale: 'first time missing, no known associates',
  assessedBy: 'officer-7',
  assessedAt: REPORTED_AT,
  ...o,
});

export const returned = (o: Partial<ChildReturned> = {}): ChildReturned => ({
  type: 'ChildReturned',
  episodeId: EPISODE_ID,
  returnedAt: RETURNED_AT,
  how: 'returned',
  where: 'home address',
  ...o,
});

export const cancelled = (o: Partial<EpisodeCancelled> = {}): EpisodeCancelled => ({
  type: 'EpisodeCancelled',
  episodeId: EPISODE_ID,
  reason: 'reported-in-error',
  cancelledAt: RETURNED_AT,
  ...o,
});

export const closed = (o: Partial<EpisodeClosed> = {}): EpisodeClosed => ({
  type: 'EpisodeClosed',
  episodeId: EPISODE_ID,
  closedAt: RETURNED_AT,
  ...o,
});

// Commands

export const registerChild = (o: Partial<RegisterChild> = {}): RegisterChild => ({
  type: 'RegisterChild',
  childId: CHILD_ID,
  profile: { firstName: 'Amy', dateOfBirth: '2012-03-04', localAuthority: 'Sheffield' },
  now: NOW,
  ...o,
});

export const updateChildProfile = (o: Partial<UpdateChildProfile> = {}): UpdateChildProfile => ({
  type: 'UpdateChildProfile',
  childId: CHILD_ID,
  changes: { riskFlags: ['CSE'] },
  now: NOW,
  ...o,
});

export const reportChildMissing = (o: Partial<ReportChildMissing> = {}): ReportChildMissing => ({
  type: 'ReportChildMissing',
  childId: CHILD_ID,
  episodeId: EPISODE_ID,
  missingSince: MISSING_SINCE,
  district: 'Sheffield',
  now: NOW,
  ...o,
});

export const assessRisk = (o: Partial<AssessRisk> = {}): AssessRisk => ({
  type: 'AssessRisk',
  episodeId: EPISODE_ID,
  grade: 'high',
  rationale: 'seen with adults known for exploitation',
  assessedBy: 'sergeant-3',
  now: NOW,
  ...o,
});

export const recordSighting = (o: Partial<RecordSighting> = {}): RecordSighting => ({
  type: 'RecordSighting',
  episodeId: EPISODE_ID,
  sightingId: 'sighting-1',
  seenAt: '2026-11-25T08:00:00.000Z',
  place: 'bus station',
  now: NOW,
  ...o,
});

export const nameAssociate = (o: Partial<NameAssociate> = {}): NameAssociate => ({
  type: 'NameAssociate',
  episodeId: EPISODE_ID,
  associateId: 'associate-1',
  name: 'Jay',
  now: NOW,
  ...o,
});

export const nameLocation = (o: Partial<NameLocation> = {}): NameLocation => ({
  type: 'NameLocation',
  episodeId: EPISODE_ID,
  locationId: 'location-1',
  place: 'flat above the takeaway',
  now: NOW,
  ...o,
});

export const recordReturn = (o: Partial<RecordReturn> = {}): RecordReturn => ({
  type: 'RecordReturn',
  episodeId: EPISODE_ID,
  returnedAt: RETURNED_AT,
  how: 'returned',
  where: 'home address',
  now: NOW,
  ...o,
});

export const cancelEpisode = (o: Partial<CancelEpisode> = {}): CancelEpisode => ({
  type: 'CancelEpisode',
  episodeId: EPISODE_ID,
  reason: 'reported-in-error',
  now: NOW,
  ...o,
});

export const closeEpisode = (o: Partial<CloseEpisode> = {}): CloseEpisode => ({
  type: 'CloseEpisode',
  episodeId: EPISODE_ID,
  now: NOW,
  ...o,
});

export const ERASURE_REASON = 'right to erasure, request DP-2026-041';

export const personalDataErased = (o: Partial<ChildPersonalDataErased> = {}): ChildPersonalDataErased => ({
  type: 'ChildPersonalDataErased',
  childId: CHILD_ID,
  reason: ERASURE_REASON,
  erasedAt: NOW,
  ...o,
});

export const eraseChildPersonalData = (o: Partial<EraseChildPersonalData> = {}): EraseChildPersonalData => ({
  type: 'EraseChildPersonalData',
  childId: CHILD_ID,
  reason: ERASURE_REASON,
  now: NOW,
  ...o,
});
