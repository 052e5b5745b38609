import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * PostgreSQL and Redis servers of a test's own, on their own ports, that the test may stop and
 * start: the machine's shared servers are never restarted. PostgreSQL refuses to run as root, so
 * where the tests run as root the cluster is owned by the `postgres` user.
 */
export function postgresBinaries(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const version = readdirSync(root).sort().at(-1);
  const bin = version ? join(root, version, 'bin') : null;
  return bin && existsSync(join(bin, 'pg_ctl')) ? bin : null;
}

const asServerUser = (command: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];

export class ThrowawayPostgres {
  private readonly dir = mkdtempSync(join(tmpdir(), 'pg-throwaway-'));
  private readonly data = join(this.dir, 'data');

  constructor(
    private readonly bin: string,
    readonly port: number,
  ) {
    chmodSync(this.dir, 0o777);
    const [command, args] = asServerUser(join(bin, 'initdb'), ['-D', this.data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    execFileSync(command, args, { stdio: 'ignore' });
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  start(): void {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    const [command, args] = asServerUser(join(this.bin, 'pg_ctl'), ['-D', this.data, '-o', options, '-w', '-l', join(this.dir, 'log'), 'start']);
    execFileSync(command, args, { stdio: 'ignore' });
  }

  /** `immediate`: the server dies at once, dropping every connection, as in a crash. */
  stop(mode: 'fast' | 'immediate' = 'immediate'): void {
    const [command, args] = asServerUser(join(this.bin, 'pg_ctl'), ['-D', this.data, '-m', mode, '-w', 'stop']);
    spawnSync(command, args, { stdio: 'ignore' });
  }

  destroy(): void {
    this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class ThrowawayRedis {
  private readonly dir = mkdtempSync(join(tmpdir(), 'redis-throwaway-'));
  private process: ReturnType<typeof spawn> | null = null;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** With an append-only file, as production runs it, so a restart keeps the queued jobs. */
  async start(): Promise<void> {
    this.process = spawn('redis-server', [
      '--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir,
      '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction',
    ], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      if (spawnSync('redis-cli', ['-p', String(this.port), 'ping']).stdout?.toString().trim() === 'PONG') return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`throwaway Redis on ${this.port} did not start`);
  }

  async stop(): Promise<void> {
    const process = this.process;
    if (!process || process.exitCode !== null) return;
    const exited = new Promise((resolve) => process.once('exit', resolve));
    process.kill('SIGKILL');
    await exited;
  }

  /** Killed and started again with its files gone, as a Redis without persistence comes back: empty. */
  async restartEmpty(): Promise<void> {
    await this.stop();
    for (const file of readdirSync(this.dir)) rmSync(join(this.dir, file), { recursive: true, force: true });
    await this.start();
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const redisServerAvailable = (): boolean => spawnSync('redis-server', ['--version']).status === 0;
