import { assertNever, refuse, refuseInvalid, refuseNotFound } from '../shared/refusal';
import {
  AssessRisk,
  CancelEpisode,
  ChildCaseCommand,
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
  AssociateNamed,
  ChildCaseEvent,
  ChildReportedMissing,
  ChildReturned,
  EpisodeCancelled,
  EpisodeClosed,
  LocationNamed,
  SightingRecorded,
} from './child-case.events';
import {
  checkDateOfBirth,
  clock,
  defined,
  instant,
  refuseIfEnded,
  requireEpisode,
  requireText,
} from './child-case.guards';
import { ChildCase, findEpisode } from './child-case.state';

/** Decides a command against the child's case: the events that follow, or a thrown Refusal. */
export function decide(command: ChildCaseCommand, state: ChildCase): ChildCaseEvent[] {
  switch (command.type) {
    case 'RegisterChild':
      return registerChild(command, state);
    case 'UpdateChildProfile':
      return updateChildProfile(command, state);
    case 'ReportChildMissing':
      return reportChildMissing(command, state);
    case 'AssessRisk':
      return assessRisk(command, state);
    case 'RecordSighting':
      return recordSighting(command, state);
    case 'NameAssociate':
      return nameAssociate(command, state);
    case 'NameLocation':
      return nameLocation(command, state);
    case 'RecordReturn':
      return recordReturn(command, state);
    case 'CancelEpisode':
      return cancelEpisode(command, state);
    case 'CloseEpisode':
      return closeEpisode(command, state);
    case 'EraseChildPersonalData':
      return eraseChildPersonalData(command, state);
    default:
      return assertNever(command);
  }
}

function registerChild(c: RegisterChild, state: ChildCase): ChildCaseEvent[] {
  if (state.registered) throw refuse(`child ${c.childId} is already registered`);
  requireText(c.profile.localAuthority, 'profile.localAuthority', 'localAuthority');
  checkDateOfBirth(c.profile.dateOfBirth, 'profile.dateOfBirth', c.now);
  return [{ type: 'ChildRegistered', childId: c.childId, profile: defined(c.profile) }];
}

function updateChildProfile(c: UpdateChildProfile, state: ChildCase): ChildCaseEvent[] {
  if (!state.registered) throw refuseNotFound(`child ${c.childId} does not exist`);
  const changes = defined(c.changes);
  if (Object.keys(changes).length === 0) throw refuseInvalid('no changes given', 'changes');
  // Every child belongs to a local authority: its LSCB is the one told about escalations.
  if ('localAuthority' in changes) requireText(changes.localAuthority, 'changes.localAuthority', 'localAuthority');
  checkDateOfBirth(changes.dateOfBirth, 'changes.dateOfBirth', c.now);
  return [{ type: 'ChildProfileUpdated', childId: c.childId, changes }];
}

function reportChildMissing(c: ReportChildMissing, state: ChildCase): ChildCaseEvent[] {
  if (!state.registered) throw refuseNotFound(`child ${c.childId} does not exist`);
  if (state.openEpisodeId !== null) throw refuse(`child is already missing (episode ${state.openEpisodeId})`);
  if (instant(c.missingSince, 'missingSince') > clock(c.now)) {
    throw refuseInvalid('missingSince is in the future', 'missingSince');
  }
  if (findEpisode(state, c.episodeId)) throw refuse(`episode ${c.episodeId} already exists`, 'episodeId');
  requireText(c.district, 'district');
  return [
    defined<ChildReportedMissing>({
      type: 'ChildReportedMissing',
      childId: c.childId,
      episodeId: c.episodeId,
      missingSince: c.missingSince,
      reportedAt: c.now,
      district: c.district,
      lastSeenPlace: c.lastSeenPlace,
      reporter: c.reporter,
      circumstances: c.circumstances,
      initialRisk: c.initialRisk,
    }),
  ];
}

function assessRisk(c: AssessRisk, state: ChildCase): ChildCaseEvent[] {
  const episode = requireEpisode(state, c.episodeId);
  refuseIfEnded(episode);
  // After the return the question is safeguarding (the interview, a plan), not search priority.
  if (episode.status === 'returned') {
    throw refuse(`risk is graded while the child is missing; episode ${c.episodeId} has ended`);
  }
  requireText(c.rationale, 'rationale');
  return [
    {
      type: 'RiskAssessed',
      episodeId: c.episodeId,
      grade: c.grade,
      rationale: c.rationale,
      assessedBy: c.assessedBy,
      assessedAt: c.now,
    },
  ];
}

