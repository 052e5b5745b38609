import type { Redis } from 'ioredis';

/**
 * BullMQ keeps jobs as ordinary Redis keys: under an eviction policy Redis may silently delete
 * queued e-mails and deadlines when memory runs short. So the service checks the policy at start
 * and refuses to run unless it is `noeviction`.
 */
export class RedisEvictionPolicyError extends Error {
  constructor(
    message: string,
    /** `config-refused`: a managed Redis that disallows CONFIG; `unreachable`: no answer in time. */
    readonly kind: 'wrong-policy' | 'config-refused' | 'unreachable',
  ) {
    super(message);
  }
}

export async function assertRedisNoEviction(redis: Redis, { url = describeRedis(redis), timeoutMs = 5_000 } = {}): Promise<void> {
  const unreachable = (why: string) =>
    new RedisEvictionPolicyError(`Redis at ${url} did not answer (${why}): start it (redis-server --maxmemory-policy noeviction) or set the Redis URL`, 'unreachable');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(unreachable(`no reply within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  let reply: unknown;
  try {
    reply = await Promise.race([redis.call('CONFIG', 'GET', 'maxmemory-policy'), timeout]);
  } catch (error) {
    if (error instanceof RedisEvictionPolicyError) throw error;
    // A ReplyError is Redis answering "no" (unknown command, NOPERM); anything else is the connection.
    if ((error as Error).name !== 'ReplyError') throw unreachable((error as Error).message);
    throw new RedisEvictionPolicyError(evictionPolicyProblem(url, { error: error as Error })!, 'config-refused');
  } finally {
    clearTimeout(timer);
  }
  const policy = Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : null;
  const problem = evictionPolicyProblem(url, { policy });
  if (problem) throw new RedisEvictionPolicyError(problem, policy === null ? 'config-refused' : 'wrong-policy');
}

/** The one-line problem with what CONFIG GET answered, or null when the policy is noeviction. */
export function evictionPolicyProblem(url: string, answer: { policy: string | null } | { error: Error }): string | null {
  if ('error' in answer || answer.policy === null) {
    const why = 'error' in answer ? answer.error.message.split('\n')[0] : 'no maxmemory-policy in the answer';
    return (
      `Redis at ${url} does not allow reading its maxmemory-policy (CONFIG GET: ${why}), as managed services often do; ` +
      "BullMQ needs noeviction: set maxmemory-policy to noeviction in the provider's settings (e.g. its parameter group) and allow CONFIG GET for this service's user so it can confirm it"
    );
  }
  if (answer.policy === 'noeviction') return null;
  return (
    `Redis at ${url} has maxmemory-policy ${answer.policy}; BullMQ needs noeviction: ` +
    'run `redis-cli config set maxmemory-policy noeviction` (and `config rewrite` to keep it) or start redis-server with --maxmemory-policy noeviction'
  );
}

/** redis://host:port/db, without credentials, for messages. */
export function describeRedis(redis: Redis): string {
  const { host, port, db, path } = redis.options;
  if (path) return `unix:${path}`;
  return `redis://${host ?? '127.0.0.1'}:${port ?? 6379}${db ? `/${db}` : ''}`;
}
