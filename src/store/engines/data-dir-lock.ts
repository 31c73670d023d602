/**
 * An exclusive lock on an embedded data directory. PGlite takes none itself, and two processes writing one
 * directory silently lose committed rows, so every file-backed engine holds this lock while open.
 *
 * The lock is the file `mymedic.lock` naming its holder (pid, host, boot, process start and a random nonce).
 * Files are only ever created exclusively (hard link of a fully written file), so a reader never sees half a
 * lock. A lock whose holder is dead (killed, crashed, or from before a reboot) is taken over; only the process
 * that exclusively creates the claim file `mymedic.lock.<nonce>.claim-<k>` may remove that stale lock, so when
 * several processes find the same stale lock at once exactly one of them removes it, and the ordinary
 * exclusive link decides who holds the directory next.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { MyMedicError } from '../../shared/errors.ts';
import { DataDirectoryLockedError } from '../errors.ts';

export const LOCK_FILE_NAME = 'mymedic.lock';

export interface DataDirectoryLock {
  /** The absolute path of the locked directory. */
  readonly dataDir: string;
  /** Removes the lock if it is still this process's. Idempotent; also runs on normal process exit. */
  release(): void;
}

/** Who holds (or claims, or is about to take) a lock: enough to tell whether that process still runs. */
interface Holder {
  readonly pid: number;
  readonly hostname: string;
  /** Linux boot id: a lock from an earlier boot is stale whatever its pid. */
  readonly bootId?: string;
  /** Start time of the process in clock ticks since boot (Linux): tells a reused pid from the holder. */
  readonly startTicks?: string;
  readonly startedAt: string;
  readonly nonce: string;
}

// Each round either takes the lock or removes one stale lock; more rounds mean other processes keep winning.
const MAX_ROUNDS = 20;
// Each claim level exists only because the claimant before it died mid-takeover.
const MAX_CLAIM_LEVELS = 100;

/**
 * Locks `dataDir` (created if missing) for this process, or throws `DataDirectoryLockedError` naming the live
 * process that holds it.
 *
 * @example
 * const lock = lockDataDirectory('./data');
 * try { ...use the directory... } finally { lock.release(); }
 */
export function lockDataDirectory(dataDir: string): DataDirectoryLock {
  const directory = resolve(dataDir);
  // Patient data: a directory this call creates is private to the user running MyMedic.
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const lockFile = join(directory, LOCK_FILE_NAME);
  const me = describeThisProcess();
  const draft = join(directory, `${LOCK_FILE_NAME}.${me.nonce}.new`);
  writeDurably(draft, JSON.stringify(me));
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (tryLink(draft, lockFile)) {
        removeLeftovers(directory);
        return holdLock(directory, lockFile, me.nonce);
      }
      const holder = readHolder(lockFile);
      if (holder === undefined) continue;
      if (isAlive(holder)) throw new DataDirectoryLockedError(directory, holder.pid);
      removeStaleLock(directory, lockFile, holder, draft);
    }
    throw new MyMedicError(
      'DATA_DIRECTORY_LOCK_CONTENDED',
      `could not lock data directory ${directory}: other processes kept taking it; retry`,
      { dataDir: directory },
    );
  } finally {
    removeIfPresent(draft);
  }
}

function holdLock(dataDir: string, lockFile: string, nonce: string): DataDirectoryLock {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    // Someone may have deleted our lock by hand and another process taken it; theirs is not ours to remove.
    if (readHolderOrUndefined(lockFile)?.nonce === nonce) removeIfPresent(lockFile);
  };
  process.on('exit', release);
  return { dataDir, release };
}

/**
 * Removes `stale` from `lockFile` if this process wins the claim on it. A claim held by a live process means
 * that process is taking the directory, so it is reported as the holder.
 */
function removeStaleLock(dataDir: string, lockFile: string, stale: Holder, draft: string): void {
  for (let level = 1; level <= MAX_CLAIM_LEVELS; level++) {
    const claim = join(dataDir, `${LOCK_FILE_NAME}.${stale.nonce}.claim-${level}`);
    if (tryLink(draft, claim)) {
      try {
        // Checked after claiming: if the stale lock is still there, no one else can remove it now.
        if (readHolderOrUndefined(lockFile)?.nonce === stale.nonce) removeIfPresent(lockFile);
      } finally {
        removeIfPresent(claim);
      }
      return;
    }
    const claimant = readHolderOrUndefined(claim);
    if (claimant === undefined) return; // the claimant finished: look at the lock again
    if (isAlive(claimant)) throw new DataDirectoryLockedError(dataDir, claimant.pid);
  }
}

/** Claims and drafts left by processes that died while locking; a live process's files are left alone. */
function removeLeftovers(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    if (!/^mymedic\.lock\.[0-9a-f]+\.(new|claim-\d+)$/.test(name)) continue;
    const writer = readHolderOrUndefined(join(dataDir, name));
    if (writer !== undefined && !isAlive(writer)) removeIfPresent(join(dataDir, name));
  }
}

function isAlive(holder: Holder): boolean {
  // Another machine's processes cannot be checked from here: assume it still runs.
  if (holder.hostname !== hostname()) return true;
  const bootId = currentBootId();
  if (holder.bootId !== undefined && bootId !== undefined && holder.bootId !== bootId) return false;
  if (holder.startTicks !== undefined) {
    const startTicks = processStartTicks(holder.pid);
    // A container restarted after a crash gets the same pid again; only the start time tells them apart.
    if (startTicks !== undefined) return startTicks === holder.startTicks;
  }
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function describeThisProcess(): Holder {
  const bootId = currentBootId();
  const startTicks = processStartTicks(process.pid);
  return {
    pid: process.pid,
    hostname: hostname(),
    ...(bootId !== undefined ? { bootId } : {}),
    ...(startTicks !== undefined ? { startTicks } : {}),
    startedAt: new Date().toISOString(),
    nonce: randomBytes(16).toString('hex'),
  };
}

function currentBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

function processStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); the command name in field 2 may contain spaces, so count from its closing ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The holder named by a lock file; undefined if the file is gone. A lock that is not ours to parse stops us. */
function readHolder(file: string): Holder | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const holder = parseHolder(text);
  if (holder === undefined) {
    throw new MyMedicError(
      'DATA_DIRECTORY_LOCK_UNREADABLE',
      `lock file ${file} is not a MyMedic lock; if no MyMedic process uses this directory, delete the file`,
      { lockFile: file },
    );
  }
  return holder;
}

function readHolderOrUndefined(file: string): Holder | undefined {
  try {
    return parseHolder(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as Partial<Record<keyof Holder, unknown>>;
    const { pid, hostname: host, bootId, startTicks, startedAt, nonce } = value;
    if (!Number.isInteger(pid) || (pid as number) <= 0) return undefined;
    if (typeof host !== 'string' || typeof startedAt !== 'string') return undefined;
    if (typeof nonce !== 'string' || !/^[0-9a-f]+$/.test(nonce)) return undefined;
    if (bootId !== undefined && typeof bootId !== 'string') return undefined;
    if (startTicks !== undefined && typeof startTicks !== 'string') return undefined;
    return value as Holder;
  } catch {
    return undefined;
  }
}

/** Written and synced before any other process can see it under a lock name, so a lock is never partial. */
function writeDurably(file: string, text: string): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Creates `target` as a link to `source`, atomically and only if `target` does not exist. */
function tryLink(source: string, target: string): boolean {
  try {
    linkSync(source, target);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function removeIfPresent(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
