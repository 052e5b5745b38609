import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfiguration } from '../../src/config/configuration';
import { allProjections } from '../../src/consumers';
import { PgDatabase } from '../../src/database/pg-database';
import { loadEscalationPolicy } from '../../src/escalation/policy/load-escalation-policy';
import { openEventStore } from '../../src/event-store/event-store.module';
import { rebuildProjection } from '../../src/event-store/subscriptions/rebuild-projection';
import { loadDirectory } from '../../src/notifications/directory';
import type { LoadReport } from '../../src/synthetic/load-history';
import { ESCALATION_PROCESSORS, startProcessorsAtEnd } from '../../src/synthetic/processors-at-end';
import { PRESETS } from '../../src/synthetic/presets';
import { DEFAULT_SEED } from '../../src/synthetic/synthetic-history';
import { historyPlan, loadPlan } from './history';
import { rebuildProgressLog } from './progress';
import { asAdmin, BENCH_DATABASE_URL, freshDatabase } from './services';

/**
 * Synthetic histories kept in PostgreSQL between benchmarks, so that one `npm run bench` loads
 * each scale once: a national history is about 20 million events and half an hour to load.
 *
 * national-history loads one (and measures that), rebuild takes it over and builds its read
 * models (and measures that), and what is left is kept as a template database: every benchmark
 * that serves a history gets a copy of it (CREATE DATABASE … TEMPLATE, a file copy), a service
 * on it, and drops the copy after. Templates are named after the scale, the seed and a hash of
 * the code that makes their contents (src/ and config/ but for the code that only reads), so a
 * change of that code never serves a stale one; they are dropped at the end of the run unless
 * `--keep-history` is given.
 */

/** A database just loaded with a history: its events, no read models yet. */
export interface LoadedHistory {
  scale: string;
  database: { url: string; name: string; drop(): Promise<void> };
  loaded: LoadReport;
  /** The throwaway key its children's data keys are wrapped with: a service on it needs the same. */
  dataEncryptionKey: string;
}

/** What a stored history says about itself (a table in the template). */
export interface StoredHistoryInfo {
  loaded: LoadReport;
  dataEncryptionKey: string;
}

/** The processors whose work a history holds or does not need redone: they start at its end. */
export const STARTING_AT_THE_END = [...ESCALATION_PROCESSORS, 'linked-children', 'personal-data-shredder'];

const TEMPLATE_PREFIX = 'bench_history_';
const loadedInThisRun = new Map<string, LoadedHistory>();

/**
 * Code that reads a history but does not make it: the HTTP edge, the views' queries, access checks,
 * logs and metrics. A change there serves the stored history as it is; any other change of src/ or
 * config/ (the generator, deciders, policy, encryption, store, projections) makes a new one.
 */
const READS_ONLY = [
  /\.(spec|controller|queries|views|decorator|guard|interceptor|filter)\.ts$/,
  /\/dto(\/|\.ts$)/,
  /^src\/(http|observability)\//,
  /^src\/access\/(?!child-districts\.ts$)/,
  /^src\/dashboard\/(live-updates|district-scope|district-comparison)\.ts$/,
  /-queries\.ts$/,
];

/** The code that decides what a stored history holds (see READS_ONLY). */
function sourceFingerprint(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|json)$/.test(entry) && !READS_ONLY.some((pattern) => pattern.test(path))) hash.update(path).update(readFileSync(path));
    }
  };
  walk('src');
  walk('config');
  return hash.digest('hex').slice(0, 12);
}

const templateName = (scale: string): string => `${TEMPLATE_PREFIX}${scale.replace(/\W/g, '_')}_${DEFAULT_SEED}_${sourceFingerprint()}`;

/**
 * A fresh database with `scale`'s history loaded through the port: the served kind, whose e-mails
 * are recorded as sent to the directory's people (as `npm run demo` and a service would have).
 */
export async function loadHistoryDatabase(scale: string, log: (line: string) => void): Promise<LoadedHistory> {
  const database = await freshDatabase('bench');
  const dataEncryptionKey = randomBytes(32).toString('hex');
  const config = loadConfiguration({ DATABASE_URL: database.url, DATA_ENCRYPTION_KEY: dataEncryptionKey });
  const db = new PgDatabase(database.url);
  try {
    const store = await openEventStore(config, db);
    const loaded = await loadPlan(store, historyPlan(scale, undefined, config.districts), log, loadDirectory(config.DIRECTORY_FILE, config.districts));
    await store.close();
    return { scale, database, loaded, dataEncryptionKey };
  } catch (error) {
    await database.drop().catch(() => undefined);
    throw error;
  } finally {
    await db.close();
  }
}

/** Hands a loaded history to the next benchmark of this run that needs one (rebuild). */
export function offerLoadedHistory(history: LoadedHistory): void {
  loadedInThisRun.get(history.scale)?.database.drop().catch(() => undefined);
  loadedInThisRun.set(history.scale, history);
}

/** The history loaded earlier in this run, taken over by the caller, or a new one. */
export async function takeLoadedHistory(scale: string, log: (line: string) => void): Promise<LoadedHistory> {
  const offered = loadedInThisRun.get(scale);
  loadedInThisRun.delete(scale);
  if (offered) {
    log(`the ${scale} history loaded earlier in this run (${offered.loaded.events} events, database ${offered.database.name})`);
    return offered;
  }
  return loadHistoryDatabase(scale, log);
}

/**
 * Keeps a loaded history whose read models are built (rebuild's, or `readModels` here) as the
 * template benchmarks serve: processors at the end of the history, vacuumed and analysed (a
 * service in use has had autovacuum's turn; a fresh rebuild leaves dead rows and no statistics).
 */
