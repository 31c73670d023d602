/**
 * The demo generator on both engines: one seed, one history (ids, payloads, order) in any fresh database;
 * another seed, another history; every event category of seed §4; no patient plaintext in the log; intact
 * hash chains; only the business-rule refusals the simulation means to provoke; and the process managers'
 * steps taken exactly as they would take them.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { EventCodec } from '../commands/event-codec.ts';
import { CommandService } from '../commands/command-service.ts';
import { deterministicUuid } from '../commands/deterministic-id.ts';
import { metadataFor, testMasterKeys } from '../commands/testing/clinic-fixture.ts';
import { PatientKeyring, type MasterKeys } from '../compliance/index.ts';
import { eventRegistry } from '../domain/catalogue/event-registry.ts';
import { ProcessManagerRunner } from '../process-managers/process-manager-runner.ts';
import { ALL_PROCESS_MANAGERS } from '../process-managers/registry.ts';
import type { Engine } from '../store/engines/engine.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { describeEachEngine, openTestDatabase } from '../store/testing/test-engines.ts';
import { verifyChains } from '../store/verify/verify-chain.ts';
import type { DemoReport } from './demo-report.ts';
import { demoTenantIds, generateDemoHistory } from './generate-demo-history.ts';

const RUN = { tenants: 1, days: 3, seed: 7, scale: 0.15 } as const;
const [TENANT] = demoTenantIds(RUN.seed, RUN.tenants) as [string];

/** Seed §4's categories, each by the event types that belong to it. */
const CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  booking: ['booking.created', 'booking.cancelled', 'reschedule.requested', 'reschedule.completed'],
  visit: ['visit.arrived', 'visit.started', 'visit.completed', 'followup.scheduled'],
  payment: [
    'payment.deposit.paid',
    'payment.deposit.forfeited',
    'payment.balance.paid',
    'payment.refund.requested',
  ],
  portal: ['portal.booking.requested', 'portal.reschedule.requested', 'portal.cancellation.requested'],
  governance: ['pricing.rule.changed', 'branch.added', 'doctor.branch.assigned'],
  clinical: ['treatment.plan.started', 'carepath.updated', 'referral.outbound', 'adt.order.submitted'],
  insurance: ['claim.created', 'claim.submitted', 'claim.settled', 'claim.denied'],
};

/** Refusals the simulation provokes on purpose or meets by the nature of the business. */
const EXPECTED_REFUSALS = new Set([
  'SLOT_ALREADY_BOOKED',
  'SLOT_BLOCKED',
  'SLOT_IN_PAST',
  'REFUND_EXCEEDS_REFUNDABLE',
  'RECONCILIATION_VARIANCE_UNEXPLAINED',
  'PATIENT_UPDATE_NO_CHANGE',
  'BRANCH_REMOVED',
]);

/** A tenant's log with patient fields decrypted; store-assigned commit facts (time, tx, position) left out. */
async function history(engine: Engine, masterKeys: MasterKeys, tenantId: string) {
  const codec = new EventCodec(eventRegistry, new PatientKeyring(engine, masterKeys));
  const events = [];
  for await (const event of new PgEventStore(engine).readTenantLog(tenantId)) {
    const {
      recordedAt: _recordedAt,
      txId: _txId,
      globalPosition: _globalPosition,
      payload: _payload,
      ...envelope
    } = event;
    events.push({ ...envelope, data: (await codec.toDomainEvent(event)).data });
  }
  return events;
}

