/**
 * Immutability, proved on both engines: nobody changes or removes a stored event. The table owner is stopped
 * by the triggers (SQLSTATE MMIMM); the application role is stopped earlier by its privileges (42501), yet it
 * can read and append.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Sql } from '../engines/engine.ts';
import { PgEventStore } from '../pg-event-store.ts';
import { describeEachEngine } from '../testing/test-engines.ts';
import { collect, freshStream, newEvents } from '../testing/event-factory.ts';
import { verifyChains } from '../verify/verify-chain.ts';

const MUTATIONS: [string, string][] = [
  ['UPDATE', `update mymedic.events set payload = '{"n": 99}'::jsonb`],
  ['UPDATE of one column of one row', `update mymedic.events set event_type = 'x.y' where tenant_seq = 1`],
  ['DELETE', 'delete from mymedic.events'],
  ['DELETE of one row', 'delete from mymedic.events where tenant_seq = 2'],
  ['TRUNCATE', 'truncate mymedic.events'],
  ['TRUNCATE … CASCADE', 'truncate mymedic.events cascade'],
];

describeEachEngine('event immutability', (db) => {
  const stream = freshStream('tenant-imm');
  let stored = 0;

  before(async () => {
    await new PgEventStore(db().engine).appendToStream(stream, 'no_stream', newEvents(3));
    stored = 3;
  });

  /** Runs `statement` on `sql` and expects the given SQLSTATE. */
  async function assertRefused(sql: Sql, statement: string, sqlState: string): Promise<void> {
    await assert.rejects(sql.query(statement), (error: unknown) => {
      assert.equal((error as { code?: unknown }).code, sqlState, String(error));
      return true;
    });
  }

  async function assertHistoryIntact(): Promise<void> {
    const { rows } = await db().engine.query<{ count: string }>('select count(*) from mymedic.events');
    assert.equal(Number(rows[0]!.count), stored);
    const reports = await verifyChains(db().engine);
    assert.ok(reports.every((report) => report.ok));
  }

  for (const [what, statement] of MUTATIONS) {
    it(`refuses ${what} to the table owner with MMIMM`, async () => {
      await db().engine.withConnection((sql) => assertRefused(sql, statement, 'MMIMM'));
      await assertHistoryIntact();
    });
  }

  for (const [what, statement] of MUTATIONS) {
    it(`refuses ${what} to the application role for lack of privilege (42501)`, async () => {
      await asApplicationRole((sql) => assertRefused(sql, statement, '42501'));
      await assertHistoryIntact();
    });
  }

  it('does not let the application role switch the triggers off', async () => {
    await asApplicationRole((sql) => assertRefused(sql, 'set session_replication_role = replica', '42501'));
    await asApplicationRole((sql) =>
      assertRefused(sql, 'alter table mymedic.events disable trigger events_no_update_delete', '42501'),
    );
  });

  it('lets the application role read and append through mymedic.append_events', async () => {
    const appended = freshStream(stream.tenantId);
    await asApplicationRole(async (sql) => {
      const { rows } = await sql.query<{ current_user: string }>('select current_user');
      assert.equal(rows[0]!.current_user, 'mymedic_app');
      const result = await new PgEventStore(db().engine).appendToStream(appended, 'no_stream', newEvents(2), {
        in: sql,
      });
      assert.deepEqual([result.firstTenantSeq, result.lastTenantSeq], [stored + 1, stored + 2]);
      const { rows: read } = await sql.query<{ count: string }>(
        'select count(*) from mymedic.events where tenant_id = $1',
        [appended.tenantId],
      );
      assert.equal(Number(read[0]!.count), stored + 2);
    });
    stored += 2;
    assert.equal((await collect(new PgEventStore(db().engine).readStream(appended))).length, 2);
    await assertHistoryIntact();
  });

  /**
   * Runs `work` in one transaction as the application role, scoped to the test's tenant the way the request
   * path is (row-level security compares tenant_id with `mymedic.tenant_id`); both end with the transaction.
   */
  function asApplicationRole(work: (sql: Sql) => Promise<void>): Promise<void> {
    return db().engine.transaction(async (sql) => {
      await sql.query('set local role mymedic_app');
      await sql.query(`select set_config('mymedic.tenant_id', $1, true)`, [stream.tenantId]);
      await work(sql);
    });
  }
});
