import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { freshPostgresUrl } from './support/databases';
import { client, type RunningApp, startApp } from './support/test-app';

// Debian's Chromium, which `.ci/run` installs with apt; CHROMIUM_PATH points elsewhere on other machines.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps reaching for Google's services, which a
// closed network refuses.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const ARTIFACTS = join('test-artifacts', 'dashboard');
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/**
 * The page as a coordinator uses it, in a real browser: sign in, read the open episodes, see a new
 * report appear without a reload, open the child and read the timeline. Screenshots are kept in
 * test-artifacts/dashboard.
 */
describe('the dashboard page in Chromium', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let officer: ReturnType<typeof client>;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`sudo apt-get install chromium\` (CI's .ci/run does) or set CHROMIUM_PATH`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    running = await startApp({ DATABASE_URL: await freshPostgresUrl() });
    officer = client(running.url, await running.tokenFor('officer', 'Sheffield'));
    const seed = [
      { firstName: 'Amy', lastName: 'Walsh', district: 'Sheffield', missing: 30 * HOUR, risk: 'medium' },
      { firstName: 'Jordan', lastName: 'Price', district: 'Sheffield', missing: 3 * HOUR, risk: 'high' },
      { firstName: 'Keira', lastName: 'Moss', district: 'Doncaster', missing: 8 * HOUR, risk: 'low' },
    ];
    for (const child of seed) {
      const profile = { firstName: child.firstName, lastName: child.lastName, localAuthority: child.district, dateOfBirth: '2011-06-02', gender: 'female' };
      // District staff report for their own district only.
      const reporter = child.district === 'Sheffield' ? officer : client(running.url, await running.tokenFor('officer', child.district));
      const report = await reporter.post('/api/episodes', { child: profile, missingSince: ago(child.missing), district: child.district, initialRisk: child.risk });
      expect(report.status).toBe(201);
    }
    await running.settle();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('signs in and shows the open episodes', async () => {
    await page.goto(running.url);
    await page.getByLabel('Access token').fill(await running.tokenFor('coordinator', 'Sheffield'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    const table = page.getByRole('table', { name: /Children missing now/ });
    await table.getByRole('link', { name: 'Amy Walsh' }).waitFor();
    // A Sheffield coordinator: Doncaster's Keira Moss is not on the list.
    expect(await table.locator('tbody tr').count()).toBe(2);
    expect(await table.getByRole('link', { name: 'Keira Moss' }).count()).toBe(0);
    await page.getByText('Live', { exact: true }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '1-open-episodes.png'), fullPage: true });
  });

  it('shows a new report without reloading the page', async () => {
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    const profile = { firstName: 'Dana', lastName: 'Hollis', localAuthority: 'Sheffield', dateOfBirth: '2012-01-20', ethnicity: 'White British' };
    const report = await officer.post('/api/episodes', { child: profile, missingSince: ago(HOUR / 4), district: 'Sheffield', circumstances: 'left school at lunch' });
    expect(report.status).toBe(201);
    await page.getByRole('link', { name: 'Dana Hollis' }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, '2-new-episode-live.png'), fullPage: true });
  });

  it('opens the child and reads the timeline, by keyboard', async () => {
    await page.getByRole('link', { name: 'Dana Hollis' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Dana Hollis' }).waitFor();
    const timeline = page.locator('ol.timeline');
    await timeline.getByText('Child registered').waitFor();
    await timeline.getByText('Child reported missing').waitFor();
    expect(await timeline.locator('li').count()).toBeGreaterThanOrEqual(2);
    // Nobody else was named with her: the network says so rather than staying blank.
    await page.getByRole('heading', { name: 'Linked network' }).waitFor();
    await page.getByText('No links to other children.').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '3-child-timeline.png'), fullPage: true });
  });

  it('lists the overdue work, the repeat children and the meetings', async () => {
    await page.getByRole('link', { name: 'Overdue work' }).click();
    const overdue = page.getByRole('table', { name: /Work past its deadline/ });
    await overdue.getByRole('row', { name: /Amy Walsh/ }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '4-overdue-work.png'), fullPage: true });
    await page.getByRole('link', { name: 'Repeat children' }).click();
    await page.getByText('No child has gone missing more than once.').waitFor();
    await page.getByRole('link', { name: 'Strategy meetings' }).click();
    await page.getByText('No meeting is open.').waitFor();
  });

  it('compares the districts with charts', async () => {
    await page.getByRole('link', { name: 'District comparison' }).click();
    await page.getByRole('img', { name: 'Episodes per month by district' }).waitFor();
    await page.getByRole('table', { name: /by district/ }).waitFor();
    const forceRow = page.getByRole('row', { name: /Force-wide/ }).first();
    expect(await forceRow.getByRole('cell').first().textContent()).toBe('4');
    await page.screenshot({ path: join(ARTIFACTS, '5-district-comparison.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
