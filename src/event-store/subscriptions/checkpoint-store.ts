import { SqlExecutor } from '../../database/sql-database';
import { Checkpoint } from '../event-store.port';

export async function migrateCheckpoints(db: SqlExecutor): Promise<void> {
  await db.query(`CREATE TABLE IF NOT EXISTS subscription_checkpoints (
    consumer    text PRIMARY KEY,
    checkpoint  text,
    events      bigint NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now()
  )`);
}

export async function readCheckpoint(db: SqlExecutor, consumer: string): Promise<Checkpoint | null> {
  await db.query(
    'INSERT INTO subscription_checkpoints (consumer) VALUES ($1) ON CONFLICT (consumer) DO NOTHING',
    [consumer],
  );
  const [row] = await db.query<{ checkpoint: string | null }>(
    'SELECT checkpoint FROM subscription_checkpoints WHERE consumer = $1',
    [consumer],
  );
  return row.checkpoint;
}

/**
 * Compare-and-set: moves the checkpoint only from the value this owner read. If another
 * instance took the consumer over and moved it meanwhile, nothing changes and the caller's
 * transaction must roll back.
 */
export async function advanceCheckpoint(
  db: SqlExecutor,
  consumer: string,
  from: Checkpoint | null,
  to: Checkpoint,
  events: number,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE subscription_checkpoints
        SET checkpoint = $3, events = events + $4, updated_at = now()
      WHERE consumer = $1 AND checkpoint IS NOT DISTINCT FROM $2
      RETURNING consumer`,
    [consumer, from, to, events],
  );
  return rows.length === 1;
}

export async function resetCheckpoint(db: SqlExecutor, consumer: string): Promise<void> {
  await db.query(
    `INSERT INTO subscription_checkpoints (consumer, checkpoint, events) VALUES ($1, NULL, 0)
     ON CONFLICT (consumer) DO UPDATE SET checkpoint = NULL, events = 0, updated_at = now()`,
    [consumer],
  );
}
