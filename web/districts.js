// The district comparison: figures side by side, charts where a glance beats reading, and CSV.
import { useState } from 'preact/hooks';
import { api, html, percent } from './lib.js';
import { DistrictBars, MonthlyBars } from './charts.js';
import { useApi } from './live.js';
import { Loaded } from './views.js';

const FIGURES = [
  ['episodes', 'Episodes', String],
  ['children', 'Children', String],
  ['repeatRate', 'Repeat rate', percent],
  ['meanHoursToMeeting', 'Hours, threshold to meeting', (v) => (v === null ? '—' : String(v))],
  ['interviewsWithin72hShare', 'Return interviews within 72 h', percent],
  ['repeatWithPlanShare', 'Repeat children with a plan', percent],
];
const BREAKDOWNS = [['ageBand', 'Age band'], ['gender', 'Gender'], ['ethnicity', 'Ethnicity'], ['placement', 'Placement']];

function FiguresTable({ caption, firstColumn, rows }) {
  if (rows.length === 0) return html`<p class="empty">${caption}: no episodes this year.</p>`;
  return html`<table>
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${firstColumn}</th>${FIGURES.map(([, label]) => html`<th scope="col">${label}</th>`)}</tr></thead>
    <tbody>${rows.map(([name, figures]) => html`<tr key=${name}>
      <th scope="row">${name}</th>${FIGURES.map(([key, , format]) => html`<td>${format(figures[key])}</td>`)}
    </tr>`)}</tbody>
  </table>`;
}

async function downloadCsv(token, year) {
  const blob = await api(token, `/api/dashboard/district-comparison.csv?year=${year}`, { accept: 'text/csv' });
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: `district-comparison-${year}.csv` });
  link.click();
  URL.revokeObjectURL(link.href);
}

export function Districts({ token, version }) {
  const [year, setYear] = useState(new Date().getFullYear());
  const [breakdown, setBreakdown] = useState('ageBand');
  const comparison = useApi(token, `/api/dashboard/district-comparison?year=${year}`, version);
  const overTime = useApi(token, '/api/dashboard/episodes-over-time?months=12', version);
  return html`<h2>District comparison</h2>
    <div class="controls">
      <label>Year <input type="number" min="2000" max="2100" value=${year} onChange=${(e) => setYear(Number(e.target.value))} /></label>
      <label>Breakdown <select value=${breakdown} onChange=${(e) => setBreakdown(e.target.value)}>
        ${BREAKDOWNS.map(([key, label]) => html`<option value=${key}>${label}</option>`)}
      </select></label>
      <button type="button" onClick=${() => downloadCsv(token, year)}>Download CSV</button>
    </div>
    <${Loaded} result=${overTime}>${(data) => html`<h3>Episodes over the last 12 months</h3>
      <${MonthlyBars} months=${data.months} series=${data.districts} />`}<//>
    <${Loaded} result=${comparison}>${(c) => html`
      <div class="bar-grid">
        <${DistrictBars} label="Repeat rate" format=${percent} max=${1}
          rows=${c.districts.map((d) => ({ district: d.district, value: d.figures.repeatRate }))} />
        <${DistrictBars} label="Return interviews within 72 hours" format=${percent} max=${1}
          rows=${c.districts.map((d) => ({ district: d.district, value: d.figures.interviewsWithin72hShare }))} />
        <${DistrictBars} label="Repeat children with a plan" format=${percent} max=${1}
          rows=${c.districts.map((d) => ({ district: d.district, value: d.figures.repeatWithPlanShare }))} />
        <${DistrictBars} label="Hours from threshold to meeting" format=${String}
          rows=${c.districts.map((d) => ({ district: d.district, value: d.figures.meanHoursToMeeting }))} />
      </div>
      <${FiguresTable} caption=${`${c.year}, by district`} firstColumn="District"
        rows=${[...c.districts.map((d) => [d.district, d.figures]), ['Force-wide', c.forceWide.figures]]} />
      ${[...c.districts, { district: 'Force-wide', ...c.forceWide }].map((d) => html`<${FiguresTable} key=${d.district}
        caption=${`${d.district} by ${BREAKDOWNS.find(([key]) => key === breakdown)[1].toLowerCase()}`}
        firstColumn=${BREAKDOWNS.find(([key]) => key === breakdown)[1]}
        rows=${d.breakdowns[breakdown].map((entry) => [entry.value, entry.figures])} />`)}
    `}<//>`;
}
