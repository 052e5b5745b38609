import { ChildCaseEvent, ChildProfile, RiskGrade } from './child-case.events';
import { assertNever } from '../shared/refusal';

export type EpisodeStatus = 'missing' | 'returned' | 'cancelled' | 'closed';

export interface EpisodeState {
  readonly episodeId: string;
  readonly status: EpisodeStatus;
  readonly missingSince: string;
  readonly reportedAt: string;
  readonly district: string;
  readonly riskGrade: RiskGrade | null;
  readonly lastRiskAssessedAt: string | null;
  readonly returnedAt: string | null;
}

/** What the decider needs to know about one child: the record, and every episode by id. */
export interface ChildCase {
  readonly registered: boolean;
  readonly childId?: string;
  /** null until the child is registered. */
  readonly profile: ChildProfile | null;
  readonly episodes: Readonly<Record<string, EpisodeState>>;
  /** The episode whose status is 'missing', if any: at most one per child. */
  readonly openEpisodeId: string | null;
  /** The child's personal data was erased: nothing personal may be added to the stream again. */
  readonly erased: boolean;
}

export const initialChildCase = (): ChildCase => ({
  registered: false,
  profile: null,
  episodes: {},
  openEpisodeId: null,
  erased: false,
});

/** Own keys only, so an episode id such as 'constructor' is not found on Object.prototype. */
export const findEpisode = (state: ChildCase, episodeId: string): EpisodeState | undefined =>
  Object.hasOwn(state.episodes, episodeId) ? state.episodes[episodeId] : undefined;

export function evolve(state: ChildCase, event: ChildCaseEvent): ChildCase {
  switch (event.type) {
    case 'ChildRegistered':
      return { ...state, registered: true, childId: event.childId, profile: event.profile };
    case 'ChildProfileUpdated':
      return state.profile ? { ...state, profile: { ...state.profile, ...event.changes } } : state;
    case 'ChildReportedMissing':
      return {
        ...state,
        openEpisodeId: event.episodeId,
        episodes: {
          ...state.episodes,
          [event.episodeId]: {
            episodeId: event.episodeId,
            status: 'missing',
            missingSince: event.missingSince,
            reportedAt: event.reportedAt,
            district: event.district,
            riskGrade: event.initialRisk ?? null,
            // The call handler's initial grade starts the review clock like any other grading.
            lastRiskAssessedAt: event.initialRisk ? event.reportedAt : null,
            returnedAt: null,
          },
        },
      };
    case 'RiskAssessed':
      return updateEpisode(state, event.episodeId, { riskGrade: event.grade, lastRiskAssessedAt: event.assessedAt });
    case 'ChildReturned':
      return releaseOpenEpisode(
        updateEpisode(state, event.episodeId, { status: 'returned', returnedAt: event.returnedAt }),
        event.episodeId,
      );
    case 'EpisodeCancelled':
      return releaseOpenEpisode(updateEpisode(state, event.episodeId, { status: 'cancelled' }), event.episodeId);
    case 'EpisodeClosed':
      return releaseOpenEpisode(updateEpisode(state, event.episodeId, { status: 'closed' }), event.episodeId);
    case 'ChildPersonalDataErased':
      return { ...state, erased: true };
    case 'SightingRecorded':
    case 'AssociateNamed':
    case 'LocationNamed':
      // Part of the record, but nothing the decider decides on.
      return state;
    default:
      return assertNever(event);
  }
}

export const foldChildCase = (events: readonly ChildCaseEvent[]): ChildCase =>
  events.reduce(evolve, initialChildCase());

function updateEpisode(state: ChildCase, episodeId: string, changes: Partial<EpisodeState>): ChildCase {
  const episode = findEpisode(state, episodeId);
  if (!episode) return state;
  return { ...state, episodes: { ...state.episodes, [episodeId]: { ...episode, ...changes } } };
}

function releaseOpenEpisode(state: ChildCase, episodeId: string): ChildCase {
  return state.openEpisodeId === episodeId ? { ...state, openEpisodeId: null } : state;
}
