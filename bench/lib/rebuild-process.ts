import { readFileSync } from 'node:fs';
import { answerOfChildProcess } from './child-process';
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
  return answerOfChildProcess<RebuildResult, { log: string }>('rebuild-worker.js', request, (note) => log(note.log), rebuildNodeOptions());
}
