/**
 * Read-your-writes on the query routes, both engines: with the tenant position of its own write as
 * `minTenantSeq`, a client never reads a read model that has not caught up with it; a read model that does not
 * catch up in time, or does not run in this process, answers 503 PROJECTION_BEHIND with Retry-After; a position
 * beyond the caller's tenant log is a 400 — whatever positions another tenant's log has reached.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pg from 'pg';
import type { CommandService } from '../../commands/command-service.ts';
import { BOOKING_TIME, buildClinic, metadataFor, MONDAY } from '../../commands/testing/clinic-fixture.ts';
import { ProjectionRuntime } from '../../projections/projection-runtime.ts';
import { checkpointId } from '../../projections/projection-state.ts';
import { portalSlotsView } from '../../projections/read-models/portal-slots/portal-slots-projection.ts';
import { describeEachEngine } from '../../store/testing/test-engines.ts';
import { openQueryTestbed, type QueryTestbed } from './testing/query-testbed.ts';

const A = 'ryw-a';
const B = 'ryw-b';
const clock = () => BOOKING_TIME;

describeEachEngine('read-your-writes on query routes', (db, kind) => {
  let commands: CommandService;
  /** The query routes without a projection runtime in the process. */
  let withoutRuntime: QueryTestbed;

  before(async () => {
    withoutRuntime = await openQueryTestbed(db().engine, [A, B], { clock });
    commands = await buildClinic(db().engine, A);
    await buildClinic(db().engine, B);
  });
  after(() => withoutRuntime.close());

  /** Runs `work` against an app whose projection runtime (portal_slots_view only) is running. */
  async function withRunningRuntime(
    work: (testbed: QueryTestbed, runtime: ProjectionRuntime) => Promise<void>,
  ): Promise<void> {
    const runtime = new ProjectionRuntime(db().engine, {
      projections: [portalSlotsView],
      pollIntervalMs: 200,
    });
    await runtime.start();
    const testbed = await openQueryTestbed(db().engine, [], { clock, projections: runtime });
    try {
      await work(testbed, runtime);
    } finally {
      await testbed.close();
      await runtime.stop();
    }
  }

  /** Books the slot for pt-1 through the command side; returns the booking's tenant position. */
  async function book(start: string): Promise<number> {
    const result = await commands.book(
      {
        type: 'CreateBooking',
        bookingId: `ryw-${start.replace(':', '')}`,
        patientId: 'pt-1',
        doctorId: 'dr-1',
        branchId: 'br-1',
        channel: 'staff_console',
        consultationType: 'in_person',
        slot: { date: MONDAY, start },
        reasonForVisit: null,
        portalRequestId: null,
        now: BOOKING_TIME,
      },
      metadataFor(A, BOOKING_TIME),
    );
    assert.ok(result.appended);
    return result.appended.lastTenantSeq;
  }

  const slotsUrl = (seq: number) => `/v1/slots?date=${MONDAY}&branchId=br-1&minTenantSeq=${seq}`;
  const starts = (body: { slots: { start: string }[] }) => body.slots.map((slot) => slot.start);

  it('answers only once the read model holds the caller’s own write', async () => {
    await withRunningRuntime(async (testbed) => {
      for (const start of ['09:00', '09:15', '09:30', '09:45']) {
        const seq = await book(start);
        const response = await testbed.get(A, 'patient', slotsUrl(seq), { actorId: 'pt-1' });
        assert.equal(response.statusCode, 200);
        assert.ok(!starts(response.json()).includes(start), `${start} is booked at tenant_seq ${seq}`);
        assert.ok(starts(response.json()).includes('10:00'));
      }
    });
  });

  it('answers 503 PROJECTION_BEHIND with Retry-After when no runtime runs the read model here', async () => {
    const seq = await book('10:00');
    for (const url of [slotsUrl(seq), `/v1/warehouse/tables/wh_dim_date?minTenantSeq=${seq}`]) {
      const response = await withoutRuntime.get(A, 'auditor', url);
      assert.equal(response.statusCode, 503, url);
      assert.equal(response.headers['retry-after'], '30');
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      assert.deepEqual(
        [response.json().code, response.json().reason, response.json().minTenantSeq],
        ['PROJECTION_BEHIND', 'not_running', seq],
      );
    }
    // A runtime that is not consuming (stopped, failed) answers the same.
    const stopped = new ProjectionRuntime(db().engine, { projections: [portalSlotsView] });
    const testbed = await openQueryTestbed(db().engine, [], { clock, projections: stopped });
    try {
      const response = await testbed.get(A, 'front_desk', slotsUrl(seq));
      assert.deepEqual([response.statusCode, response.json().reason], [503, 'not_running']);
      const unasked = await testbed.get(A, 'front_desk', `/v1/slots?date=${MONDAY}`);
      assert.equal(unasked.statusCode, 200, 'without minTenantSeq nothing waits');
    } finally {
      await testbed.close();
    }
  });

  it(
    'answers 503 with Retry-After when the read model does not catch up in time, and 200 once it has',
    { skip: kind === 'pglite' && 'one connection: a held lock would stall the app as well' },
    async () => {
      await withRunningRuntime(async (caughtUp, runtime) => {
        const impatient = await openQueryTestbed(db().engine, [], {
          clock,
          projections: {
            waitFor: (append, options) => runtime.waitFor(append, { ...options, timeoutMs: 300 }),
          },
        });
        // Another connection holds the projection's checkpoint: its next batch waits for the lock.
        const holder = new pg.Client({ connectionString: db().url });
        await holder.connect();
        try {
          await holder.query('begin');
          await holder.query(
            'select 1 from mymedic.subscription_checkpoints where subscription_id = $1 for update',
            [checkpointId(portalSlotsView.name)],
          );
          const seq = await book('10:15');
          const response = await impatient.get(A, 'front_desk', slotsUrl(seq));
          assert.equal(response.statusCode, 503);
          assert.equal(response.headers['retry-after'], '1');
          assert.deepEqual(response.json().projections, [portalSlotsView.name]);
          assert.deepEqual([response.json().code, response.json().reason], ['PROJECTION_BEHIND', 'timeout']);
          await holder.query('rollback');
          const later = await caughtUp.get(A, 'front_desk', slotsUrl(seq));
          assert.equal(later.statusCode, 200);
          assert.ok(!starts(later.json()).includes('10:15'));
        } finally {
          await holder.end();
          await impatient.close();
        }
      });
    },
  );

  it("refuses a position beyond the caller's tenant log with a 400, whatever another tenant reached", async () => {
    const { rows } = await db().engine.query<{ tenant_id: string; head: string }>(
      'select tenant_id, max(tenant_seq)::text as head from mymedic.events group by tenant_id',
    );
    const head = Object.fromEntries(rows.map((row) => [row.tenant_id, Number(row.head)]));
    assert.ok(head[A]! > head[B]!, 'A has written more than B');
    await withRunningRuntime(async (testbed) => {
      for (const [tenant, seq] of [
        [B, head[A]!],
        [A, head[A]! + 1],
      ] as const) {
        const response = await testbed.get(tenant, 'front_desk', slotsUrl(seq));
        assert.equal(response.statusCode, 400, `${tenant} at ${seq}`);
        assert.deepEqual(
          [response.json().code, response.json().field],
          ['VALIDATION_FAILED', 'minTenantSeq'],
        );
      }
      const own = await testbed.get(B, 'front_desk', slotsUrl(head[B]!));
      assert.equal(own.statusCode, 200);
      assert.equal(own.json().tenantId, B);
    });
  });
});
