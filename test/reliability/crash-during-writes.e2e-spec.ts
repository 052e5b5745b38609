import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueToken } from '../../src/access/tokens';
import { PgDatabase } from '../../src/database/pg-database';
import { AppProcess, buildService, freePort } from '../support/app-process';
import { recordPersonalValues } from '../support/captured-logs';
import { freshPostgresUrl } from '../support/databases';
import { openStoreLikeTheService, rebuildReadModels, snapshotReadModels } from '../support/read-models';
import { TEST_JWT_SECRET } from '../support/test-app';

const CLIENTS = 8;
const CHILDREN_PER_CLIENT = 6;
const KILLS = 3;

/**
 * Clients report and return children while the service is killed with SIGKILL and restarted,
 * retrying what was not answered with the same Idempotency-Key, as a real client would. After
 * the dust settles every acknowledged command's events are stored once, and every read model
 * equals its rebuild from zero.
 */
describe('SIGKILL during writes', () => {
  it(`loses and duplicates nothing across ${KILLS} kills`, async () => {
    buildService();
    const url = await freshPostgresUrl();
    const app = new AppProcess({
      DATABASE_URL: url,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      JWT_SECRET: TEST_JWT_SECRET,
      QUEUE_PREFIX: `kill-${randomUUID().slice(0, 8)}`,
      OUTBOX_DIR: join(tmpdir(), `kill-outbox-${randomUUID().slice(0, 8)}`),
      LOG_LEVEL: 'error',
    });
    await app.start();
    const token = await issueToken(new TextEncoder().encode(TEST_JWT_SECRET), { userId: 'pc-9', role: 'officer', district: 'Barnsley' });
    let failedTries = 0;

    /** Sends until answered: a dead service or a refused connection is retried with the same key. */
    async function send(path: string, body: unknown, key: string): Promise<{ status: number; body: any }> {
      recordPersonalValues('POST', path, body);
      for (;;) {
        try {
          const response = await fetch(app.url + path, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify(body),
          });
          if (response.status >= 500) throw new Error(`status ${response.status}`);
          return { status: response.status, body: await response.json() };
        } catch {
          failedTries++;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }

    const acknowledged: { episodeId: string; childId: string; returned: boolean }[] = [];
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let n = 0; n < CHILDREN_PER_CLIENT; n++) {
        const missingSince = new Date(Date.now() - 2 * 3_600_000).toISOString();
        const report = await send('/api/episodes', { child: { localAuthority: 'Barnsley' }, missingSince }, `report-${c}-${n}`);
        expect(report.status).toBe(201);
        const back = await send(
          `/api/episodes/${report.body.episodeId}/return`,
          { returnedAt: new Date(Date.now() - 3_600_000).toISOString(), how: 'found', where: 'home' },
          `return-${c}-${n}`,
        );
        expect(back.status).toBe(200);
        acknowledged.push({ ...report.body, returned: true });
      }
    });
    const killer = (async () => {
      for (let k = 0; k < KILLS; k++) {
        await new Promise((resolve) => setTimeout(resolve, 700));
        await app.kill();
        await app.start();
      }
    })();
    await Promise.all([...clients, killer]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await app.stop();

    const db = new PgDatabase(url);
    const store = await openStoreLikeTheService(url, db);
    try {
      const reports = await db.query<{ episode_id: string; n: string }>(
        `SELECT data->>'episodeId' AS episode_id, count(*)::text AS n FROM events WHERE type = 'ChildReportedMissing' GROUP BY 1`,
      );
      const returns = await db.query<{ episode_id: string; n: string }>(
        `SELECT data->>'episodeId' AS episode_id, count(*)::text AS n FROM events WHERE type = 'ChildReturned' GROUP BY 1`,
      );
      const reported = new Map(reports.map((r) => [r.episode_id, Number(r.n)]));
      const returned = new Map(returns.map((r) => [r.episode_id, Number(r.n)]));
      const lost = acknowledged.filter((a) => !reported.has(a.episodeId) || !returned.has(a.episodeId)).length;
      const duplicated = [...reported.values(), ...returned.values()].filter((n) => n > 1).length;
      console.log(
        `crash during writes: ${acknowledged.length} reports and ${acknowledged.length} returns acknowledged over ${KILLS} SIGKILLs ` +
          `(${failedTries} tries failed and were retried); lost ${lost}, duplicated ${duplicated}, stored reports ${reported.size}`,
      );
      expect(acknowledged).toHaveLength(CLIENTS * CHILDREN_PER_CLIENT);
      expect(lost).toBe(0);
      expect(duplicated).toBe(0);
      expect(reported.size).toBe(CLIENTS * CHILDREN_PER_CLIENT);

      const live = await snapshotReadModels(db);
      expect(await rebuildReadModels(store, db)).toEqual(live);
    } finally {
      await store.close();
      await db.close();
    }
  }, 240_000);
});
