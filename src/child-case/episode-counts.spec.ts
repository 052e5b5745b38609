import { CountableEpisode, countEpisodes, episodesForCounting } from './episode-counts';
import { foldChildCase } from './child-case.state';
import { NOW, cancelled, registered, reported, returned } from './child-case.fixtures';

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;

/** An ISO time `ms` before NOW. */
const before = (ms: number): string => new Date(Date.parse(NOW) - ms).toISOString();
const episode = (missingSince: string, cancelled = false): CountableEpisode => ({ missingSince, cancelled });
const none = { last30Days: 0, last90Days: 0, last365Days: 0, lifetime: 0 };
const counted = (windows: Partial<typeof none>) => ({ ...none, ...windows });
const inEveryWindow = { last30Days: 1, last90Days: 1, last365Days: 1, lifetime: 1 };
const olderThan30Days = counted({ last90Days: 1, last365Days: 1, lifetime: 1 });

describe('countEpisodes', () => {
  it('counts three episodes within a month and one 40 days before the first of them', () => {
    const episodes = [2, 10, 25, 65].map((daysAgo) => episode(before(daysAgo * DAY)));
    expect(countEpisodes(episodes, NOW)).toEqual({ last30Days: 3, last90Days: 4, last365Days: 4, lifetime: 4 });
  });

  it('leaves out an episode missing exactly 30 days ago: the window is (now - 30 days, now]', () => {
    expect(countEpisodes([episode(before(30 * DAY))], NOW)).toEqual(olderThan30Days);
  });

  it('counts an episode missing 30 days minus a minute ago', () => {
    expect(countEpisodes([episode(before(30 * DAY - MINUTE))], NOW).last30Days).toBe(1);
  });

  it('counts an episode missing since this very moment', () => {
    expect(countEpisodes([episode(NOW)], NOW)).toEqual(inEveryWindow);
  });

  it('does not count an episode after now, so counts as at a past time are right', () => {
    expect(countEpisodes([episode(before(-MINUTE))], NOW)).toEqual(none);
  });

  it('puts each episode in the windows its age falls in, and every one in the lifetime count', () => {
    const episodes = [89, 90, 364, 365, 3000].map((daysAgo) => episode(before(daysAgo * DAY)));
    expect(countEpisodes(episodes, NOW)).toEqual(counted({ last90Days: 1, last365Days: 3, lifetime: 5 }));
  });

  it('does not count cancelled episodes', () => {
    const episodes = [episode(before(DAY), true), episode(before(2 * DAY))];
    expect(countEpisodes(episodes, NOW)).toEqual(inEveryWindow);
  });

  it('counts nothing for a child never missing', () => {
    expect(countEpisodes([], NOW)).toEqual(none);
  });
});

describe('episodesForCounting', () => {
  it('puts a late, back-dated report in the window of its missing-since time, not of its report', () => {
    const state = foldChildCase([
      registered(),
      reported({ episodeId: 'late', missingSince: before(35 * DAY), reportedAt: before(MINUTE) }),
    ]);
    expect(countEpisodes(episodesForCounting(state), NOW)).toEqual(olderThan30Days);
  });

  it('lets a late report complete the third episode in a month', () => {
    const state = foldChildCase([
      registered(),
      reported({ episodeId: 'e1', missingSince: before(20 * DAY), reportedAt: before(20 * DAY) }),
      returned({ episodeId: 'e1', returnedAt: before(19 * DAY) }),
      reported({ episodeId: 'e2', missingSince: before(3 * DAY), reportedAt: before(3 * DAY) }),
      returned({ episodeId: 'e2', returnedAt: before(2 * DAY) }),
      // Missing ten days ago for a night, and only reported now.
      reported({ episodeId: 'e3', missingSince: before(10 * DAY), reportedAt: before(MINUTE) }),
      returned({ episodeId: 'e3', returnedAt: before(9 * DAY) }),
    ]);
    expect(countEpisodes(episodesForCounting(state), NOW).last30Days).toBe(3);
  });

  it('stops counting an episode once it is cancelled', () => {
    const history = [registered(), reported({ missingSince: before(DAY), reportedAt: before(DAY) })];
    expect(countEpisodes(episodesForCounting(foldChildCase(history)), NOW).lifetime).toBe(1);
    expect(countEpisodes(episodesForCounting(foldChildCase([...history, cancelled()])), NOW).lifetime).toBe(0);
  });
});
