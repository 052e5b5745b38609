import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Readable } from 'node:stream';
import { claimLogFile } from './captured-logs';

/** The compiled service, as `npm start` runs it; `npm test` builds it first, a lone suite builds it here. */
export function buildService(): void {
  if (!existsSync('dist/main.js')) {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  }
}

/**
 * In a suite, what the service writes is also appended to files under test-artifacts/logs, for the
 * check that logs hold no personal data: stdout (its JSON log lines) to `<suite>-<n>.log`, stderr
 * (Node's warnings, the one plain line of a refused start) to `<suite>-<n>.stderr.log`. Each chunk
 * is written at once, so nothing is lost when the suite ends.
 */
function captureOutput(child: ChildProcess, logFile: string | undefined): void {
  const tee = (stream: Readable | null, file: string | undefined) => {
    if (stream && file) stream.on('data', (chunk: Buffer) => appendFileSync(file, chunk));
    else stream?.resume(); // not in a suite: drained, so a full pipe never stalls the service
  };
  tee(child.stdout, logFile);
  tee(child.stderr, logFile?.replace(/\.log$/, '.stderr.log'));
}

/** Every log line, unless the suite asks for fewer: the captured output is checked for personal data. */
const LOG_EVERYTHING = { LOG_LEVEL: 'debug' };

/** Runs the service with a configuration that must stop it; resolves with its exit code and output. */
export function runUntilExit(env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/main.js'], { env: { ...process.env, ...LOG_EVERYTHING, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    captureOutput(child, claimLogFile());
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The real service as its own process, so a test can kill it with SIGKILL mid-flight. */
export class AppProcess {
  private child: ChildProcess | null = null;
  readonly output: string[] = [];
  /** One log file per instance: a restarted service goes on in the file it started. */
  private logFile: string | undefined;

  constructor(private readonly env: Record<string, string>) {}

  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    // Every request of a suite comes from one address: no rate limit unless the suite sets one.
    const env = { ...process.env, ...LOG_EVERYTHING, RATE_LIMIT_PER_MINUTE: '1000000000', ...this.env };
    this.child = spawn(process.execPath, ['dist/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.logFile ??= claimLogFile();
    captureOutput(this.child, this.logFile);
    this.child.stdout!.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`the service exited with ${this.child.exitCode}:\n${this.output.join('')}`);
      const healthy = await fetch(`${this.url}/health`).then((r) => r.status === 200, () => false);
      if (healthy) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the service did not become healthy in ${timeoutMs} ms:\n${this.output.join('')}`);
  }

  /** No shutdown hooks, no flushing: the process is gone at once, as in a power cut. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    this.child = null;
  }
}
