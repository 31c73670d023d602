/** Starts a measuring child process (TypeScript through tsx) and waits for its one answer. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, MeasureRequest, Measurement } from './measurement.ts';

const CHILD = fileURLToPath(new URL('./measure-child.ts', import.meta.url));
// The slowest full measurement takes well under a minute; a child past this is stuck.
const TIMEOUT_MS = 10 * 60_000;

export function measureInChild(request: MeasureRequest): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    // The child's stdout goes to our stderr: our stdout carries only the JSON lines.
    const child = fork(CHILD, [], {
      execArgv: ['--import', import.meta.resolve('tsx')],
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    let answered = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`measurement timed out after ${TIMEOUT_MS / 1000} s`));
    }, TIMEOUT_MS);
    child.once('message', (message: ChildMessage) => {
      answered = true;
      if (message.ok) resolve(message.measurement);
      else reject(new Error(message.error));
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!answered) reject(new Error(`measuring process exited (${signal ?? code}) without an answer`));
    });
    child.send(request);
  });
}
