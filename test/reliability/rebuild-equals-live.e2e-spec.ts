import * as fc from 'fast-check';
import { allProjections } from '../../src/consumers';
import { PgDatabase } from '../../src/database/pg-database';
import { openEventStore } from '../../src/event-store/event-store.module';
import { rebuildProjection } from '../../src/event-store/subscriptions/rebuild-projection';
import { freshPostgresUrl } from '../support/databases';
import { snapshotReadModels } from '../support/read-models';
import { client, startApp } from '../support/test-app';

const HOUR = 3_600_000;

/**
 * Random histories made through the API (reports, gradings, returns, cancellations, and what the
 * policy does about them), then every projection rebuilt from zero: each read model equals the
 * live one, row for row.
 */
describe('rebuilt read models equal the live ones', () => {
  it('after random histories for 20 children', async () => {
    const url = await freshPostgresUrl();
    const running = await startApp({ DATABASE_URL: url });
    const api = client(running.url, await running.tokenFor('admin', 'Rotherham'));
    const plans = fc.sample(
      fc.array(fc.record({ kind: fc.constantFrom('report', 'grade', 'return', 'cancel', 'close'), daysAgo: fc.integer({ min: 0, max: 120 }) }), { maxLength: 12 }),
      { numRuns: 20, seed: 7 },
    );
    for (const plan of plans) {
      const { childId } = (await api.post('/api/children', { localAuthority: 'Rotherham' })).body;
      let episodeId: string | null = null;
      for (const step of plan.sort((a, b) => b.daysAgo - a.daysAgo)) {
        const at = new Date(Date.now() - step.daysAgo * 24 * HOUR).toISOString();
        if (step.kind === 'report') episodeId = (await api.post('/api/episodes', { childId, missingSince: at })).body.episodeId ?? episodeId;
        if (!episodeId) continue;
        if (step.kind === 'grade') await api.post(`/api/episodes/${episodeId}/risk-assessments`, { grade: 'high', rationale: 'known to exploiters' });
        if (step.kind === 'return') await api.post(`/api/episodes/${episodeId}/return`, { returnedAt: new Date().toISOString(), how: 'found', where: 'town centre' });
        if (step.kind === 'cancel') await api.post(`/api/episodes/${episodeId}/cancel`, { reason: 'duplicate' });
        if (step.kind === 'close') await api.post(`/api/episodes/${episodeId}/close`, {});
      }
    }
    await running.settle();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await running.settle();
    await running.close();

    const db = new PgDatabase(url);
    // Through the encryption of personal fields, as the service and `npm run rebuild` read them.
    const store = await openEventStore(running.config, db);
    try {
      const live = await snapshotReadModels(db);
      expect(Object.keys(live)).toEqual(expect.arrayContaining(['rm_children', 'rm_episodes', 'rm_escalations', 'stream_directory']));
      expect(live.rm_episodes.length).toBeGreaterThan(10);
      expect(live.rm_escalations.length).toBeGreaterThan(0);
      const quiet = { start: () => undefined, advance: () => undefined, stop: () => undefined };
      for (const projection of allProjections()) await rebuildProjection(store, db, projection, quiet);
      expect(await snapshotReadModels(db)).toEqual(live);
    } finally {
      await store.close();
      await db.close();
    }
  }, 120_000);
});
