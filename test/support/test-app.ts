import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { issueToken } from '../../src/access/tokens';
import { Role } from '../../src/access/roles';
import { createApp } from '../../src/app.factory';
import { AppOptions } from '../../src/app.module';
import { type Configuration, loadConfiguration } from '../../src/config/configuration';
import { SubscriptionRunner } from '../../src/event-store/subscriptions/subscription-runner';
import { claimLogFile, recordPersonalValues } from './captured-logs';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-signing';

export interface RunningApp {
  url: string;
  config: Configuration;
  app: NestFastifyApplication;
  /** Waits until every read model has caught up with the events stored so far. */
  settle(): Promise<void>;
  tokenFor(role: Role, district?: string | null): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real service on a real port, configured like production but for the given variables. In a
 * suite it logs everything (debug) into its own file under test-artifacts/logs, for the check that
 * logs hold no personal data; elsewhere, warnings and worse to stdout.
 */
export async function startApp(env: Record<string, string>, options: AppOptions = {}): Promise<RunningApp> {
  const logFile = claimLogFile();
  const config = loadConfiguration({
    JWT_SECRET: TEST_JWT_SECRET,
    ...(logFile ? { LOG_LEVEL: 'debug', LOG_FILE: logFile } : { LOG_LEVEL: 'warn' }),
    NODE_ENV: 'test',
    // Each app its own queues and outbox, so suites running side by side never see each other's jobs.
    QUEUE_PREFIX: `test-${randomUUID().slice(0, 8)}`,
    OUTBOX_DIR: join(tmpdir(), `mfh-outbox-${randomUUID().slice(0, 8)}`),
    // Every request of a suite comes from one address; a suite about the limit sets its own.
    RATE_LIMIT_PER_MINUTE: '1000000000',
    ...env,
  });
  const app = await createApp(config, options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const key = new TextEncoder().encode(TEST_JWT_SECRET);
  return {
    url: `http://127.0.0.1:${address.port}`,
    config,
    app,
    settle: () => app.get(SubscriptionRunner).waitUntilCaughtUp(),
    tokenFor: (role, district = 'Sheffield') => issueToken(key, { userId: `${role}-${randomUUID().slice(0, 8)}`, role, district }),
    close: () => app.close(),
  };
}

export interface Answer<T = any> {
  status: number;
  contentType: string | null;
  body: T;
}

/**
 * A small HTTP client over fetch: JSON in, JSON (or problem+json) out. The personal values of each
 * body it sends are recorded, for the check that logs hold none of them.
 */
export function client(baseUrl: string, token?: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    recordPersonalValues(method, path, body);
    const response = await fetch(baseUrl + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, contentType: response.headers.get('content-type'), body: parsed };
  };
  return {
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body ?? {}, headers),
    patch: (path: string, body?: unknown, headers?: Record<string, string>) => call('PATCH', path, body ?? {}, headers),
    raw: call,
  };
}
