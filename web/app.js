// The coordinator dashboard: sign-in, the views, hash routes (#/open, #/children/<id> ...).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { claimsOf, html } from './lib.js';
import { useLiveVersion } from './live.js';
import { ChildPage } from './child-page.js';
import { Districts } from './districts.js';
import { OpenEpisodes, OverdueWork, RepeatChildren, StrategyMeetings, Summary } from './views.js';

const TOKEN_KEY = 'mfh-dashboard-token';

// LSCB leads read the summary and the comparison only: the lists carry names.
const VIEWS = [
  { route: 'open', label: 'Open episodes', view: OpenEpisodes, cases: true },
  { route: 'overdue', label: 'Overdue work', view: OverdueWork, cases: true },
  { route: 'repeat', label: 'Repeat children', view: RepeatChildren, cases: true },
  { route: 'meetings', label: 'Strategy meetings', view: StrategyMeetings, cases: true },
  { route: 'districts', label: 'District comparison', view: Districts, cases: false },
];

function useRoute() {
  const read = () => location.hash.replace(/^#\/?/, '');
  const [route, setRoute] = useState(read());
  useEffect(() => {
    const changed = () => setRoute(read());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

function SignIn({ onToken }) {
  const [value, setValue] = useState('');
  const submit = (event) => {
    event.preventDefault();
    if (claimsOf(value.trim())) onToken(value.trim());
  };
  return html`<main id="main" class="sign-in">
    <h1>Missing children dashboard</h1>
    <form onSubmit=${submit}>
      <label for="token">Access token</label>
      <textarea id="token" rows="4" value=${value} onInput=${(e) => setValue(e.target.value)}
        placeholder="Paste the token from your identity provider (locally: npm run token -- --role coordinator --district Sheffield)"></textarea>
      ${value && !claimsOf(value.trim()) ? html`<p class="error" role="alert">That is not a token.</p>` : null}
      <button type="submit">Sign in</button>
    </form>
  </main>`;
}

function Dashboard({ token, onSignOut }) {
  const claims = claimsOf(token);
  const route = useRoute();
  const live = useLiveVersion(token);
  const offered = VIEWS.filter((v) => !v.cases || claims.role !== 'lscb-lead');
  const [, childId] = /^children\/([0-9a-f-]{36})$/i.exec(route) ?? [];
  const current = offered.find((v) => v.route === route) ?? (childId ? null : offered[0]);
  useEffect(() => {
    document.title = `${current ? current.label : 'Child'} · Missing children dashboard`;
  }, [current]);
  // After following a link, keyboard and screen-reader users start at the new content.
  useEffect(() => {
    if (route) document.getElementById('main')?.focus();
  }, [route]);
  return html`<header class="top">
      <h1>Missing children</h1>
      <nav aria-label="Views">
        ${offered.map((v) => html`<a href=${`#/${v.route}`} aria-current=${current === v ? 'page' : undefined}>${v.label}</a>`)}
      </nav>
      <p class="who">
        <span class=${`live ${live.state}`} role="status">${live.state === 'live' ? 'Live' : 'Reconnecting…'}</span>
        ${claims.role}${claims.district ? `, ${claims.district}` : ''}
        <button type="button" class="link" onClick=${onSignOut}>Sign out</button>
      </p>
    </header>
    <main id="main" tabindex="-1">
      <${Summary} token=${token} version=${live.version} />
      ${childId
        ? html`<${ChildPage} key=${childId} token=${token} childId=${childId} version=${live.version} />`
        : html`<${current.view} token=${token} version=${live.version} />`}
    </main>`;
}

function App() {
  const [token, setToken] = useState(sessionStorage.getItem(TOKEN_KEY));
  const signIn = (value) => {
    sessionStorage.setItem(TOKEN_KEY, value);
    setToken(value);
  };
  const signOut = () => {
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
  };
  return token && claimsOf(token) ? html`<${Dashboard} token=${token} onSignOut=${signOut} />` : html`<${SignIn} onToken=${signIn} />`;
}

const root = document.getElementById('root');
root.replaceChildren(); // the "Loading" line the HTML shows until the modules arrive
render(html`<${App} />`, root);
