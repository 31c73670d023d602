/**
 * Crash safety: a writer killed with SIGKILL in the middle of its appends, round after round, never loses an
 * acknowledged event, never leaves part of a batch visible, never leaves a gap in stream versions or tenant_seq
 * and never breaks a hash chain. Proved on a PostgreSQL server and on the embedded engine's data directory,
 * which the test reopens after every kill (taking over the dead writer's lock).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../engines/engine.ts';
import { openEngine } from '../engines/open-engine.ts';
import { openTestDatabase, type TestDatabase } from '../testing/test-engines.ts';
import { verifyChains } from '../verify/verify-chain.ts';
import { BATCH_SIZE, type Acknowledgement } from './crash-probe.ts';

const WRITER = fileURLToPath(new URL('./crash-writer.child.ts', import.meta.url));
/** Kills per engine; each embedded round costs two WASM start-ups, one of them a crash recovery. */
const SERVER_ROUNDS = 5;
const EMBEDDED_ROUNDS = 3;
/** The kill lands this long after the writer's first acknowledgement, chosen at random per round. */
const MAX_KILL_DELAY_MS = 300;
/** A writer that has not acknowledged anything by then is killed, and the round fails. */
const STARTUP_LIMIT_MS = 120_000;
/** Names the writer's server connections, so the test can wait until the server has let go of all of them. */
const WRITER_APPLICATION = 'mymedic-crash-writer';

interface Target {
  readonly rounds: number;
  /** Environment that points the writer at the store. */
  readonly env: Readonly<Record<string, string>>;
  /** Runs `work` on the store as it is after the writer died. */
  inspect(work: (engine: Engine) => Promise<void>): Promise<void>;
}

describe('crash safety [postgres]', () => {
  let db: TestDatabase;
  before(async () => {
    db = await openTestDatabase('postgres');
  });
  after(() => db.dispose());

  it('survives repeated SIGKILLs of a writer with every acknowledged batch whole', () => {
    const url = new URL(db.url!);
    url.searchParams.set('application_name', WRITER_APPLICATION);
    return killRepeatedly({
      rounds: SERVER_ROUNDS,
      env: { DATABASE_URL: url.toString() },
      inspect: async (work) => {
        // A backend may still be finishing the append its client died in; it commits or rolls back first.
        await untilWriterDisconnected(db.engine);
        await work(db.engine);
      },
    });
  });
});

describe('crash safety [pglite data directory]', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mymedic-crash-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('survives repeated SIGKILLs of a writer with every acknowledged batch whole', () =>
    killRepeatedly({
      rounds: EMBEDDED_ROUNDS,
      env: { DATABASE_URL: '', MYMEDIC_DATA_DIR: dataDir },
      inspect: async (work) => {
        const engine = await openEngine({ MYMEDIC_DATA_DIR: dataDir });
        try {
          await work(engine);
        } finally {
          await engine.close();
        }
      },
    }));
});

async function killRepeatedly(target: Target): Promise<void> {
  const acknowledged: Acknowledgement[] = [];
  for (let round = 1; round <= target.rounds; round++) {
    const killDelay = Math.floor(Math.random() * MAX_KILL_DELAY_MS);
    const acks = await runWriterUntilKilled(target.env, `r${round}`, killDelay);
    assert.ok(acks.length > 0, `round ${round}: the writer acknowledged nothing`);
    acknowledged.push(...acks);
    await target.inspect((engine) =>
      assertConsistent(engine, acknowledged, `round ${round} (killed ${killDelay} ms after its first ack)`),
    );
  }
}

/** Starts the writer, kills it `killDelay` ms after its first acknowledgement and returns every ack it printed. */
async function runWriterUntilKilled(
  env: Readonly<Record<string, string>>,
  round: string,
  killDelay: number,
): Promise<Acknowledgement[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, round], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const acks: Acknowledgement[] = [];
  // 'close', not 'exit': lines the writer printed before it died may still be in the pipe at 'exit'.
  const closed = new Promise<NodeJS.Signals | null>((resolve) =>
    child.once('close', (_, signal) => resolve(signal)),
  );
  const lines = createInterface({ input: child.stdout });
  const startupTimeout = setTimeout(() => child.kill('SIGKILL'), STARTUP_LIMIT_MS);
  lines.on('line', (line) => {
    try {
      acks.push(JSON.parse(line) as Acknowledgement);
    } catch {
      return; // the kill cut the last line short: that append was never acknowledged
    }
    if (acks.length === 1) {
      clearTimeout(startupTimeout);
      setTimeout(() => child.kill('SIGKILL'), killDelay);
    }
  });
  const signal = await closed;
  clearTimeout(startupTimeout);
  assert.equal(signal, 'SIGKILL', `the writer stopped on its own: ${stderr}`);
  return acks;
}

