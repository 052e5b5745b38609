import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * The bare endpoint the HTTP and memory benchmarks compare the service with: a minimal Fastify
 * server (no hooks, default JSON parsing) whose POST /bench/bare does one raw INSERT of the body
 * as a jsonb row and answers 201. Imports nothing of the service, so a process running only this
 * (bench/bare-server.ts) is the floor of Node + Fastify + pg.
 */
/** Whatever runs raw SQL for a baseline: a pg Pool, or an embedded PGlite database. */
export interface RawSql {
  query<R>(sql: string, params?: unknown[]): Promise<R[]>;
}

export const rawPool = (pool: { query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }> }): RawSql => ({
  query: async <R>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as R[],
});

export async function bareServer(pool: RawSql): Promise<{ server: FastifyInstance; url: string }> {
  await pool.query('CREATE TABLE bench_bare (id bigserial PRIMARY KEY, body jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())');
  const server = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  server.post('/bench/bare', async (request, reply) => {
    const rows = await pool.query<{ id: string }>('INSERT INTO bench_bare (body) VALUES ($1::jsonb) RETURNING id::text', [JSON.stringify(request.body)]);
    return reply.status(201).send({ id: rows[0].id });
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/bench/bare` };
}

