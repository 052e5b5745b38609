// One child: the summary, the timeline oldest first, and the linked network when the API has one.
import { useEffect, useState } from 'preact/hooks';
import { api, formatTime, html, RISK_LABELS } from './lib.js';
import { useApi } from './live.js';
import { Loaded } from './views.js';

const words = (type) => type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().replace(/^./, (c) => c.toUpperCase());

/** The one detail of an event a coordinator looks for first. */
function detailOf({ type, data }) {
  switch (type) {
    case 'ChildReportedMissing': return `missing since ${formatTime(data.missingSince)}${data.lastSeenPlace ? `, last seen ${data.lastSeenPlace}` : ''}`;
    case 'RiskAssessed': return `${RISK_LABELS[data.grade] ?? data.grade}: ${data.rationale}`;
    case 'ChildReturned': return `${data.how} ${formatTime(data.returnedAt)}, ${data.where}`;
    case 'EscalationRaised': return `${data.rule}, tier ${data.tier}`;
    case 'StrategyMeetingConvened': return `by the rule ${data.rule}`;
    case 'SightingRecorded': return `${data.place} at ${formatTime(data.seenAt)}`;
    case 'LocationNamed': return data.place;
    case 'AssociateNamed': return data.name;
    default: return '';
  }
}

/** GET /api/children/:id/links: the people and places named for the child, and the children they tie it to. */
function LinkedNetwork({ token, childId, version }) {
  const [links, setLinks] = useState(null);
  useEffect(() => {
    // Hidden for a role that may not read links (a 403), rather than shown broken.
    api(token, `/api/children/${childId}/links`).then(setLinks, () => setLinks(null));
  }, [token, childId, version]);
  if (!links) return null;
  const named = [...links.associates, ...links.places];
  const others = links.network.children.filter((child) => child.childId !== childId);
  const publicPlaces = links.network.links.filter((link) => link.publicPlace);
  return html`<section aria-labelledby="network">
    <h3 id="network">Linked network</h3>
    ${named.length === 0
      ? html`<p class="empty">No people or places named.</p>`
      : html`<p>Named: ${named.map((link, i) => html`${i ? ', ' : ''}<span class=${`link-${link.kind}`}>${link.display}</span>`)}</p>`}
    ${publicPlaces.length === 0
      ? null
      : html`<p>Public places (named for too many children to link them; only the first are listed): ${publicPlaces
          .map((link) => `${link.display} (${link.namedByChildren} children)`)
          .join(', ')}</p>`}
    ${others.length === 0
      ? html`<p class="empty">No links to other children.</p>`
      : html`<ul aria-label="Linked children">${others.map((child) => html`<li key=${child.childId}>
          <a href=${`#/children/${child.childId}`}>${child.caseReference}</a>
          ${' '}through ${child.through.map((key) => key.replace(/^[a-z]+:/, '')).join(', ')}
          ${child.flaggedAt ? html`, flagged ${formatTime(child.flaggedAt)}` : null}</li>`)}</ul>`}
  </section>`;
}

export function ChildPage({ token, childId, version }) {
  const summary = useApi(token, `/api/children/${childId}`, version);
  const timeline = useApi(token, `/api/children/${childId}/timeline`, version);
  return html`<${Loaded} result=${summary}>${(child) => html`<article class="child">
      <h2>${[child.profile.firstName, child.profile.lastName].filter(Boolean).join(' ') || 'Name not recorded'}</h2>
      <dl class="facts">
        <dt>District</dt><dd>${child.localAuthority}</dd>
        <dt>Episodes</dt><dd>${child.counts.last30Days} in 30 days · ${child.counts.last90Days} in 90 · ${child.counts.last365Days} in 365 · ${child.counts.lifetime} lifetime</dd>
        <dt>Now</dt><dd>${child.openEpisode ? `missing since ${formatTime(child.openEpisode.missingSince)}` : 'not missing'}</dd>
        <dt>Plan</dt><dd>${child.activePlan ? `active since ${formatTime(child.activePlan.createdAt)}` : 'none'}</dd>
        <dt>Flags</dt><dd>${child.flags.length ? child.flags.join(', ') : 'none'}</dd>
      </dl>
      <${LinkedNetwork} token=${token} childId=${childId} version=${version} />
      <section aria-labelledby="timeline">
        <h3 id="timeline">Timeline</h3>
        <${Loaded} result=${timeline}>${(events) => html`<ol class="timeline">
          ${events.map((event) => html`<li key=${event.eventId}>
            <time datetime=${event.recordedAt}>${formatTime(event.recordedAt)}</time>
            <strong>${words(event.type)}</strong>
            <span class="detail">${detailOf(event)}</span>
            <span class="by">${event.by?.role ?? ''}</span>
          </li>`)}
        </ol>`}<//>
      </section>
    </article>`}<//>`;
}
