import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RebuildRequest, RebuildResult } from './rebuild-worker';

/**
 * The options `npm run rebuild` starts node with (package.json), so that the benchmark measures a
 * rebuild as the project runs one: its young generation, for one, is sized for a rebuild's batches.
 */
export function rebuildNodeOptions(packageJson = readFileSync('package.json', 'utf8')): string[] {
  const script: string = JSON.parse(packageJson).scripts.rebuild;
  const options = /\bnode((?:\s+--\S+)*)\s+dist\//.exec(script);
  if (!options) throw new Error(`the rebuild script does not start node on dist/: ${script}`);
  return options[1].split(/\s+/).filter(Boolean);
}

/** Runs the rebuild benchmark's measurement (rebuild-worker.ts) in a child process started with `rebuildNodeOptions()`. */
export function rebuildInItsOwnProcess(request: RebuildRequest, log: (line: string) => void): Promise<RebuildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'rebuild-worker.js'), [], { execArgv: rebuildNodeOptions(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answered = false;
    child.on('message', (message: { log?: string; result?: RebuildResult; error?: string }) => {
      if (message.log !== undefined) return log(message.log);
      answered = true;
      if (message.error) reject(new Error(`rebuild process: ${message.error}`));
      else resolve(message.result!);
      child.disconnect();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`rebuild process exited with ${code} before answering`));
    });
    child.send(request);
  });
}