function recordSighting(c: RecordSighting, state: ChildCase): ChildCaseEvent[] {
  const episode = requireEpisode(state, c.episodeId);
  refuseIfEnded(episode);
  const seenAt = instant(c.seenAt, 'seenAt');
  if (seenAt > clock(c.now)) throw refuseInvalid('seenAt is in the future', 'seenAt');
  if (seenAt < Date.parse(episode.missingSince)) throw refuseInvalid('seenAt is before missingSince', 'seenAt');
  requireText(c.place, 'place');
  return [
    defined<SightingRecorded>({
      type: 'SightingRecorded',
      episodeId: c.episodeId,
      sightingId: c.sightingId,
      seenAt: c.seenAt,
      place: c.place,
      description: c.description,
    }),
  ];
}

function nameAssociate(c: NameAssociate, state: ChildCase): ChildCaseEvent[] {
  refuseIfEnded(requireEpisode(state, c.episodeId));
  requireText(c.name, 'name');
  return [
    defined<AssociateNamed>({
      type: 'AssociateNamed',
      episodeId: c.episodeId,
      associateId: c.associateId,
      name: c.name,
      relationship: c.relationship,
      notes: c.notes,
    }),
  ];
}

function nameLocation(c: NameLocation, state: ChildCase): ChildCaseEvent[] {
  refuseIfEnded(requireEpisode(state, c.episodeId));
  requireText(c.place, 'place');
  return [
    defined<LocationNamed>({
      type: 'LocationNamed',
      episodeId: c.episodeId,
      locationId: c.locationId,
      place: c.place,
      postcode: c.postcode,
      notes: c.notes,
    }),
  ];
}

function recordReturn(c: RecordReturn, state: ChildCase): ChildCaseEvent[] {
  const episode = requireEpisode(state, c.episodeId);
  if (episode.status !== 'missing') throw refuse('child is not missing');
  const returnedAt = instant(c.returnedAt, 'returnedAt');
  if (returnedAt < Date.parse(episode.missingSince)) {
    throw refuseInvalid('returnedAt is before missingSince', 'returnedAt');
  }
  if (returnedAt > clock(c.now)) throw refuseInvalid('returnedAt is in the future', 'returnedAt');
  requireText(c.where, 'where');
  return [
    defined<ChildReturned>({
      type: 'ChildReturned',
      episodeId: c.episodeId,
      returnedAt: c.returnedAt,
      how: c.how,
      where: c.where,
      withWhom: c.withWhom,
      condition: c.condition,
      foundBy: c.foundBy,
    }),
  ];
}

function cancelEpisode(c: CancelEpisode, state: ChildCase): ChildCaseEvent[] {
  refuseIfEnded(requireEpisode(state, c.episodeId));
  return [
    defined<EpisodeCancelled>({
      type: 'EpisodeCancelled',
      episodeId: c.episodeId,
      reason: c.reason,
      duplicateOf: c.duplicateOf,
      note: c.note,
      cancelledAt: c.now,
    }),
  ];
}

function closeEpisode(c: CloseEpisode, state: ChildCase): ChildCaseEvent[] {
  const episode = requireEpisode(state, c.episodeId);
  refuseIfEnded(episode);
  if (episode.status === 'missing') {
    throw refuse(`episode ${c.episodeId} cannot be closed while the child is missing`);
  }
  return [defined<EpisodeClosed>({ type: 'EpisodeClosed', episodeId: c.episodeId, closedAt: c.now, note: c.note })];
}

function eraseChildPersonalData(c: EraseChildPersonalData, state: ChildCase): ChildCaseEvent[] {
  if (!state.registered) throw refuseNotFound(`child ${c.childId} does not exist`);
  if (state.erased) throw refuse(`the personal data of child ${c.childId} is already erased`);
  requireText(c.reason, 'reason');
  return [{ type: 'ChildPersonalDataErased', childId: c.childId, reason: c.reason, erasedAt: c.now }];
}
