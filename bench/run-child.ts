/** Starts a measuring child process (TypeScript through tsx) and waits for its one answer. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, MeasureRequest, Measurement } from './measurement.ts';

const CHILD = fileURLToPath(new URL('./measure-child.ts', import.meta.url));
// The slowest append or read measurement takes well under a minute; a child past this is stuck.
const DEFAULT_TIMEOUT_MS = 10 * 60_000;
// Room for a million-event history generated in memory before it is loaded into PostgreSQL.
const MAX_OLD_SPACE_MB = 8_192;

export function measureInChild(
  request: MeasureRequest,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    // The child's stdout goes to our stderr: our stdout carries only the JSON lines.
    const child = fork(CHILD, [], {
      execArgv: ['--import', import.meta.resolve('tsx'), `--max-old-space-size=${MAX_OLD_SPACE_MB}`],
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    let answered = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`measurement timed out after ${timeoutMs / 1000} s`));
    }, timeoutMs);
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
