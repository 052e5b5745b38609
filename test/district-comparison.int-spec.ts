import { randomUUID } from 'node:crypto';
import type { PgDatabase } from '../src/database/pg-database';
import { DashboardProjection } from '../src/dashboard/dashboard.projection';
import { comparisonCsv, districtComparison, type ComparisonFigures } from '../src/dashboard/district-comparison';
import type { RecordedEvent } from '../src/event-store/event-store.port';
import { freshPostgresDatabase } from './support/databases';
import { servicePolicy } from './support/read-models';

const DISTRICTS = ['Barnsley', 'Doncaster', 'Rotherham', 'Sheffield'];

/**
 * A small history whose comparison figures were worked out by hand, fed through the dashboard
 * projection on a real PostgreSQL:
 *
 * A (Sheffield, born 2012-03-01, female, White British, foster): episodes 2025-12-01 and three in
 *   January 2026, all returned; interviews 24 h (in time) and 96 h (late) after two returns;
 *   a threshold meeting convened 25 Jan 12:00, held 27 Jan 12:00 (48 h); a plan from 1 Feb 2026.
 * B (Sheffield, born 2010-06-15, male, no ethnicity, home): episodes 1 and 5 March, a third on
 *   1 April cancelled; the first returned, interview 24 h later.
 * C (Doncaster, no date of birth, female, Asian British, children's home): one episode returned
 *   with the interview declined, a second cancelled; a meeting called by hand (not a threshold one).
 * D (Doncaster, born 2008-01-01, female, White British, foster, moved home on 15 July): a plan
 *   since 2025; three episodes in July; a threshold meeting convened 20 Jul 00:00, held 21 Jul 06:00 (30 h).
 */
