import { fork } from 'node:child_process';
import { join } from 'node:path';

/** What a benchmark's child script sends back: its result or its error, and notes along the way. */
export type ChildMessage<Result, Note> = { result: Result } | { error: string } | Note;

/**
 * Runs `script` (compiled next to this file) in a child process of its own, sends it `request`,
 * hands every note it sends to `onNote`, and settles with the result or error it answers with.
 */
export function answerOfChildProcess<Result, Note extends object>(
  script: string,
  request: object,
  onNote: (note: Note) => void,
  execArgv: string[] = process.execArgv,
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, script), [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answered = false;
    child.on('message', (message: ChildMessage<Result, Note>) => {
      if (!('result' in message) && !('error' in message)) return onNote(message);
      answered = true;
      if ('error' in message) reject(new Error(`${script}: ${message.error}`));
      else resolve(message.result);
      child.disconnect();
      child.removeAllListeners('message');
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`${script} exited with ${code} before answering`));
    });
    child.send(request);
  });
}
