// The lists coordinators work from. Preact escapes every text it renders; no HTML is built from data.
import { formatDuration, formatTime, html, RISK_LABELS } from './lib.js';
import { useApi } from './live.js';

const childLink = (id, name) => html`<a href=${`#/children/${id}`}>${name}</a>`;

/** Loading, failure or the content, the same way in every view. */
export function Loaded({ result, children }) {
  if (result.error && !result.data) {
    const text = result.error.status === 401 ? 'Your token is no longer valid: sign out and sign in again.' : result.error.message;
    return html`<p class="error" role="alert">${text}</p>`;
  }
  if (!result.data) return html`<p class="loading">Loading…</p>`;
  return children(result.data);
}

function Table({ caption, columns, rows, empty }) {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<table>
    <caption>${caption}</caption>
    <thead><tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

const OVERDUE_LABELS = {
  'risk-review': 'Risk review',
  'return-interview': 'Return interview',
  'meeting-action': 'Meeting action',
  'warning-notice': 'Warning notice',
  'escalation-unacknowledged': 'Unacknowledged escalation',
};

export function Summary({ token, version }) {
  const result = useApi(token, '/api/dashboard/summary', version);
  return html`<${Loaded} result=${result}>${(s) => {
    const overdue = Object.values(s.overdue).reduce((a, b) => a + b, 0);
    return html`<section class="summary" aria-label="Summary">
      <div><strong>${s.openEpisodes}</strong> open episodes</div>
      <div class=${s.highRiskOpen ? 'alert' : ''}><strong>${s.highRiskOpen}</strong> high risk</div>
      <div class=${overdue ? 'alert' : ''}><strong>${overdue}</strong> overdue</div>
      <div><strong>${s.repeatChildren}</strong> repeat children</div>
      <div class=${s.repeatChildrenNeedingPlan ? 'alert' : ''}><strong>${s.repeatChildrenNeedingPlan}</strong> need a plan</div>
    </section>`;
  }}<//>`;
}

export function OpenEpisodes({ token, version }) {
  const result = useApi(token, '/api/dashboard/open-episodes', version);
  const now = Date.now();
  return html`<h2>Open episodes</h2>
    <${Loaded} result=${result}>${(episodes) => html`<${Table}
      caption="Children missing now, the most urgent deadline first"
      columns=${['Child', 'District', 'Risk', 'Missing for', 'Next deadline', 'Last action']}
      empty="No child is missing."
      rows=${episodes.map((e) => {
        const late = Date.parse(e.nextDeadline.dueAt) < now;
        return html`<tr key=${e.episodeId}>
          <td>${childLink(e.childId, e.childName)}</td>
          <td>${e.district}</td>
          <td><span class=${`risk ${e.riskGrade ?? 'ungraded'}`}>${RISK_LABELS[e.riskGrade] ?? 'Not graded'}</span></td>
          <td>${formatDuration(e.missingForMs)}</td>
          <td class=${late ? 'late' : ''}>${e.nextDeadline.kind === 'risk-review' ? 'Risk review' : 'Long missing'} ${formatTime(e.nextDeadline.dueAt)}${late ? ' (late)' : ''}</td>
          <td>${formatTime(e.lastActionAt)}</td>
        </tr>`;
      })}
    />`}<//>`;
}

export function OverdueWork({ token, version }) {
  const result = useApi(token, '/api/dashboard/overdue-work', version);
  return html`<h2>Overdue work</h2>
    <${Loaded} result=${result}>${(items) => html`<${Table}
      caption="Work past its deadline, the latest first"
      columns=${['Kind', 'Child', 'District', 'What', 'Was due', 'Late by']}
      empty="Nothing is overdue."
      rows=${items.map((i) => html`<tr key=${i.kind + i.id}>
        <td>${OVERDUE_LABELS[i.kind]}</td>
        <td>${childLink(i.childId, i.childName)}</td>
        <td>${i.district}</td>
        <td>${i.what}</td>
        <td>${formatTime(i.dueAt)}</td>
        <td class="late">${formatDuration(i.lateByMs)}</td>
      </tr>`)}
    />`}<//>`;
}

export function RepeatChildren({ token, version }) {
  const result = useApi(token, '/api/dashboard/repeat-children', version);
  return html`<h2>Children with repeat episodes</h2>
    <${Loaded} result=${result}>${(children) => html`<${Table}
      caption="Episodes by missing-since time; cancelled episodes do not count"
      columns=${['Child', 'District', '30 days', '90 days', '365 days', 'Lifetime', 'Plan', 'Meeting', 'Linked children']}
      empty="No child has gone missing more than once."
      rows=${children.map((c) => html`<tr key=${c.childId}>
        <td>${childLink(c.childId, c.childName)}</td>
        <td>${c.district}</td>
        <td>${c.counts.last30Days}</td>
        <td>${c.counts.last90Days}</td>
        <td>${c.counts.last365Days}</td>
        <td>${c.counts.lifetime}</td>
        <td class=${c.needsPlan ? 'late' : ''}>${c.activePlanId ? 'Active plan' : c.needsPlan ? 'No plan: needed' : 'No plan'}</td>
        <td>${c.openMeetingId ? 'Open' : '—'}</td>
        <td class=${c.linkedChildren ? 'alert' : ''}>${c.linkedChildren || '—'}</td>
      </tr>`)}
    />`}<//>`;
}

export function StrategyMeetings({ token, version }) {
  const result = useApi(token, '/api/dashboard/strategy-meetings', version);
  return html`<h2>Strategy meetings</h2>
    <${Loaded} result=${result}>${(meetings) =>
      meetings.length === 0
        ? html`<p class="empty">No meeting is open.</p>`
        : meetings.map((m) => html`<article class="meeting" key=${m.meetingId}>
            <h3>${childLink(m.childId, m.childName)} · ${m.status} · convened ${formatTime(m.convenedAt)}</h3>
            <p>${m.rule ? `Convened by the rule ${m.rule}` : `Called: ${m.reason ?? ''}`}${m.heldAt ? `; held ${formatTime(m.heldAt)}` : '; not held yet'}</p>
            <${Table}
              caption="Actions"
              columns=${['Action', 'Owner', 'Agency', 'Due', 'Done']}
              empty="No actions agreed yet."
              rows=${m.actions.map((a) => html`<tr key=${a.actionId}>
                <td>${a.what}</td><td>${a.owner}</td><td>${a.agency}</td><td>${a.dueDate}</td>
                <td>${a.completedAt ? formatTime(a.completedAt) : 'Open'}</td>
              </tr>`)}
            />
          </article>`)}<//>`;
}
