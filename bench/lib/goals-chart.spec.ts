import { type GoalBar, goalsChartSvg, reachOf } from './goals-chart';

describe('the picture of the goal rows', () => {
  it("puts a figure's reach the goal's way up: a bound over the value for a limit, the value over the bound for a floor", () => {
    expect(reachOf({ value: 25, goal: { below: 50, text: 'p99 < 50 ms' } })).toBe(2);
    expect(reachOf({ value: 0.25, goal: { above: 0.5, text: '≥ 0.5 of raw read' } })).toBe(0.5);
    expect(reachOf({ value: 100_000, goal: { above: 50_000, text: '≥ 50,000 ev/s' } })).toBe(2);
    expect(reachOf({ value: 400, goal: { below: 500, above: 100, text: 'between' } })).toBe(1.25);
    expect(reachOf({ value: 3, goal: undefined })).toBeNull();
  });

  const bars: GoalBar[] = [
    { label: 'views: p99 <list>', reach: 2, met: true, value: '25 ms', goal: 'p99 < 50 ms' },
    { label: 'rebuild: share of raw read', reach: 0.5, met: false, value: '0.25×', goal: '≥ 0.5 of raw read' },
    { label: 'far off', reach: 1 / 1000, met: false, value: '0.0005×', goal: '≥ 0.5 of bare' },
  ];
  const svg = goalsChartSvg(bars, 'Goals & figures');
  const drawn = [...svg.matchAll(/<g class="(met|missed)" data-reach="[^"]*"><text[^>]*>([^<]*)<\/text><rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map(
    ([, verdict, label, x, width]) => ({ verdict, label, from: Number(x), to: Number(x) + Number(width) }),
  );
  const goalLine = Number(/<line x1="([\d.]+)"[^>]*class="goal"/.exec(svg)![1]);

  it('draws a bar per goal row, from the goal line: right where met, left where missed, as far as the log scale says', () => {
    expect(drawn.map(({ verdict, label }) => [verdict, label])).toEqual([
      ['met', 'views: p99 &lt;list&gt;'],
      ['missed', 'rebuild: share of raw read'],
      ['missed', 'far off'],
    ]);
    const [met, half, farOff] = drawn;
    expect(met.from).toBeCloseTo(goalLine, 0);
    expect(half.to).toBeCloseTo(goalLine, 0);
    // Twice the goal and half of it lie the same distance either side of the line.
    expect(met.to - goalLine).toBeCloseTo(goalLine - half.from, 0);
    // A reach beyond the scale stops at its edge, a sixteenth: four times the distance of a half.
    expect(goalLine - farOff.from).toBeCloseTo(4 * (goalLine - half.from), 0);
  });

  it('says how many goals are met, and escapes what it writes', () => {
    expect(svg).toContain('1 of 3 goals met');
    expect(svg).toContain('Goals &amp; figures');
    expect(svg).toContain('25 ms (goal p99 &lt; 50 ms)');
  });
});