export async function keepAsStoredHistory(history: LoadedHistory, log: (line: string) => void, readModels: 'built' | 'to build'): Promise<void> {
  const db = new PgDatabase(history.database.url);
  try {
    if (readModels === 'to build') {
      const config = loadConfiguration({ DATABASE_URL: history.database.url, DATA_ENCRYPTION_KEY: history.dataEncryptionKey });
      const store = await openEventStore(config, db);
      for (const projection of allProjections(loadEscalationPolicy(config.ESCALATION_POLICY_FILE))) await rebuildProjection(store, db, projection, rebuildProgressLog(`building ${projection.name}`, log));
      await store.close();
    }
    await startProcessorsAtEnd(db, STARTING_AT_THE_END);
    await db.query('VACUUM ANALYZE');
    await db.query('CREATE TABLE bench_history (loaded jsonb NOT NULL, data_encryption_key text NOT NULL)');
    await db.query('INSERT INTO bench_history VALUES ($1, $2)', [JSON.stringify(history.loaded), history.dataEncryptionKey]);
  } catch (error) {
    await history.database.drop().catch(() => undefined);
    throw error;
  } finally {
    await db.close();
  }
  const template = templateName(history.scale);
  await asAdmin(async (client) => {
    await dropTemplate(client, template);
    await client.query(`ALTER DATABASE ${history.database.name} RENAME TO ${template}`);
    await client.query(`ALTER DATABASE ${template} WITH IS_TEMPLATE true`);
  });
  log(`kept the ${history.scale} history as template database ${template}`);
}

/**
 * A copy of the stored history of `scale` (made first if there is none for this code), read
 * models built and processors at its end: a database of the caller's, dropped with `drop()`.
 * Where the server's disk has no room for a copy (a national history is tens of gigabytes), the
 * stored history itself, `inPlace`: what the benchmark appends stays in it, and `drop()` keeps it.
 */
export async function copyOfStoredHistory(
  scale: string,
  log: (line: string) => void,
): Promise<{ database: { url: string; name: string; drop(): Promise<void> }; info: StoredHistoryInfo; inPlace: boolean }> {
  const template = templateName(scale);
  const exists = await asAdmin(async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [template])).rowCount === 1);
  if (!exists) {
    log(`no stored ${scale} history for this code: loading one and building its read models`);
    await keepAsStoredHistory(await takeLoadedHistory(scale, log), log, 'to build');
  }
  const room = await roomForCopyOf(template);
  let database: { url: string; name: string; drop(): Promise<void> };
  if (room.enough) {
    const started = performance.now();
    database = await freshDatabase('bench', template);
    log(`copied the stored ${scale} history into ${database.name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } else {
    database = { url: urlOf(template), name: template, drop: async () => undefined };
    log(`serving the stored ${scale} history in place: ${room.reason}`);
  }
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ loaded: LoadReport; data_encryption_key: string }>('SELECT loaded, data_encryption_key FROM bench_history');
    return { database, info: { loaded: rows[0].loaded, dataEncryptionKey: rows[0].data_encryption_key }, inPlace: !room.enough };
  } catch (error) {
    await database.drop().catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * Whether the server's disk holds another copy of the template with a fifth to spare, where this
 * process can see the server's data directory (a server on the same machine); assumed elsewhere.
 */
async function roomForCopyOf(template: string): Promise<{ enough: boolean; reason: string }> {
  const [{ size, directory }] = await asAdmin(
    async (client) =>
      (await client.query<{ size: string; directory: string }>('SELECT pg_database_size($1)::text AS size, current_setting($2) AS directory', [template, 'data_directory']))
        .rows,
  );
  let free: number;
  try {
    const disk = statfsSync(directory);
    free = disk.bavail * disk.bsize;
  } catch {
    return { enough: true, reason: 'the server is not on this machine' };
  }
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  return free > Number(size) * 1.2
    ? { enough: true, reason: `${gib(free)} free for ${gib(Number(size))}` }
    : { enough: false, reason: `a copy takes ${gib(Number(size))} and the disk has ${gib(free)} free` };
}

const urlOf = (name: string): string => {
  const url = new URL(BENCH_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

/**
 * At the start of a run (`keep`: true) and at its end: histories loaded and never taken are
 * dropped, and so are the templates unless kept (`--keep-history`); templates made by other code
 * are dropped either way, before anything is loaded, since nothing will serve them again and a
 * national one is tens of gigabytes.
 */
export async function dropStoredHistories(keep: boolean, log: (line: string) => void): Promise<void> {
  for (const history of loadedInThisRun.values()) await history.database.drop().catch(() => undefined);
  loadedInThisRun.clear();
  const current = new Set(Object.keys(PRESETS).map(templateName));
  const templates = await asAdmin(async (client) => (await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${TEMPLATE_PREFIX}%`])).rows);
  for (const { datname } of templates) {
    if (keep && current.has(datname)) {
      log(`keeping ${datname} (--keep-history): a run on this code serves it without loading`);
      continue;
    }
    log(`dropping ${datname}`);
    await asAdmin((client) => dropTemplate(client, datname));
  }
}

/** PostgreSQL refuses to drop a template database; one a stopped run kept (of the same code) is replaced. */
async function dropTemplate(client: Pick<Client, 'query'>, name: string): Promise<void> {
  const { rows } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (rows.length === 0) return;
  await client.query(`ALTER DATABASE ${name} WITH IS_TEMPLATE false`);
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
