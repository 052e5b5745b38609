import { randomUUID } from 'node:crypto';
import type { RiskGrade } from '../src/child-case/child-case.events';
import { allProjections } from '../src/consumers';
import { lateRiskReviews, openEpisodes } from '../src/dashboard/open-episodes.queries';
import { summaryCounts } from '../src/dashboard/summary-counts.queries';
import type { PgDatabase } from '../src/database/pg-database';
import { longMissingDeadline, reviewDeadlines } from '../src/escalation/policy/evaluate-policy';
import { Random } from '../src/synthetic/random';
import { freshPostgresDatabase } from './support/databases';
import { servicePolicy } from './support/read-models';

const HOUR_MS = 60 * 60 * 1000;
const GRADES: (RiskGrade | null)[] = ['high', 'medium', 'low', 'no-apparent-risk', null];
const DISTRICTS = ['Barnsley', 'Doncaster'];

interface Episode {
  episodeId: string;
  district: string;
  status: 'missing' | 'returned';
  grade: RiskGrade | null;
  missingSince: string;
  lastReviewAt: string | null;
}

/**
 * The database picks the open episodes a view shows (by SQL over the policy's intervals); the
 * escalation policy's own functions say what the deadlines are. Over a few hundred random
 * episodes, every grade, reviewed or not, some long missing and some closed, the two must agree
 * on which rows are shown and in what order.
 */
describe('open episodes and late risk reviews, chosen by the database', () => {
  const policy = servicePolicy();
  const now = new Date('2026-03-01T12:00:00.000Z');
  const random = new Random(7);
  let db: PgDatabase;

  const episodes: Episode[] = Array.from({ length: 400 }, () => {
    // From a few minutes to beyond the long-missing mark, at millisecond precision.
    const missingMs = now.getTime() - Math.floor(random.between(0, policy.longMissing.hours * 1.5) * HOUR_MS);
    const reviewed = random.chance(0.4);
    return {
      episodeId: randomUUID(),
      district: random.pick(DISTRICTS),
      status: random.chance(0.85) ? 'missing' : 'returned',
      grade: random.pick(GRADES),
      missingSince: new Date(missingMs).toISOString(),
      lastReviewAt: reviewed ? new Date(missingMs + Math.floor(random.between(0, now.getTime() - missingMs))).toISOString() : null,
    };
  });

  const clocks = (episode: Episode) => {
    const [firstReview] = reviewDeadlines(policy, { grade: episode.grade, missingSince: episode.missingSince, lastReviewAt: episode.lastReviewAt });
    const longMissing = longMissingDeadline(policy, episode.missingSince);
    return { reviewDueAt: firstReview.dueAt, nextDueAt: firstReview.dueAt <= longMissing ? firstReview.dueAt : longMissing };
  };
  const open = (district: string | null) => episodes.filter((e) => e.status === 'missing' && (district === null || e.district === district));
  const byThenId = (key: 'reviewDueAt' | 'nextDueAt') => (a: Episode, b: Episode) =>
    clocks(a)[key].localeCompare(clocks(b)[key]) || a.episodeId.localeCompare(b.episodeId);

  beforeAll(async () => {
    db = await freshPostgresDatabase();
    // Every read model: the summary's count reads the other kinds of work too.
    for (const projection of allProjections(policy)) await projection.migrate(db);
    for (const e of episodes) {
      await db.query(
        `INSERT INTO rm_episodes (episode_id, child_id, district, missing_since, reported_at, status, risk_grade, last_risk_assessed_at, last_action_at)
         VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $4)`,
        [e.episodeId, randomUUID(), e.district, e.missingSince, e.status, e.grade, e.lastReviewAt],
      );
    }
  });
  afterAll(() => db.close());

  it.each([
    [null, 50],
    ['Doncaster', 50],
    [null, 1_000],
  ])('lists the open episodes whose next deadline bites first (scope %s, up to %i)', async (scope, limit) => {
    const expected = open(scope).sort(byThenId('nextDueAt')).slice(0, limit);
    const listed = await openEpisodes(db, policy, scope, now, limit);
    expect(listed.map((e) => e.episodeId)).toEqual(expected.map((e) => e.episodeId));
    expect(listed.map((e) => e.nextDeadline.dueAt)).toEqual(expected.map((e) => clocks(e).nextDueAt));
  });

  it('holds episodes whose long-missing mark comes before their review, and the reverse', () => {
    const kinds = open(null).map((e) => (clocks(e).nextDueAt === clocks(e).reviewDueAt ? 'review first' : 'long-missing first'));
    expect(kinds.filter((kind) => kind === 'long-missing first').length).toBeGreaterThan(10);
    expect(kinds.filter((kind) => kind === 'review first').length).toBeGreaterThan(10);
  });

  it.each([null, 'Barnsley'])('lists the late risk reviews, the longest overdue first, and counts them all (scope %s)', async (scope) => {
    const late = open(scope).filter((e) => Date.parse(clocks(e).reviewDueAt) < now.getTime());
    expect(late.length).toBeGreaterThan(40);
    const listed = await lateRiskReviews(db, policy, scope, now, 40);
    expect(listed.map((e) => e.episodeId)).toEqual(late.sort(byThenId('reviewDueAt')).slice(0, 40).map((e) => e.episodeId));
    expect((await summaryCounts(db, policy, scope, now)).overdue['risk-review']).toBe(late.length);
  });
});
