// Two small SVG charts, drawn by hand: a few dozen bars do not need a charting library.
import { html } from './lib.js';

const COLOURS = ['#1d70b8', '#d4351c', '#00703c', '#f47738', '#4c2c92', '#b58840', '#28a197', '#912b88'];
export const colourOf = (index) => COLOURS[index % COLOURS.length];

/** Episodes per month, one bar per district in each month; the numbers are in the table beside it. */
export function MonthlyBars({ months, series }) {
  const width = 720;
  const height = 220;
  const left = 36;
  const bottom = 28;
  const max = Math.max(1, ...series.flatMap((s) => s.episodes));
  const slot = (width - left) / months.length;
  const bar = Math.max(2, (slot - 6) / series.length);
  const y = (value) => (height - bottom) * (1 - value / max);
  return html`<figure class="chart">
    <svg viewBox=${`0 0 ${width} ${height}`} role="img" aria-label="Episodes per month by district">
      <line x1=${left} x2=${width} y1=${height - bottom} y2=${height - bottom} stroke="#505a5f" />
      <text x=${left - 6} y=${y(max) + 10} text-anchor="end" class="axis">${max}</text>
      <text x=${left - 6} y=${height - bottom} text-anchor="end" class="axis">0</text>
      ${months.map((month, m) => html`<g key=${month}>
        ${series.map((s, i) => html`<rect x=${left + m * slot + 3 + i * bar} y=${y(s.episodes[m])} width=${bar - 1}
            height=${height - bottom - y(s.episodes[m])} fill=${colourOf(i)}><title>${`${s.district} ${month}: ${s.episodes[m]}`}</title></rect>`)}
        <text x=${left + m * slot + slot / 2} y=${height - 8} text-anchor="middle" class="axis">${month.slice(2)}</text>
      </g>`)}
    </svg>
    <figcaption>${series.map((s, i) => html`<span class="key"><i style=${{ background: colourOf(i) }}></i>${s.district}</span>`)}</figcaption>
  </figure>`;
}

/** One horizontal bar per district for a share (0..1) or a number; empty figures say "no data". */
export function DistrictBars({ label, rows, format, max }) {
  const top = max ?? Math.max(1e-9, ...rows.map((r) => r.value ?? 0));
  return html`<figure class="bars">
    <figcaption>${label}</figcaption>
    ${rows.map((r, i) => html`<div class="bar-row" key=${r.district}>
      <span class="bar-label">${r.district}</span>
      <span class="bar-track"><span class="bar" style=${{ width: `${((r.value ?? 0) / top) * 100}%`, background: colourOf(i) }}></span></span>
      <span class="bar-value">${r.value === null ? 'no data' : format(r.value)}</span>
    </div>`)}
  </figure>`;
}
