import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { Client } from 'pg';

/**
 * The physical floor of "store an event, wake a reader, queue a job" on this machine, measured
 * with raw clients and nothing of the service: one INSERT of one ~1 KiB JSON row that notifies
 * at commit (one statement, as the event store's append does), the NOTIFY heard on a second
 * connection, then one Redis SET and one GET. Whatever the service adds on top is its own cost.
 */
export interface FloorSample {
  total: number;
  /** INSERT + commit + NOTIFY delivered to the listening connection. */
  postgres: number;
  /** SET then GET, two round trips. */
  redis: number;
}

export class FloorProbe {
  private readonly waiters = new Map<string, () => void>();
  private readonly payload = JSON.stringify({ filler: 'x'.repeat(900), kind: 'bench-floor' });

  private constructor(
    private readonly writer: Client,
    private readonly listener: Client,
    private readonly redis: Redis,
    private readonly redisKey: string,
  ) {}

  /** `databaseUrl` should be a scratch database: the probe creates its table there. */
  static async open(databaseUrl: string, redisUrl: string, redisKey: string): Promise<FloorProbe> {
    const writer = new Client({ connectionString: databaseUrl });
    const listener = new Client({ connectionString: databaseUrl });
    await writer.connect();
    await listener.connect();
    await writer.query('CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, payload jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())');
    await listener.query('LISTEN bench_floor');
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    const probe = new FloorProbe(writer, listener, redis, redisKey);
    listener.on('notification', (message) => {
      const wake = probe.waiters.get(message.payload ?? '');
      probe.waiters.delete(message.payload ?? '');
      wake?.();
    });
    for (let i = 0; i < 5; i++) await probe.sample(); // connections and plans warm
    return probe;
  }

  async sample(): Promise<FloorSample> {
    const token = randomUUID();
    const heard = new Promise<void>((resolve) => this.waiters.set(token, resolve));
    const start = performance.now();
    await this.writer.query(
      `WITH inserted AS (INSERT INTO bench_floor (payload) VALUES ($1::jsonb) RETURNING id)
       SELECT pg_notify('bench_floor', $2) FROM inserted`,
      [this.payload, token],
    );
    await heard;
    const stored = performance.now();
    await this.redis.set(this.redisKey, token);
    await this.redis.get(this.redisKey);
    const end = performance.now();
    return { total: end - start, postgres: stored - start, redis: end - stored };
  }

  async close(): Promise<void> {
    await this.redis.del(this.redisKey).catch(() => undefined);
    this.redis.disconnect();
    await Promise.allSettled([this.writer.end(), this.listener.end()]);
  }
}
