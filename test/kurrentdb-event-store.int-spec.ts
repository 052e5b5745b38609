import { spawnSync } from 'node:child_process';
import { GenericContainer, StartedTestContainer, Wait } from 'testcontainers';
import { KurrentDbEventStore } from '../src/event-store/kurrentdb/kurrentdb-event-store';
import { describeEventStoreContract } from './event-store.contract';

/**
 * Runs the event store contract on KurrentDB: on the server at KURRENTDB_URL when set, otherwise
 * on a throwaway container. Without a container runtime the suite is reported as skipped.
 */

const KURRENTDB_IMAGE = process.env.KURRENTDB_IMAGE ?? 'docker.kurrent.io/kurrent-latest/kurrentdb:latest';
const KURRENTDB_PORT = 2113;
const PROBE_TIMEOUT_MS = 5_000;

/**
 * Why no container can be started here, or null when one can (or when the answer is unclear: a
 * runtime that is there but broken should fail the suite, not skip it). Describe callbacks cannot
 * wait, so testcontainers' own runtime detection runs in a child process, synchronously.
 */
function missingContainerRuntime(): string | null {
  // The child runs from the project root, so it resolves the same testcontainers as this suite.
  const probe = `require('testcontainers')
    .getContainerRuntimeClient()
    .then(() => process.exit(0), (error) => { process.stdout.write(String(error?.message ?? error)); process.exit(3); });`;
  const result = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, cwd: process.cwd() });
  if (result.status === 3) return result.stdout.trim() || 'testcontainers found no container runtime';
  return null;
}

async function startKurrentDb(): Promise<{ connectionString: string; stop(): Promise<void> }> {
  const container: StartedTestContainer = await new GenericContainer(KURRENTDB_IMAGE)
    .withEnvironment({
      KURRENTDB_CLUSTER_SIZE: '1',
      KURRENTDB_RUN_PROJECTIONS: 'All',
      KURRENTDB_INSECURE: 'true',
      KURRENTDB_ENABLE_ATOM_PUB_OVER_HTTP: 'true',
    })
    .withExposedPorts(KURRENTDB_PORT)
    .withWaitStrategy(Wait.forHttp('/health/live', KURRENTDB_PORT))
    .withStartupTimeout(180_000)
    .start();
  return {
    connectionString: `kurrentdb://${container.getHost()}:${container.getMappedPort(KURRENTDB_PORT)}?tls=false`,
    stop: async () => {
      await container.stop();
    },
  };
}

const serverUrl = process.env.KURRENTDB_URL;
const skipReason = serverUrl ? null : missingContainerRuntime();

if (skipReason) {
  const title = `KurrentDB contract suite skipped: no container runtime (${skipReason}); start Docker or set KURRENTDB_URL`;
  console.warn(title);
  describe.skip('event store contract on KurrentDB', () => {
    it.skip(title, () => undefined);
  });
} else {
  describe(`event store contract on KurrentDB (${serverUrl ? 'KURRENTDB_URL' : KURRENTDB_IMAGE})`, () => {
    let server: { connectionString: string; stop(): Promise<void> } | undefined;
    beforeAll(async () => {
      server = serverUrl ? { connectionString: serverUrl, stop: async () => undefined } : await startKurrentDb();
    }, 300_000);
    afterAll(async () => {
      await server?.stop();
    }, 60_000);

    // Nested so that the store is opened after the server starts and closed before it stops.
    describe('contract', () => {
      describeEventStoreContract(() => {
        if (!server) throw new Error('KurrentDB did not start');
        return KurrentDbEventStore.open(server.connectionString);
      });
    });
  });
}
