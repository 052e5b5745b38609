import { ChildCase } from './child-case.state';

export interface CountableEpisode {
  missingSince: string;
  cancelled: boolean;
}

export interface EpisodeCounts {
  last30Days: number;
  last90Days: number;
  last365Days: number;
  lifetime: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Episodes by their missing-since time, not the time they were reported, so a late, back-dated
 * report lands in the window the child was actually missing in. Cancelled episodes do not count.
 *
 * A window of N days is half-open, (now - N days, now]: an episode missing exactly N days ago has
 * just left it, one a minute younger is still in. Half-open so adjacent windows never both count
 * the same episode. Days are 24 hours of UTC time, whatever the clocks do locally.
 * Episodes after `now` are not counted, lifetime included, so counts "as at" a past time are right.
 */
export function countEpisodes(episodes: readonly CountableEpisode[], now: string): EpisodeCounts {
  const nowMs = Date.parse(now);
  if (Number.isNaN(nowMs)) throw new Error(`now is not an ISO-8601 time: ${JSON.stringify(now)}`);
  const ages = episodes
    .filter((episode) => !episode.cancelled)
    .map((episode) => nowMs - Date.parse(episode.missingSince))
    .filter((age) => age >= 0);
  const within = (days: number) => ages.filter((age) => age < days * DAY_MS).length;
  return { last30Days: within(30), last90Days: within(90), last365Days: within(365), lifetime: ages.length };
}

export const episodesForCounting = (state: ChildCase): CountableEpisode[] =>
  Object.values(state.episodes).map((episode) => ({
    missingSince: episode.missingSince,
    cancelled: episode.status === 'cancelled',
  }));