describeEachEngine('demo history', (db, kind) => {
  const masterKeys = testMasterKeys();
  let report: DemoReport;

  before(async () => {
    report = await generateDemoHistory({ engine: db().engine, masterKeys, ...RUN });
  });

  it('writes the same history for the same seed into another fresh database', async () => {
    const other = await openTestDatabase(kind);
    try {
      const otherKeys = testMasterKeys();
      const again = await generateDemoHistory({ engine: other.engine, masterKeys: otherKeys, ...RUN });
      assert.deepEqual(again.events, report.events);
      const first = await history(db().engine, masterKeys, TENANT);
      assert.equal(first.length, report.events.total);
      assert.deepEqual(await history(other.engine, otherKeys, TENANT), first);
    } finally {
      await other.dispose();
    }
  });

  it('writes a different history for a different seed', async () => {
    const seed = RUN.seed + 1;
    await generateDemoHistory({ engine: db().engine, masterKeys, ...RUN, seed, days: 1 });
    const [otherTenant] = demoTenantIds(seed, 1) as [string];
    const mine = await history(db().engine, masterKeys, TENANT);
    const theirs = await history(db().engine, masterKeys, otherTenant);
    const ids = new Set(mine.map((event) => event.eventId));
    assert.ok(theirs.length > 0);
    assert.ok(
      theirs.every((event) => !ids.has(event.eventId)),
      'event ids repeat across seeds',
    );
    const contents = (events: typeof mine) => events.map(({ eventType, data }) => ({ eventType, data }));
    assert.notDeepEqual(contents(theirs), contents(mine.slice(0, theirs.length)));
  });

  it('covers every event category of the seed, as counted in the report', async () => {
    const { rows } = await db().engine.query<{ event_type: string; n: string }>(
      'select event_type, count(*) as n from mymedic.events where tenant_id = $1 group by event_type',
      [TENANT],
    );
    const stored = Object.fromEntries(rows.map((row) => [row.event_type, Number(row.n)]));
    assert.deepEqual(stored, { ...report.events.byType });
    for (const [category, types] of Object.entries(CATEGORIES)) {
      assert.ok(
        types.some((type) => (stored[type] ?? 0) > 0),
        `no ${category} event in ${Object.keys(stored).join(', ')}`,
      );
    }
  });

  it('keeps every patient name and phone it generated out of the stored payloads', async () => {
    const registered = (await history(db().engine, masterKeys, TENANT)).filter(
      (event) => event.eventType === 'patient.registered',
    );
    assert.ok(registered.length > 0);
    const { rows } = await db().engine.query<{ payload: string }>(
      'select payload::text as payload from mymedic.events where tenant_id = $1',
      [TENANT],
    );
    const stored = rows.map((row) => row.payload).join('\n');
    for (const { data } of registered) {
      const { name, phone } = data as { name: string; phone: string };
      assert.ok(!stored.includes(name), 'a patient name is stored in plaintext');
      assert.ok(!stored.includes(phone.slice(1)), 'a patient phone is stored in plaintext');
    }
  });

  it('leaves hash chains that verify', async () => {
    const reports = await verifyChains(db().engine, { tenantId: TENANT });
    assert.equal(reports.length, 1);
    assert.ok(reports[0]!.ok, reports[0]!.problem);
    assert.equal(reports[0]!.eventsChecked, report.events.total);
  });

  it('is refused only by the business rules it provokes, and counts them', () => {
    const codes = Object.keys(report.commands.refusedByCode);
    assert.ok(
      codes.every((code) => EXPECTED_REFUSALS.has(code)),
      `unexpected refusals: ${codes.join(', ')}`,
    );
    assert.equal(
      report.commands.refused,
      Object.values(report.commands.refusedByCode).reduce((sum, count) => sum + count, 0),
    );
  });

  it('leaves nothing for the process managers to do: it already did what they would', async () => {
    const commands = CommandService.open(db().engine, masterKeys);
    const runner = new ProcessManagerRunner(db().engine, commands, ALL_PROCESS_MANAGERS, {
      pollIntervalMs: 50,
    });
    await runner.start();
    try {
      // An append after the whole history: once the runner has passed it, it has seen every demo event.
      const probe = await commands.execute(
        'branch',
        {
          type: 'AddBranch',
          branchId: 'br-probe',
          name: 'Probe',
          pricingPolicyId: 'pp-probe',
          now: new Date(),
        },
        metadataFor(`probe-${kind}`),
      );
      await runner.waitFor(probe.appended!, 60_000);
    } finally {
      await runner.stop();
    }
    const events = await history(db().engine, masterKeys, TENANT);
    assert.equal(events.length, report.events.total);
    // The steps the demo took for them carry the ids they would have derived from their cause.
    const stepOf: Readonly<Record<string, readonly [string, string]>> = {
      'portal.request.accepted': ['portal-requests', 'accept'],
      'portal.request.refused': ['portal-requests', 'refuse'],
      'payment.deposit.forfeited': ['deposit-forfeits', 'forfeit'],
    };
    let checked = 0;
    for (const event of events) {
      const step = stepOf[event.eventType];
      if (step === undefined) continue;
      assert.equal(event.actor.id, `process-manager.${step[0]}`);
      assert.equal(event.eventId, deterministicUuid(step[0], event.causationId!, step[1], '0'));
      checked++;
    }
    assert.ok(checked > 0);
  });

  it('will not write a seed into a database that already has its tenants', async () => {
    await assert.rejects(
      generateDemoHistory({ engine: db().engine, masterKeys, ...RUN }),
      (error: { code?: string }) => error.code === 'DEMO_TENANT_EXISTS',
    );
  });
});
