import type { ChildStreamEvent } from '../child-stream/child-stream';

/** 'none' until the interview is offered; completed and declined are what stop the 72-hour clock. */
export type InterviewStatus = 'none' | 'offered' | 'completed' | 'declined';

export interface EpisodeReturnWork {
  readonly safeAndWellCheckedAt: string | null;
  readonly interview: InterviewStatus;
}

/** The return work of each episode, by episode id. */
export interface ReturnWork {
  readonly byEpisode: Readonly<Record<string, EpisodeReturnWork>>;
}

export const initialReturnWork = (): ReturnWork => ({ byEpisode: {} });

const NOTHING_YET: EpisodeReturnWork = { safeAndWellCheckedAt: null, interview: 'none' };

/** Own keys only, so an episode id such as 'constructor' is not found on Object.prototype. */
export const returnWorkOf = (state: ReturnWork, episodeId: string): EpisodeReturnWork =>
  Object.hasOwn(state.byEpisode, episodeId) ? state.byEpisode[episodeId] : NOTHING_YET;

/** The interview is done with: completed, or declined by the child or their carer. */
export const interviewSettled = (work: EpisodeReturnWork): boolean => work.interview === 'completed' || work.interview === 'declined';

export function evolveReturnWork(state: ReturnWork, event: ChildStreamEvent): ReturnWork {
  switch (event.type) {
    case 'SafeAndWellCheckRecorded':
      return update(state, event.episodeId, { safeAndWellCheckedAt: event.checkedAt });
    case 'ReturnInterviewOffered':
      return update(state, event.episodeId, { interview: 'offered' });
    case 'ReturnInterviewCompleted':
      return update(state, event.episodeId, { interview: 'completed' });
    case 'ReturnInterviewDeclined':
      return update(state, event.episodeId, { interview: 'declined' });
    default:
      return state;
  }
}

function update(state: ReturnWork, episodeId: string, changes: Partial<EpisodeReturnWork>): ReturnWork {
  return { byEpisode: { ...state.byEpisode, [episodeId]: { ...returnWorkOf(state, episodeId), ...changes } } };
}