describe('the district comparison, against a hand-computed history', () => {
  let db: PgDatabase;
  const [A, B, C, D] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const ids = new Map<string, string>();
  const id = (name: string) => ids.get(name) ?? (ids.set(name, randomUUID()), ids.get(name)!);
  let position = 0n;
  const event = (childId: string, type: string, data: Record<string, unknown>) =>
    ({ id: randomUUID(), type, stream: `child-${childId}`, data, position: ++position, recordedAt: new Date() }) as unknown as RecordedEvent;
  const registered = (childId: string, profile: Record<string, unknown>) => event(childId, 'ChildRegistered', { childId, profile });
  const reported = (childId: string, name: string, district: string, missingSince: string) =>
    event(childId, 'ChildReportedMissing', { childId, episodeId: id(name), district, missingSince, reportedAt: missingSince });
  const returned = (childId: string, name: string, returnedAt: string) => event(childId, 'ChildReturned', { episodeId: id(name), returnedAt });
  const interviewed = (childId: string, name: string, completedAt: string) =>
    event(childId, 'ReturnInterviewCompleted', { episodeId: id(name), completedAt });

  beforeAll(async () => {
    db = await freshPostgresDatabase();
    const projection = new DashboardProjection(servicePolicy().repeatWithoutPlan);
    await projection.migrate(db);
    const history = [
      registered(A, { localAuthority: 'Sheffield', dateOfBirth: '2012-03-01', gender: 'female', ethnicity: 'White British', placementType: 'foster' }),
      registered(B, { localAuthority: 'Sheffield', dateOfBirth: '2010-06-15', gender: 'male', placementType: 'home' }),
      registered(C, { localAuthority: 'Doncaster', gender: 'female', ethnicity: 'Asian British', placementType: 'childrens-home' }),
      registered(D, { localAuthority: 'Doncaster', dateOfBirth: '2008-01-01', gender: 'female', ethnicity: 'White British', placementType: 'foster' }),
      event(D, 'SafeguardingPlanCreated', { planId: id('planD'), childId: D, createdAt: '2025-06-01T09:00:00Z' }),
      reported(A, 'a4', 'Sheffield', '2025-12-01T18:00:00Z'),
      returned(A, 'a4', '2025-12-02T08:00:00Z'),
      reported(A, 'a1', 'Sheffield', '2026-01-10T20:00:00Z'),
      returned(A, 'a1', '2026-01-11T10:00:00Z'),
      interviewed(A, 'a1', '2026-01-12T10:00:00Z'),
      reported(A, 'a2', 'Sheffield', '2026-01-20T20:00:00Z'),
      returned(A, 'a2', '2026-01-21T00:00:00Z'),
      reported(A, 'a3', 'Sheffield', '2026-01-25T09:00:00Z'),
      event(A, 'StrategyMeetingConvened', { meetingId: id('m1'), childId: A, rule: 'repeat-in-window', convenedAt: '2026-01-25T12:00:00Z' }),
      interviewed(A, 'a2', '2026-01-25T00:00:00Z'),
      returned(A, 'a3', '2026-01-26T00:00:00Z'),
      event(A, 'StrategyMeetingHeld', { meetingId: id('m1'), heldAt: '2026-01-27T12:00:00Z' }),
      event(A, 'SafeguardingPlanCreated', { planId: id('planA'), childId: A, createdAt: '2026-02-01T09:00:00Z' }),
      reported(B, 'b1', 'Sheffield', '2026-03-01T12:00:00Z'),
      returned(B, 'b1', '2026-03-02T12:00:00Z'),
      interviewed(B, 'b1', '2026-03-03T12:00:00Z'),
      reported(B, 'b2', 'Sheffield', '2026-03-05T12:00:00Z'),
      reported(B, 'b3', 'Sheffield', '2026-04-01T12:00:00Z'),
      event(B, 'EpisodeCancelled', { episodeId: id('b3') }),
      reported(C, 'c1', 'Doncaster', '2026-05-01T12:00:00Z'),
      returned(C, 'c1', '2026-05-02T12:00:00Z'),
      event(C, 'ReturnInterviewDeclined', { episodeId: id('c1'), declinedAt: '2026-05-03T12:00:00Z' }),
      event(C, 'StrategyMeetingCalled', { meetingId: id('m2'), childId: C, calledAt: '2026-05-04T12:00:00Z' }),
      event(C, 'StrategyMeetingHeld', { meetingId: id('m2'), heldAt: '2026-05-05T12:00:00Z' }),
      reported(C, 'c2', 'Doncaster', '2026-06-01T12:00:00Z'),
      event(C, 'EpisodeCancelled', { episodeId: id('c2') }),
      reported(D, 'd1', 'Doncaster', '2026-07-01T12:00:00Z'),
      reported(D, 'd2', 'Doncaster', '2026-07-10T12:00:00Z'),
      event(D, 'ChildProfileUpdated', { childId: D, changes: { placementType: 'home' } }),
      reported(D, 'd3', 'Doncaster', '2026-07-19T23:00:00Z'),
      event(D, 'StrategyMeetingConvened', { meetingId: id('m3'), childId: D, rule: 'repeat-in-window', convenedAt: '2026-07-20T00:00:00Z' }),
      event(D, 'StrategyMeetingHeld', { meetingId: id('m3'), heldAt: '2026-07-21T06:00:00Z' }),
    ];
    // Two batches, as the subscription runner would hand them over.
    await db.transaction((tx) => projection.apply(history.slice(0, 20), tx, 'live'));
    await db.transaction((tx) => projection.apply(history.slice(20), tx, 'live'));
  });

  afterAll(() => db.close());

  const figures = (overrides: Partial<ComparisonFigures>): ComparisonFigures => ({
    episodes: 0, children: 0, repeatChildren: 0, repeatRate: null, meetingsHeld: 0, meanHoursToMeeting: null,
    returns: 0, interviewsWithin72h: 0, interviewsWithin72hShare: null, repeatChildrenWithPlan: 0, repeatWithPlanShare: null,
    ...overrides,
  });

  const sheffield = figures({
    episodes: 5, children: 2, repeatChildren: 2, repeatRate: 1, meetingsHeld: 1, meanHoursToMeeting: 48,
    returns: 4, interviewsWithin72h: 2, interviewsWithin72hShare: 0.5, repeatChildrenWithPlan: 1, repeatWithPlanShare: 0.5,
  });
  const doncaster = figures({
    episodes: 4, children: 2, repeatChildren: 1, repeatRate: 0.5, meetingsHeld: 1, meanHoursToMeeting: 30,
    returns: 1, interviewsWithin72h: 0, interviewsWithin72hShare: 0, repeatChildrenWithPlan: 1, repeatWithPlanShare: 1,
  });
  const forceWide = figures({
    episodes: 9, children: 4, repeatChildren: 3, repeatRate: 0.75, meetingsHeld: 2, meanHoursToMeeting: 39,
    returns: 5, interviewsWithin72h: 2, interviewsWithin72hShare: 0.4, repeatChildrenWithPlan: 2, repeatWithPlanShare: 0.667,
  });

  it('gives every district and the force its figures for 2026', async () => {
    const comparison = await districtComparison(db, DISTRICTS, 2026);
    expect(comparison.districts.map((d) => [d.district, d.figures])).toEqual([
      ['Barnsley', figures({})],
      ['Doncaster', doncaster],
      ['Rotherham', figures({})],
      ['Sheffield', sheffield],
    ]);
    expect(comparison.forceWide.figures).toEqual(forceWide);
  });

  it('breaks the force down by age band, gender, ethnicity and placement', async () => {
    const { forceWide: force } = await districtComparison(db, DISTRICTS, 2026);
    const episodesAndChildren = (name: keyof typeof force.breakdowns) =>
      force.breakdowns[name].map((entry) => [entry.value, entry.figures.episodes, entry.figures.children, entry.figures.repeatChildren]);
    expect(episodesAndChildren('ageBand')).toEqual([
      ['10-13', 3, 1, 1],
      ['14-15', 2, 1, 1],
      ['18 and over', 3, 1, 1],
      ['not recorded', 1, 1, 0],
    ]);
    expect(episodesAndChildren('gender')).toEqual([
      ['female', 7, 3, 2],
      ['male', 2, 1, 1],
    ]);
    expect(episodesAndChildren('ethnicity')).toEqual([
      ['Asian British', 1, 1, 0],
      ['not recorded', 2, 1, 1],
      ['White British', 6, 2, 2],
    ]);
    // D's third episode and threshold meeting came after the move home; D's year stays with foster,
    // where the year's first episode placed it.
    expect(force.breakdowns.placement).toEqual([
      { value: 'childrens-home', figures: figures({ episodes: 1, children: 1, repeatRate: 0, returns: 1, interviewsWithin72hShare: 0 }) },
      {
        value: 'foster',
        figures: figures({
          episodes: 5, children: 2, repeatChildren: 2, repeatRate: 1, meetingsHeld: 1, meanHoursToMeeting: 48,
          returns: 3, interviewsWithin72h: 1, interviewsWithin72hShare: 0.333, repeatChildrenWithPlan: 2, repeatWithPlanShare: 1,
        }),
      },
      {
        value: 'home',
        figures: figures({
          episodes: 3, children: 1, repeatChildren: 1, repeatRate: 1, meetingsHeld: 1, meanHoursToMeeting: 30,
          returns: 1, interviewsWithin72h: 1, interviewsWithin72hShare: 1, repeatChildrenWithPlan: 0, repeatWithPlanShare: 0,
        }),
      },
    ]);
  });

  it('breaks each district down the same way', async () => {
    const comparison = await districtComparison(db, DISTRICTS, 2026);
    const sheffieldGender = comparison.districts.find((d) => d.district === 'Sheffield')!.breakdowns.gender;
    expect(sheffieldGender.map((e) => [e.value, e.figures.episodes, e.figures.children, e.figures.repeatChildrenWithPlan])).toEqual([
      ['female', 3, 1, 1],
      ['male', 2, 1, 0],
    ]);
    expect(comparison.districts.find((d) => d.district === 'Barnsley')!.breakdowns.gender).toEqual([]);
  });

  it('counts 2025 apart: a plan made in 2026 does not count for 2025', async () => {
    const comparison = await districtComparison(db, DISTRICTS, 2025);
    expect(comparison.forceWide.figures).toEqual(figures({ episodes: 1, children: 1, repeatRate: 0, returns: 1, interviewsWithin72hShare: 0 }));
  });

  it('writes the same figures as CSV', async () => {
    const lines = comparisonCsv(await districtComparison(db, DISTRICTS, 2026)).split('\r\n');
    expect(lines[0]).toBe(
      'year,area,breakdown,value,episodes,children,repeatChildren,repeatRate,meetingsHeld,meanHoursToMeeting,returns,interviewsWithin72h,interviewsWithin72hShare,repeatChildrenWithPlan,repeatWithPlanShare',
    );
    expect(lines).toContain('2026,Barnsley,all,all,0,0,0,,0,,0,0,,0,');
    expect(lines).toContain('2026,Sheffield,all,all,5,2,2,1,1,48,4,2,0.5,1,0.5');
    // D's year sits with foster; only the third episode and the meeting came after the move home.
    expect(lines).toContain('2026,Doncaster,placement,home,1,0,0,,1,30,0,0,,0,');
    expect(lines).toContain('2026,force-wide,all,all,9,4,3,0.75,2,39,5,2,0.4,2,0.667');
    expect(lines).toContain('2026,force-wide,ethnicity,White British,6,2,2,1,2,39,3,1,0.333,2,1');
    expect(lines[lines.length - 1]).toBe('');
  });
});
