import type { SqlExecutor } from '../database/sql-database';
import { BREAKDOWNS, type BreakdownName } from './breakdowns';

export interface ComparisonFigures {
  episodes: number;
  children: number;
  repeatChildren: number;
  /** Children with 2+ episodes in the year, of the children with any. */
  repeatRate: number | null;
  meetingsHeld: number;
  /** Mean hours from the repeat threshold (the meeting convened) to the strategy meeting held. */
  meanHoursToMeeting: number | null;
  returns: number;
  interviewsWithin72h: number;
  /** Returns whose independent interview was completed within 72 hours, of all returns. */
  interviewsWithin72hShare: number | null;
  repeatChildrenWithPlan: number;
  /** Repeat children who had a safeguarding plan by the year's end, of the repeat children. */
  repeatWithPlanShare: number | null;
}

export interface ComparisonBlock {
  figures: ComparisonFigures;
  breakdowns: Record<BreakdownName, { value: string; figures: ComparisonFigures }[]>;
}

export interface DistrictComparison {
  year: number;
  districts: ({ district: string } & ComparisonBlock)[];
  forceWide: ComparisonBlock;
}

interface SumsRow {
  district: string | null;
  age_band: string | null;
  gender: string | null;
  ethnicity: string | null;
  placement: string | null;
  by: string;
  episodes: string;
  children: string;
  repeat_children: string;
  repeat_children_with_plan: string;
  returns: string;
  interviews_in_time: string;
  meetings_held: string;
  ms_to_meeting: string;
}

const COLUMN_OF: Record<BreakdownName, keyof SumsRow> = { ageBand: 'age_band', gender: 'gender', ethnicity: 'ethnicity', placement: 'placement' };
const share = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

function figuresOf(row: SumsRow | undefined): ComparisonFigures {
  const n = (value: string | undefined) => Number(value ?? 0);
  const [episodes, children, repeat, withPlan, returns, inTime, held, ms] = [
    row?.episodes, row?.children, row?.repeat_children, row?.repeat_children_with_plan,
    row?.returns, row?.interviews_in_time, row?.meetings_held, row?.ms_to_meeting,
  ].map(n);
  return {
    episodes,
    children,
    repeatChildren: repeat,
    repeatRate: share(repeat, children),
    meetingsHeld: held,
    meanHoursToMeeting: held === 0 ? null : Math.round((ms / held / 3_600_000) * 10) / 10,
    returns,
    interviewsWithin72h: inTime,
    interviewsWithin72hShare: share(inTime, returns),
    repeatChildrenWithPlan: withPlan,
    repeatWithPlanShare: share(withPlan, repeat),
  };
}

/**
 * Each district and the force side by side for a UK calendar year, from the dashboard projection's
 * counters: one grouping-sets query over the year's few hundred counter rows.
 */
export async function districtComparison(db: SqlExecutor, districts: readonly string[], year: number): Promise<DistrictComparison> {
  const sets = ['district', ...BREAKDOWNS.map((b) => COLUMN_OF[b])];
  const rows = await db.query<SumsRow>(
    `SELECT district, age_band, gender, ethnicity, placement,
            concat_ws(',', CASE WHEN GROUPING(district) = 0 THEN 'district' END, CASE WHEN GROUPING(age_band) = 0 THEN 'age_band' END,
                      CASE WHEN GROUPING(gender) = 0 THEN 'gender' END, CASE WHEN GROUPING(ethnicity) = 0 THEN 'ethnicity' END,
                      CASE WHEN GROUPING(placement) = 0 THEN 'placement' END) AS by,
            sum(episodes) AS episodes, sum(children) AS children, sum(repeat_children) AS repeat_children,
            sum(repeat_children_with_plan) AS repeat_children_with_plan, sum(returns) AS returns,
            sum(interviews_in_time) AS interviews_in_time, sum(meetings_held) AS meetings_held, sum(ms_to_meeting) AS ms_to_meeting
       FROM rm_dash_stats WHERE year = $1
      GROUP BY GROUPING SETS ((), (district), ${sets.slice(1).map((c) => `(district, ${c}), (${c})`).join(', ')})`,
    [year],
  );
  const block = (district: string | null): ComparisonBlock => {
    const mine = rows.filter((row) => row.district === district);
    const prefix = district === null ? '' : 'district,';
    const breakdowns = Object.fromEntries(
      BREAKDOWNS.map((name) => [
        name,
        mine
          .filter((row) => row.by === prefix + COLUMN_OF[name])
          .filter((row) => Number(row.episodes) !== 0 || Number(row.children) !== 0 || Number(row.meetings_held) !== 0)
          .map((row) => ({ value: String(row[COLUMN_OF[name]]), figures: figuresOf(row) }))
          .sort((a, b) => a.value.localeCompare(b.value)),
      ]),
    ) as ComparisonBlock['breakdowns'];
    return { figures: figuresOf(mine.find((row) => row.by === (district === null ? '' : 'district'))), breakdowns };
  };
  const known = [...new Set([...districts, ...rows.flatMap((row) => (row.district ? [row.district] : []))])];
  return { year, districts: known.map((district) => ({ district, ...block(district) })), forceWide: block(null) };
}

const CSV_FIGURES: (keyof ComparisonFigures)[] = [
  'episodes', 'children', 'repeatChildren', 'repeatRate', 'meetingsHeld', 'meanHoursToMeeting', 'returns',
  'interviewsWithin72h', 'interviewsWithin72hShare', 'repeatChildrenWithPlan', 'repeatWithPlanShare',
];

/** RFC 4180 quoting; a cell a spreadsheet would run as a formula is prefixed with a quote mark. */
function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The comparison as CSV: one line per district (and the force) and breakdown value. */
export function comparisonCsv(comparison: DistrictComparison): string {
  const lines = [['year', 'area', 'breakdown', 'value', ...CSV_FIGURES]];
  const add = (area: string, block: ComparisonBlock) => {
    lines.push([String(comparison.year), area, 'all', 'all', ...CSV_FIGURES.map((f) => block.figures[f] as never)]);
    for (const name of BREAKDOWNS) {
      for (const entry of block.breakdowns[name]) {
        lines.push([String(comparison.year), area, name, entry.value, ...CSV_FIGURES.map((f) => entry.figures[f] as never)]);
      }
    }
  };
  for (const district of comparison.districts) add(district.district, district);
  add('force-wide', comparison.forceWide);
  return lines.map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
