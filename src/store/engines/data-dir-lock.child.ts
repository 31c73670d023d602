/**
 * A second process for data-dir-lock.int.spec.ts: PGlite runs in-process, so only a real other process shows
 * what two processes on one data directory do. Reports one JSON line on stdout; a refusal goes to stderr with
 * exit code 1, as the CLI reports it.
 *
 *   hold  — open the engine at MYMEDIC_DATA_DIR, write a row, report, and keep it open until killed
 *   open  — open the engine at MYMEDIC_DATA_DIR, report the row count, close, exit 0
 *   race <intervalMs> <dir>... — report waiting, read a start time (epoch ms) from stdin, lock dir i at
 *           start + i * interval, report the outcomes, and stay alive (holding what it won) until stdin closes
 *   lock <dir> — lock dir, report, and hold it until killed
 */
import { createInterface } from 'node:readline';
import { isMyMedicError } from '../../shared/errors.ts';
import { DataDirectoryLockedError } from '../errors.ts';
import { lockDataDirectory } from './data-dir-lock.ts';
import { openEngine } from './open-engine.ts';

const [mode, ...args] = process.argv.slice(2);

function report(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function holdEngine(): Promise<void> {
  const engine = await openEngine();
  await engine.query('create table if not exists lock_probe (written_by integer not null)');
  await engine.query('insert into lock_probe (written_by) values ($1)', [process.pid]);
  report({ ready: true, pid: process.pid });
  setInterval(() => undefined, 60_000);
}

async function openAndCount(): Promise<void> {
  const engine = await openEngine();
  try {
    const { rows } = await engine.query<{ writers: number[] }>(
      'select coalesce(array_agg(written_by), array[]::integer[]) as writers from lock_probe',
    );
    report({ writers: rows[0]?.writers ?? [] });
  } finally {
    await engine.close();
  }
}

async function race(intervalMs: number, dirs: readonly string[]): Promise<void> {
  const input = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  report({ waiting: true, pid: process.pid });
  const startAt = Number((await input.next()).value);
  const outcomes: (number | 'won')[] = [];
  for (const [i, dir] of dirs.entries()) {
    // Busy-wait: a timer would let the racers start milliseconds apart, and the race would not be one.
    while (performance.timeOrigin + performance.now() < startAt + i * intervalMs);
    try {
      lockDataDirectory(dir);
      outcomes.push('won');
    } catch (error) {
      if (!(error instanceof DataDirectoryLockedError)) throw error;
      outcomes.push(Number(error.facts['holderPid']));
    }
  }
  report({ pid: process.pid, outcomes });
  while (!(await input.next()).done);
}

function holdLock(dir: string): void {
  lockDataDirectory(dir);
  report({ ready: true, pid: process.pid });
  setInterval(() => undefined, 60_000);
}

try {
  if (mode === 'hold') await holdEngine();
  else if (mode === 'open') await openAndCount();
  else if (mode === 'race') await race(Number(args[0]), args.slice(1));
  else if (mode === 'lock' && args[0] !== undefined) holdLock(args[0]);
  else throw new Error(`unknown mode ${mode}`);
} catch (error) {
  process.stderr.write(isMyMedicError(error) ? `${error.code}: ${error.message}\n` : `${String(error)}\n`);
  process.exit(1);
}