async function untilWriterDisconnected(engine: Engine): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { rows } = await engine.query<{ count: string }>(
      'select count(*) from pg_stat_activity where application_name = $1',
      [WRITER_APPLICATION],
    );
    if (Number(rows[0]!.count) === 0) return;
    await sleep(25);
  }
  assert.fail('the killed writer still has server connections');
}

interface StoredEvent {
  tenant_id: string;
  tenant_seq: string;
  aggregate_id: string;
  version: string;
  event_id: string;
  batch_id: string;
}

async function assertConsistent(
  engine: Engine,
  acknowledged: readonly Acknowledgement[],
  when: string,
): Promise<void> {
  const { rows } = await engine.query<StoredEvent>(
    `select tenant_id, tenant_seq, aggregate_id, version, event_id, payload ->> 'batchId' as batch_id
      from mymedic.events order by tenant_id, tenant_seq`,
  );
  const byId = new Map(rows.map((row) => [row.event_id, row]));

  for (const ack of acknowledged) {
    const stored = ack.eventIds.map((id) => byId.get(id));
    assert.ok(stored.every(Boolean), `${when}: acknowledged batch ${ack.batchId} is missing events`);
    const seqs = stored.map((row) => Number(row!.tenant_seq));
    assert.deepEqual(seqs, range(ack.firstTenantSeq, ack.lastTenantSeq), `${when}: ${ack.batchId} moved`);
    assert.ok(
      stored.every((row) => row!.tenant_id === ack.tenantId),
      `${when}: ${ack.batchId} changed tenant`,
    );
  }

  for (const [batchId, batch] of groupBy(rows, (row) => row.batch_id)) {
    assert.equal(batch.length, BATCH_SIZE, `${when}: batch ${batchId} is partly visible`);
    const seqs = batch.map((row) => Number(row.tenant_seq));
    assert.equal(
      Math.max(...seqs) - Math.min(...seqs),
      BATCH_SIZE - 1,
      `${when}: batch ${batchId} interleaved`,
    );
  }

  const heads = await engine.query<{ tenant_id: string; last_seq: string }>(
    'select tenant_id, last_seq from mymedic.tenant_heads',
  );
  const tenants = groupBy(rows, (row) => row.tenant_id);
  assert.deepEqual(
    new Map(heads.rows.map((head) => [head.tenant_id, Number(head.last_seq)])),
    new Map([...tenants].map(([tenantId, events]) => [tenantId, events.length])),
    `${when}: tenant heads disagree with the events`,
  );
  for (const [tenantId, events] of tenants) {
    assert.deepEqual(
      events.map((row) => Number(row.tenant_seq)),
      range(1, events.length),
      `${when}: tenant_seq of ${tenantId} has a gap`,
    );
  }

  const streamVersions = await engine.query<{ aggregate_id: string; version: string }>(
    'select aggregate_id, version from mymedic.streams',
  );
  const streams = groupBy(rows, (row) => row.aggregate_id);
  assert.deepEqual(
    new Map(streamVersions.rows.map((stream) => [stream.aggregate_id, Number(stream.version)])),
    new Map([...streams].map(([aggregateId, events]) => [aggregateId, events.length])),
    `${when}: stream versions disagree with the events`,
  );
  for (const [aggregateId, events] of streams) {
    const versions = events.map((row) => Number(row.version)).sort((a, b) => a - b);
    assert.deepEqual(versions, range(1, events.length), `${when}: versions of ${aggregateId} have a gap`);
  }

  const reports = await verifyChains(engine);
  assert.deepEqual(
    reports.filter((report) => !report.ok),
    [],
    `${when}: a hash chain is broken`,
  );
  assert.equal(reports.length, tenants.size);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
