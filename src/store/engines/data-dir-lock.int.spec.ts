import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { DataDirectoryLockedError } from '../errors.ts';
import { LOCK_FILE_NAME, lockDataDirectory } from './data-dir-lock.ts';

const CHILD_SCRIPT = fileURLToPath(new URL('./data-dir-lock.child.ts', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'mymedic-lock-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let dirCount = 0;
const freshDir = (): string => join(scratch, `dir-${++dirCount}`);

/** A pid that belonged to a process that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid as number;

function writeLock(dir: string, holder: Record<string, unknown>, name = LOCK_FILE_NAME): void {
  mkdirSync(dir, { recursive: true });
  const lock = { hostname: hostname(), startedAt: new Date().toISOString(), nonce: 'abcdef', ...holder };
  writeFileSync(join(dir, name), JSON.stringify(lock));
}

const lockedBy = (pid: number, dir?: string) => (error: unknown) =>
  error instanceof DataDirectoryLockedError &&
  error.facts['holderPid'] === pid &&
  error.message.includes(String(pid)) &&
  (dir === undefined || error.message.includes(dir));

const holderPid = (dir: string): number =>
  (JSON.parse(readFileSync(join(dir, LOCK_FILE_NAME), 'utf8')) as { pid: number }).pid;

describe('data directory lock, within one process', () => {
  it('refuses a second lock on the same directory, naming the directory and this process', () => {
    const dir = freshDir();
    const lock = lockDataDirectory(dir);
    try {
      assert.throws(() => lockDataDirectory(dir), lockedBy(process.pid, dir));
    } finally {
      lock.release();
    }
  });

  it('creates a missing directory, and release frees it (twice is harmless)', () => {
    const dir = join(freshDir(), 'nested', 'data');
    const lock = lockDataDirectory(dir);
    assert.equal(holderPid(dir), process.pid);
    lock.release();
    lock.release();
    assert.equal(existsSync(join(dir, LOCK_FILE_NAME)), false);
    lockDataDirectory(dir).release();
  });

  it('release leaves alone a lock that is no longer its own', () => {
    const dir = freshDir();
    const lock = lockDataDirectory(dir);
    writeLock(dir, { pid: 1, hostname: 'elsewhere' });
    lock.release();
    assert.equal(holderPid(dir), 1);
  });

  it('takes over a lock whose holder died, or that dates from an earlier boot or a reused pid', () => {
    const stale: Record<string, unknown>[] = [
      { pid: deadPid() },
      { pid: process.pid, bootId: 'an-earlier-boot' },
    ];
    if (existsSync('/proc/self/stat')) stale.push({ pid: process.pid, startTicks: '1' });
    for (const holder of stale) {
      const dir = freshDir();
      writeLock(dir, holder);
      const lock = lockDataDirectory(dir);
      assert.equal(holderPid(dir), process.pid, JSON.stringify(holder));
      lock.release();
    }
  });

  it('refuses a lock held on another host, whose processes it cannot check', () => {
    const dir = freshDir();
    writeLock(dir, { pid: 4242, hostname: 'another-host' });
    assert.throws(() => lockDataDirectory(dir), lockedBy(4242));
  });

  it('refuses a lock file it cannot read rather than guess', () => {
    const dir = freshDir();
    mkdirSync(dir);
    writeFileSync(join(dir, LOCK_FILE_NAME), 'not a lock');
    assert.throws(() => lockDataDirectory(dir), { code: 'DATA_DIRECTORY_LOCK_UNREADABLE' });
  });

  it("removes claims and drafts of dead processes but not a live process's", () => {
    const dir = freshDir();
    writeLock(dir, { pid: deadPid() }, `${LOCK_FILE_NAME}.abcdef.claim-1`);
    writeLock(dir, { pid: deadPid() }, `${LOCK_FILE_NAME}.0123.new`);
    writeLock(dir, { pid: process.pid }, `${LOCK_FILE_NAME}.4567.new`);
    const lock = lockDataDirectory(dir);
    assert.deepEqual(readdirSync(dir).sort(), [LOCK_FILE_NAME, `${LOCK_FILE_NAME}.4567.new`]);
    lock.release();
  });
});

/** A child process running data-dir-lock.child.ts; its stdout is read one JSON line at a time. */
class Child {
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
  private readonly lines: AsyncIterator<string>;
  private stderr = '';

  constructor(args: readonly string[], dataDir?: string) {
    // DATABASE_URL empty: the child must pick the embedded engine even where the suite has a server configured.
    const env = { ...process.env, DATABASE_URL: '', MYMEDIC_DATA_DIR: dataDir ?? '' };
    this.process = spawn(process.execPath, ['--import', 'tsx', CHILD_SCRIPT, ...args], { env });
    this.process.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = once(this.process, 'exit').then(([code]) => code as number | null);
    this.lines = createInterface({ input: this.process.stdout! })[Symbol.asyncIterator]();
  }

  get pid(): number {
    return this.process.pid!;
  }

  async line<T>(): Promise<T> {
    const next = await this.lines.next();
    if (next.done) throw new Error(`child ended without output (exit ${await this.exited}): ${this.stderr}`);
    return JSON.parse(next.value) as T;
  }

  /** Runs to the end: exit code, the last stdout line and stderr. */
  async result<T>(): Promise<{ code: number | null; output?: T; stderr: string }> {
    let output: T | undefined;
    for (let next = await this.lines.next(); !next.done; next = await this.lines.next()) {
      output = JSON.parse(next.value) as T;
    }
    return { code: await this.exited, ...(output !== undefined ? { output } : {}), stderr: this.stderr };
  }

  async kill(): Promise<void> {
    this.process.kill('SIGKILL');
    await this.exited;
  }
}

describe('data directory lock, across processes', () => {
  const dataDir = freshDir();
  let holder: Child;

  before(async () => {
    holder = new Child(['hold'], dataDir);
    await holder.line();
  });
  after(() => holder.process.kill('SIGKILL'));

  it('refuses a second process while the first holds the directory, and that process exits non-zero', async () => {
    const { code, stderr } = await new Child(['open'], dataDir).result();
    assert.equal(code, 1);
    assert.match(stderr, /^DATA_DIRECTORY_LOCKED: /);
    assert.ok(stderr.includes(dataDir) && stderr.includes(`process ${holder.pid}`), stderr);
  });

  it('after the holder is killed (SIGKILL) the next process takes over and finds what it committed', async () => {
    await holder.kill();
    assert.equal(holderPid(dataDir), holder.pid, 'the killed holder left its lock behind');
    const { code, output, stderr } = await new Child(['open'], dataDir).result<{ writers: number[] }>();
    assert.equal(code, 0, stderr);
    assert.deepEqual(output?.writers, [holder.pid]);
    assert.equal(existsSync(join(dataDir, LOCK_FILE_NAME)), false, 'the lock is released on close');
  });

  it('exactly one of several processes racing for the same stale lock wins it', async () => {
    const racerCount = 3;
    const rounds = Array.from({ length: 40 }, () => freshDir());
    const racers = Array.from({ length: racerCount }, () => new Child(['race', '10', ...rounds]));
    const victimDir = freshDir();
    const victim = new Child(['lock', victimDir]);
    try {
      await victim.line();
      await victim.kill();
      const staleLock = readFileSync(join(victimDir, LOCK_FILE_NAME));
      for (const dir of rounds) {
        mkdirSync(dir);
        writeFileSync(join(dir, LOCK_FILE_NAME), staleLock);
      }
      await Promise.all(racers.map((racer) => racer.line()));
      for (const racer of racers) racer.process.stdin?.write(`${Date.now() + 100}\n`);
      const results = await Promise.all(
        racers.map((racer) => racer.line<{ pid: number; outcomes: (number | 'won')[] }>()),
      );

      rounds.forEach((dir, round) => {
        const winners = results.filter((result) => result.outcomes[round] === 'won');
        assert.equal(winners.length, 1, `round ${round}: ${JSON.stringify(results)}`);
        const winner = winners[0]!.pid;
        assert.equal(holderPid(dir), winner);
        // A loser names the winner, or a racer it found mid-takeover that then lost to the winner.
        for (const result of results.filter((result) => result.pid !== winner)) {
          const named = result.outcomes[round];
          assert.ok(named !== result.pid && results.some((other) => other.pid === named), `round ${round}`);
        }
      });
    } finally {
      for (const racer of racers) racer.process.stdin?.end();
      await Promise.all([...racers, victim].map((child) => child.kill()));
    }
  });
});
