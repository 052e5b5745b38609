import type { ResultFigure } from './report';

/** One figure held to a goal, as the picture draws it. */
export interface GoalBar {
  label: string;
  /** How far the figure is from its goal, the goal's way up: 2 = twice as good as the goal asks, 0.5 = half. */
  reach: number;
  met: boolean;
  /** What was measured and what the goal is, as the table writes them. */
  value: string;
  goal: string;
}

/**
 * A figure's reach: for a goal below a bound (latency, memory) the bound over the value, for a goal
 * above one (throughput, a share of the baseline) the value over the bound; with both, the nearer.
 */
export function reachOf(figure: Pick<ResultFigure, 'value' | 'goal'>): number | null {
  const { goal, value } = figure;
  if (!goal) return null;
  const reaches = [goal.below !== undefined ? goal.below / value : Infinity, goal.above !== undefined ? value / goal.above : Infinity];
  return Math.min(...reaches);
}

const RANGE = 16;
const ROW = 17;
const LABEL_WIDTH = 560;
const SCALE_WIDTH = 440;
const TEXT_WIDTH = 250;
const TOP = 58;

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The goal rows of the table as one picture: a bar per figure from the goal's line, right and green
 * where the figure meets its goal, left and red where it misses, on a log scale from a sixteenth of
 * the goal to sixteen times it (bars beyond are cut at the edge, their figures written beside).
 */
export function goalsChartSvg(bars: readonly GoalBar[], title: string): string {
  const width = LABEL_WIDTH + SCALE_WIDTH + TEXT_WIDTH;
  const height = TOP + bars.length * ROW + 16;
  const goalX = LABEL_WIDTH + SCALE_WIDTH / 2;
  const xOf = (reach: number) => goalX + (Math.log(Math.min(RANGE, Math.max(1 / RANGE, reach))) / Math.log(RANGE)) * (SCALE_WIDTH / 2);
  const ticks = [1 / 16, 1 / 8, 1 / 4, 1 / 2, 1, 2, 4, 8, 16].map((reach) => {
    const x = xOf(reach).toFixed(1);
    const text = reach < 1 ? `1/${1 / reach}` : `${reach}×`;
    return `<line x1="${x}" y1="${TOP - 6}" x2="${x}" y2="${height - 12}" class="tick"/><text x="${x}" y="${TOP - 10}" text-anchor="middle">${text}</text>`;
  });
  const met = bars.filter((bar) => bar.met).length;
  const rows = bars.map((bar, i) => {
    const y = TOP + i * ROW;
    const end = xOf(bar.reach);
    const [from, to] = end >= goalX ? [goalX, end] : [end, goalX];
    return [
      `<g class="${bar.met ? 'met' : 'missed'}" data-reach="${bar.reach}">`,
      `<text x="${LABEL_WIDTH - 8}" y="${y + 12}" text-anchor="end">${escape(bar.label)}</text>`,
      `<rect x="${from.toFixed(1)}" y="${y + 3}" width="${Math.max(1, to - from).toFixed(1)}" height="${ROW - 6}"/>`,
      `<text x="${LABEL_WIDTH + SCALE_WIDTH + 8}" y="${y + 12}" class="figure">${escape(`${bar.value} (goal ${bar.goal})`)}</text>`,
      '</g>',
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    '<style>.met rect{fill:#2e7d32}.missed rect{fill:#c62828}.missed text{fill:#c62828}.tick{stroke:#ccc}.goal{stroke:#000;stroke-width:1.5}.figure{fill:#444}</style>',
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="8" y="18" font-size="14" font-weight="bold">${escape(title)}</text>`,
    `<text x="8" y="36">${met} of ${bars.length} goals met. Each bar runs from the goal (the black line) to the figure: right and green where it meets the goal, left and red where it misses (log scale).</text>`,
    ...ticks,
    `<line x1="${goalX}" y1="${TOP - 6}" x2="${goalX}" y2="${height - 12}" class="goal"/>`,
    ...rows,
    '</svg>',
    '',
  ].join('\n');
}
