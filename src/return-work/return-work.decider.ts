import { clock, defined, instant, requireEpisode, requireText } from '../child-case/child-case.guards';
import type { EpisodeState } from '../child-case/child-case.state';
import type { ChildStream, ChildStreamEvent } from '../child-stream/child-stream';
import { assertNever, refuse, refuseInvalid } from '../shared/refusal';
import type {
  CompleteReturnInterview,
  DeclineReturnInterview,
  OfferReturnInterview,
  RecordSafeAndWellCheck,
  ReturnWorkCommand,
} from './return-work.commands';
import type { ReturnInterviewCompleted, SafeAndWellCheckRecorded } from './return-work.events';
import { returnWorkOf } from './return-work.state';

/** Decides the work after a return: the safe-and-well check and the return home interview. */
export function decideReturnWork(command: ReturnWorkCommand, stream: ChildStream): ChildStreamEvent[] {
  switch (command.type) {
    case 'RecordSafeAndWellCheck':
      return recordSafeAndWellCheck(command, stream);
    case 'OfferReturnInterview':
      return offerInterview(command, stream);
    case 'CompleteReturnInterview':
      return completeInterview(command, stream);
    case 'DeclineReturnInterview':
      return declineInterview(command, stream);
    default:
      return assertNever(command);
  }
}

function recordSafeAndWellCheck(c: RecordSafeAndWellCheck, stream: ChildStream): ChildStreamEvent[] {
  const episode = returnedEpisode(stream, c.episodeId);
  if (returnWorkOf(stream.returnWork, c.episodeId).safeAndWellCheckedAt !== null) {
    throw refuse(`a safe-and-well check is already recorded for episode ${c.episodeId}`);
  }
  timeAfterReturn(c.checkedAt, 'checkedAt', episode, c.now);
  requireText(c.checkedBy, 'checkedBy');
  requireText(c.childAccount, 'childAccount');
  if (c.harmObserved) requireText(c.harmDetails, 'harmDetails', 'harmDetails (harm was observed)');
  const { type: _type, now: _now, ...check } = c;
  return [defined<SafeAndWellCheckRecorded>({ type: 'SafeAndWellCheckRecorded', ...check })];
}

function offerInterview(c: OfferReturnInterview, stream: ChildStream): ChildStreamEvent[] {
  const episode = returnedEpisode(stream, c.episodeId);
  // A declined interview may be offered again (the child may change their mind); a completed one is done.
  refuseIfCompleted(stream, c.episodeId);
  timeAfterReturn(c.offeredAt, 'offeredAt', episode, c.now);
  requireText(c.offeredBy, 'offeredBy');
  const { type: _type, now: _now, ...offer } = c;
  return [defined({ type: 'ReturnInterviewOffered' as const, ...offer })];
}

function completeInterview(c: CompleteReturnInterview, stream: ChildStream): ChildStreamEvent[] {
  const episode = returnedEpisode(stream, c.episodeId);
  refuseIfCompleted(stream, c.episodeId);
  timeAfterReturn(c.completedAt, 'completedAt', episode, c.now);
  requireText(c.interviewer, 'interviewer');
  requireText(c.findings.whereabouts, 'findings.whereabouts', 'whereabouts');
  return [
    defined<ReturnInterviewCompleted>({
      type: 'ReturnInterviewCompleted',
      episodeId: c.episodeId,
      completedAt: c.completedAt,
      interviewer: c.interviewer,
      findings: defined(c.findings),
    }),
  ];
}

function declineInterview(c: DeclineReturnInterview, stream: ChildStream): ChildStreamEvent[] {
  const episode = returnedEpisode(stream, c.episodeId);
  refuseIfCompleted(stream, c.episodeId);
  if (returnWorkOf(stream.returnWork, c.episodeId).interview === 'declined') {
    throw refuse(`the return interview for episode ${c.episodeId} is already declined`);
  }
  timeAfterReturn(c.declinedAt, 'declinedAt', episode, c.now);
  requireText(c.reason, 'reason');
  const { type: _type, now: _now, ...decline } = c;
  return [{ type: 'ReturnInterviewDeclined', ...decline }];
}

/**
 * The episode the work is about, once the child is back. A closed episode still takes the return
 * work: the interview belongs to children's social care and may come after the police close it.
 */
function returnedEpisode(stream: ChildStream, episodeId: string): EpisodeState {
  const episode = requireEpisode(stream.childCase, episodeId);
  if (episode.status === 'cancelled') throw refuse(`episode ${episodeId} is cancelled`);
  if (episode.returnedAt === null) throw refuse(`the child has not returned from episode ${episodeId}`);
  return episode;
}

function refuseIfCompleted(stream: ChildStream, episodeId: string): void {
  if (returnWorkOf(stream.returnWork, episodeId).interview === 'completed') {
    throw refuse(`the return interview for episode ${episodeId} is already completed`);
  }
}

function timeAfterReturn(value: string, field: string, episode: EpisodeState, now: string): void {
  const at = instant(value, field);
  if (at < Date.parse(episode.returnedAt!)) throw refuseInvalid(`${field} is before the return`, field);
  if (at > clock(now)) throw refuseInvalid(`${field} is in the future`, field);
}
