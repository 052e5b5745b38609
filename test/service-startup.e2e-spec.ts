import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, buildService, freePort, runUntilExit } from './support/app-process';

/**
 * The compiled service as `npm start` runs it: on embedded PGlite by default, and refusing a bad
 * set-up with one plain line on stderr saying what to fix (logs go to stdout as JSON).
 */
describe('the service as a process', () => {
  let dataDir: string;
  beforeAll(() => {
    buildService();
    dataDir = mkdtempSync(join(tmpdir(), 'mfh-start-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts on embedded PGlite with no DATABASE_URL, answers /health, /metrics and /api/docs', async () => {
    const app = new AppProcess({ DATA_DIR: dataDir, PORT: String(await freePort()), HOST: '127.0.0.1', LOG_LEVEL: 'warn', QUEUE_PREFIX: `start-${process.pid}` });
    await app.start(60_000);
    try {
      const health: any = await (await fetch(`${app.url}/health`)).json();
      expect(health.info.database).toMatchObject({ status: 'up', kind: 'pglite' });
      expect(health.info.redis.status).toBe('up');
      const metrics = await (await fetch(`${app.url}/metrics`)).text();
      expect(metrics).toContain('http_request_duration_seconds');
      expect(metrics).toContain('process_resident_memory_bytes');
      const docs = await fetch(`${app.url}/api/docs`);
      expect(docs.status).toBe(200);
      const openApi: any = await (await fetch(`${app.url}/api/docs-json`)).json();
      expect(Object.keys(openApi.paths)).toEqual(
        expect.arrayContaining(['/api/episodes', '/api/children/{childId}/timeline', '/api/escalations/{escalationId}/acknowledge', '/api/audit']),
      );
    } finally {
      await app.stop();
    }
  }, 90_000);

  it('stops with one line naming a malformed escalation policy', async () => {
    const policy = join(dataDir, 'bad-policy.json');
    const shipped = JSON.parse(readFileSync('config/escalation-policy.json', 'utf8'));
    writeFileSync(policy, JSON.stringify({ ...shipped, repeatInWindow: { ...shipped.repeatInWindow, episode: 3 } }));
    const { code, stderr } = await runUntilExit({ DATA_DIR: dataDir, ESCALATION_POLICY_FILE: policy, PORT: String(await freePort()) });
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^escalation policy .*bad-policy\.json: repeatInWindow: unknown key "episode"$/);
  }, 60_000);

  it('stops with one line naming a bad setting', async () => {
    const { code, stderr } = await runUntilExit({ DATA_DIR: dataDir, DATABASE_URL: 'mysql://localhost/test' });
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(/^configuration: DATABASE_URL="mysql:\/\/localhost\/test": /);
  });

  it('stops with one line when the database cannot be reached', async () => {
    const port = await freePort();
    const { code, stderr } = await runUntilExit({ DATA_DIR: dataDir, DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test` });
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(new RegExp(`^database: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port}/test \\(.*\\): start it`));
  });

  it('stops without a signing key in production', async () => {
    const { code, stderr } = await runUntilExit({ DATA_DIR: dataDir, NODE_ENV: 'production', JWT_SECRET: '' });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('configuration: production needs OIDC_ISSUER (the force identity provider) or JWT_SECRET (the key that verifies bearer tokens)');
  });

  it('stops without a data encryption key in production', async () => {
    const { code, stderr } = await runUntilExit({ DATA_DIR: dataDir, NODE_ENV: 'production', JWT_SECRET: 'a-production-signing-key-long-enough-for-hs256', DATA_ENCRYPTION_KEY: '' });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('configuration: DATA_ENCRYPTION_KEY must be set in production (the key that wraps the keys of personal data in events)');
  });

  const redisServer = spawnSync('redis-server', ['--version']).status === 0;
  (redisServer ? it : it.skip)('refuses a Redis that may evict jobs, saying how to fix it', async () => {
    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--maxmemory-policy', 'allkeys-lru']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const { code, stderr } = await runUntilExit({ DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${port}`, PORT: String(await freePort()) });
      expect(code).toBe(1);
      expect(stderr.trim()).toMatch(/maxmemory-policy allkeys-lru; BullMQ needs noeviction: run `redis-cli config set maxmemory-policy noeviction`/);
    } finally {
      redis.kill('SIGKILL');
    }
  }, 60_000);
});
