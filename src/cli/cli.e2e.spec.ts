/**
 * The real `mymedic` command line, run the way an operator runs it (`node bin/mymedic.js …`), against a fresh
 * PostgreSQL database (DATABASE_URL) and against an embedded data directory (MYMEDIC_DATA_DIR): migrate is
 * idempotent; verify exits 0 on a clean history and 1 after tampering, naming the first bad tenant_seq;
 * --tenant checks only that tenant; an unknown command prints the usage and exits 2.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Engine } from '../store/engines/engine.ts';
import { openEngine } from '../store/engines/open-engine.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { appendSampleHistory, SAMPLE_TENANTS } from '../store/proofs/sample-history.ts';
import { tamperCommitted } from '../store/proofs/superuser-tampering.ts';
import { openTestDatabase, type TestDatabase } from '../store/testing/test-engines.ts';

const BIN = fileURLToPath(new URL('../../bin/mymedic.js', import.meta.url));
const [TAMPERED, CLEAN] = SAMPLE_TENANTS;
const TAMPERED_SEQ = 4;

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function mymedic(args: readonly string[], env: Readonly<Record<string, string>>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A store the CLI reaches through `env`, and the test reaches through `use` (as the database superuser). */
interface CliTarget {
  readonly env: Readonly<Record<string, string>>;
  use(work: (engine: Engine) => Promise<void>): Promise<void>;
}

/**
 * An operator's session. Each CLI run on the embedded engine costs seconds of WASM start-up, so there the
 * session is the short one: migrate a new data directory, then verify a tampered history.
 */
function operatorSession(target: () => CliTarget, session: 'full' | 'short'): void {
  const run = (...args: string[]): Promise<CliRun> => mymedic(args, target().env);
  const appendHistory = (engine: Engine) => appendSampleHistory(new PgEventStore(engine), 2);
  const tamper = (engine: Engine) =>
    tamperCommitted(engine, (sql) =>
      sql.query(
        `update mymedic.events set payload = jsonb_set(payload, '{note}', '"altered"')
          where tenant_id = $1 and tenant_seq = $2`,
        [TAMPERED, TAMPERED_SEQ],
      ),
    );

  let applied = '';
  it('migrate applies every migration', async () => {
    const first = await run('migrate');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^applied store\/0001_event_store\.sql$/m);
    assert.match(first.stdout, /^applied store\/0002_application_role\.sql$/m);
    const [, count, already] = /(\d+) applied, (\d+) already applied/.exec(first.stdout) ?? [];
    assert.equal(already, '0');
    applied = count ?? '';
  });

  if (session === 'full') {
    it('a second migrate applies nothing and succeeds', async () => {
      const second = await run('migrate');
      assert.equal(second.code, 0, second.stderr);
      assert.doesNotMatch(second.stdout, /^applied /m);
      assert.match(second.stdout, new RegExp(`^0 applied, ${applied} already applied`, 'm'));
    });
  }

  if (session === 'full') {
    it('verify exits 0 on a clean history and reports every tenant', async () => {
      await target().use(appendHistory);
      const result = await run('verify');
      assert.equal(result.code, 0, result.stdout + result.stderr);
      for (const tenantId of SAMPLE_TENANTS) {
        assert.match(result.stdout, new RegExp(`^ok +tenant ${tenantId}: 6 events, head [0-9a-f]{64}$`, 'm'));
      }
    });
  }

  it('verify exits 1 after tampering and names the first bad tenant_seq', async () => {
    await target().use(async (engine) => {
      if (session === 'short') await appendHistory(engine);
      await tamper(engine);
    });
    const result = await run('verify');
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`^TAMPERED tenant ${TAMPERED}: first bad tenant_seq ${TAMPERED_SEQ}\\b`, 'm'),
    );
    assert.match(result.stdout, new RegExp(`^ok +tenant ${CLEAN}: 6 events`, 'm'));
  });

  if (session === 'full') {
    it('verify --tenant checks only that tenant', async () => {
      const result = await run('verify', '--tenant', CLEAN, '--json');
      assert.equal(result.code, 0, result.stdout + result.stderr);
      const reports = lines(result.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.deepEqual(
        reports.map(({ tenantId, ok, eventsChecked }) => ({ tenantId, ok, eventsChecked })),
        [{ tenantId: CLEAN, ok: true, eventsChecked: 6 }],
      );
    });
  }
}

describe('mymedic CLI', { concurrency: true }, () => {
  it('prints the usage and exits 2 for an unknown command', async () => {
    const result = await mymedic(['frobnicate'], { DATABASE_URL: '', MYMEDIC_DATA_DIR: '' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^usage: mymedic <command>/);
    for (const command of ['start', 'migrate', 'verify'])
      assert.match(result.stderr, new RegExp(`^  ${command} `, 'm'));
  });

  describe('on PostgreSQL (DATABASE_URL)', { concurrency: 1 }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await openTestDatabase('postgres', { migrations: [] });
    });
    after(() => db.dispose());
    operatorSession(
      () => ({
        env: { DATABASE_URL: db.url!, MYMEDIC_DATA_DIR: '' },
        use: (work) => work(db.engine),
      }),
      'full',
    );
  });

  describe('on an embedded data directory (MYMEDIC_DATA_DIR)', { concurrency: 1 }, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mymedic-cli-'));
    after(() => rmSync(dataDir, { recursive: true, force: true }));
    operatorSession(
      () => ({
        env: { DATABASE_URL: '', MYMEDIC_DATA_DIR: dataDir },
        use: async (work) => {
          const engine = await openEngine({ MYMEDIC_DATA_DIR: dataDir });
          try {
            await work(engine);
          } finally {
            await engine.close();
          }
        },
      }),
      'short',
    );
  });
});

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
