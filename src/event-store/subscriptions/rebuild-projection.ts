import { SqlDatabase } from '../../database/sql-database';
import { PERSONAL_DATA_ERASED } from '../../erasure/erase-read-models';
import { EventStore, ReadFilter } from '../event-store.port';
import { advanceCheckpoint, migrateCheckpoints, resetCheckpoint } from './checkpoint-store';
import { applyToProjection, Projection } from './consumer';

export interface RebuildProgress {
  start(total: number | null): void;
  advance(events: number): void;
  stop(): void;
}

/**
 * Empties a read model and replays the whole global order into it: the events of the types it
 * follows, which the store sends alone. It holds the projection's lease throughout, so no running
 * instance feeds the read model while it is rebuilt. The checkpoint ends at the last event read;
 * a service started after catches up from there over the events the read model does not follow.
 * What the projection makes once from all its rows (`finishRebuild`) is made last, then its
 * read-side indexes, which it replays without. A rebuild that fails builds them before it gives
 * up; one killed leaves them to the next start's `migrate`, the read model correct meanwhile.
 */
export async function rebuildProjection(
  store: EventStore,
  db: SqlDatabase,
  projection: Projection,
  progress: RebuildProgress,
  batchSize = 2_000,
): Promise<number> {
  const lease = await db.tryLease(`consumer:${projection.name}`);
  if (!lease) {
    throw new Error(`projection ${projection.name} is being fed by a running instance: stop the service, then rebuild`);
  }
  try {
    await migrateCheckpoints(db);
    await projection.migrate(db);
    await db.transaction(async (tx) => {
      await projection.reset(tx);
      await projection.readSideIndexes?.drop(tx);
      await resetCheckpoint(tx, projection.name);
    });
    const filter: ReadFilter = { ...projection.reads, types: [...new Set([...projection.reads.types, PERSONAL_DATA_ERASED])] };
    progress.start((await store.countEvents?.(filter)) ?? null);
    let checkpoint: string | null = null;
    let replayed = 0;
    let reading = store.readAll(checkpoint, batchSize, filter);
    for (;;) {
      const events = await reading;
      if (events.length === 0) break;
      const next = events[events.length - 1].checkpoint;
      const from = checkpoint;
      // Read ahead: the next batch is read and decrypted while this one is applied (the read was
      // half of a rebuild's time, and the two use different connections). If applying fails, the
      // read's own failure, if any, is of no interest.
      reading = store.readAll(next, batchSize, filter);
      reading.catch(() => undefined);
      await db.transaction(async (tx) => {
        await applyToProjection(projection, events, tx, 'rebuild');
        if (!(await advanceCheckpoint(tx, projection.name, from, next, events.length))) {
          throw new Error(`the checkpoint of ${projection.name} moved during the rebuild`);
        }
      });
      checkpoint = next;
      replayed += events.length;
      progress.advance(events.length);
    }
    await projection.finishRebuild?.(db);
    await projection.readSideIndexes?.create(db);
    return replayed;
  } catch (error) {
    // Built even so, so that the read side does not scan its tables; the rebuild's own failure is
    // the one reported (the next start's `migrate` builds them if this fails too).
    await projection.readSideIndexes?.create(db).catch(() => undefined);
    throw error;
  } finally {
    progress.stop();
    await lease.release();
  }
}
