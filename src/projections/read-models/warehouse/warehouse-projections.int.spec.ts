import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { buildWithEveryEventTwice, modelRows } from '../../../analytics/testing/every-event-twice.ts';
import { writeFinanceHistory } from '../../../analytics/testing/finance-history.ts';
import { describeEachEngine } from '../../../store/testing/test-engines.ts';
import { ProjectionRuntime } from '../../projection-runtime.ts';
import { assertRebuildsIdentically, plaintextIn } from '../testing/read-model-checks.ts';
import { DEVELOPMENT_PSEUDONYM_KEY, pseudonymizer, pseudonymKeyFromEnv } from './pseudonym.ts';
import { warehouseProjections } from './warehouse-projections.ts';
import { WAREHOUSE_SPECS } from './warehouse-tables.ts';

const TENANT = 'warehouse-a';
const patientKey = pseudonymizer(pseudonymKeyFromEnv({ MYMEDIC_PSEUDONYM_KEY: DEVELOPMENT_PSEUDONYM_KEY }));

describeEachEngine('warehouse_projections', (db) => {
  let runtime: ProjectionRuntime;
  before(async () => {
    runtime = new ProjectionRuntime(db().engine, {
      projections: [warehouseProjections],
      pollIntervalMs: 100,
    });
    await runtime.start();
    const history = await writeFinanceHistory(db().engine, TENANT);
    await runtime.waitFor(history.last);
    await runtime.stop();
  });
  const rows = async <R>(text: string, ...params: unknown[]) =>
    (await db().engine.query<R>(text, [TENANT, ...params])).rows;

  it('keeps each booking’s slot, pricing and outcome, with the deposit paid and kept', async () => {
    assert.deepEqual(
      await rows(
        `select booking_id, status, late_cancellation as late, is_tele, to_char(slot_date, 'YYYY-MM-DD') as slot,
            lead_days, deposit_required_minor::int as required, deposit_paid_minor::int as paid,
            deposit_forfeited_minor::int as kept, visit_id, patient_key = $2 as pt3
          from read.wh_fact_booking where tenant_id = $1 order by booking_id`,
        patientKey(TENANT, 'pt-3'),
      ),
      [
        {
          booking_id: 'bk-1',
          status: 'attended',
          late: false,
          is_tele: false,
          slot: '2026-12-07',
          lead_days: 6,
          required: 20_000,
          paid: 20_000,
          kept: 0,
          visit_id: 'v-1',
          pt3: false,
        },
        {
          booking_id: 'bk-2',
          status: 'cancelled',
          late: true,
          is_tele: false,
          slot: '2026-12-07',
          lead_days: 6,
          required: 20_000,
          paid: 20_000,
          kept: 20_000,
          visit_id: null,
          pt3: false,
        },
        {
          booking_id: 'bk-3',
          status: 'cancelled',
          late: true,
          is_tele: false,
          slot: '2026-12-07',
          lead_days: 6,
          required: 20_000,
          paid: 0,
          kept: 0,
          visit_id: null,
          pt3: true,
        },
        {
          booking_id: 'bk-4',
          status: 'no_show',
          late: false,
          is_tele: false,
          slot: '2026-12-07',
          lead_days: 6,
          required: 20_000,
          paid: 20_000,
          kept: 20_000,
          visit_id: 'v-4',
          pt3: false,
        },
        {
          booking_id: 'bk-5',
          status: 'attended',
          late: false,
          is_tele: true,
          slot: '2026-12-07',
          lead_days: 6,
          required: 50_000,
          paid: 50_000,
          kept: 0,
          visit_id: 'v-5',
          pt3: true,
        },
        {
          booking_id: 'bk-6',
          status: 'attended',
          late: false,
          is_tele: false,
          slot: '2026-12-14',
          lead_days: 7,
          required: 20_000,
          paid: 0,
          kept: 0,
          visit_id: 'v-6',
          pt3: true,
        },
        {
          booking_id: 'bk-7',
          status: 'cancelled',
          late: false,
          is_tele: false,
          slot: '2026-12-07',
          lead_days: 6,
          required: 20_000,
          paid: 20_000,
          kept: 0,
          visit_id: null,
          pt3: false,
        },
      ],
    );
  });

  it('keeps visits, follow-ups, claims and reconciled days', async () => {
    assert.deepEqual(
      await rows(
        `select visit_id, branch_id, outcome, tele, walk_in, to_char(visit_date, 'YYYY-MM-DD') as day, wait_minutes,
            consult_minutes from read.wh_fact_visit where tenant_id = $1 order by visit_id`,
      ),
      [
        {
          visit_id: 'v-1',
          branch_id: 'br-1',
          outcome: 'completed',
          tele: false,
          walk_in: false,
          day: '2026-12-07',
          wait_minutes: 10,
          consult_minutes: 15,
        },
        {
          visit_id: 'v-4',
          branch_id: 'br-2',
          outcome: 'no_show',
          tele: false,
          walk_in: false,
          day: '2026-12-07',
          wait_minutes: null,
          consult_minutes: null,
        },
        {
          visit_id: 'v-5',
          branch_id: 'br-2',
          outcome: 'completed',
          tele: true,
          walk_in: false,
          day: '2026-12-07',
          wait_minutes: 2,
          consult_minutes: 15,
        },
        {
          visit_id: 'v-6',
          branch_id: 'br-2',
          outcome: 'completed',
          tele: false,
          walk_in: false,
          day: '2026-12-14',
          wait_minutes: 5,
          consult_minutes: 15,
        },
      ],
    );
    assert.deepEqual(
      await rows(
        `select follow_up_id, from_tele, to_char(due_date, 'YYYY-MM-DD') as due, to_char(completed_date, 'YYYY-MM-DD') as done,
            fulfilled_by_visit_id, on_time from read.wh_fact_followup where tenant_id = $1 order by follow_up_id`,
      ),
      [
        {
          follow_up_id: 'fu-1',
          from_tele: false,
          due: '2026-12-21',
          done: null,
          fulfilled_by_visit_id: null,
          on_time: null,
        },
        {
          follow_up_id: 'fu-5',
          from_tele: true,
          due: '2026-12-14',
          done: '2026-12-14',
          fulfilled_by_visit_id: 'v-6',
          on_time: true,
        },
      ],
    );
    assert.deepEqual(
      await rows(
        `select claim_id, branch_id, episode_kind, status, claimed_minor::int as claimed, settled_minor::int as settled,
            denial_reason, days_to_close from read.wh_fact_claim where tenant_id = $1 order by claim_id`,
      ),
      [
        {
          claim_id: 'cl-1',
          branch_id: 'br-1',
          episode_kind: 'visit',
          status: 'settled',
          claimed: 80_000,
          settled: 70_000,
          denial_reason: null,
          days_to_close: 13,
        },
        {
          claim_id: 'cl-2',
          branch_id: 'br-2',
          episode_kind: 'visit',
          status: 'denied',
          claimed: 50_000,
          settled: null,
          denial_reason: 'NOT_COVERED',
          days_to_close: 11,
        },
      ],
    );
    assert.deepEqual(
      await rows(
        `select reconciliation_id, status, expected_minor::int as expected, collected_minor::int as collected,
            variance_minor::int as variance, variance_reason from read.wh_fact_reconciliation
          where tenant_id = $1 order by reconciliation_id`,
      ),
      [
        {
          reconciliation_id: 'br-1:2026-12-01',
          status: 'open',
          expected: null,
          collected: null,
          variance: null,
          variance_reason: null,
        },
        {
          reconciliation_id: 'br-1:2026-12-07',
          status: 'settled',
          expected: 70_000,
          collected: 69_500,
          variance: -500,
          variance_reason: 'cash_short',
        },
        {
          reconciliation_id: 'br-2:2026-12-01',
          status: 'settled',
          expected: 90_000,
          collected: 90_000,
          variance: 0,
          variance_reason: null,
        },
        {
          reconciliation_id: 'br-2:2026-12-07',
          status: 'settled',
          expected: 5_000,
          collected: 5_000,
          variance: 0,
          variance_reason: null,
        },
      ],
    );
  });

  it('keeps every payment event with its effect on cash, on the payment’s branch', async () => {
    assert.deepEqual(
      await rows(
        `select kind, count(*)::int as events, sum(amount_minor)::int as amount, sum(cash_minor)::int as cash
          from read.wh_fact_payment where tenant_id = $1 group by kind order by kind`,
      ),
      [
        { kind: 'balance', events: 2, amount: 140_000, cash: 140_000 },
        { kind: 'deposit', events: 5, amount: 130_000, cash: 130_000 },
        { kind: 'dispute_opened', events: 2, amount: 140_000, cash: 0 },
        { kind: 'dispute_resolved', events: 1, amount: 10_000, cash: -10_000 },
        { kind: 'forfeit', events: 2, amount: 40_000, cash: 0 },
        { kind: 'refund_issued', events: 1, amount: 20_000, cash: -20_000 },
        { kind: 'refund_requested', events: 2, amount: 25_000, cash: 0 },
      ],
    );
    assert.deepEqual(
      await rows(
        `select branch_id, sum(cash_minor)::int as cash from read.wh_fact_payment where tenant_id = $1
          group by branch_id order by branch_id`,
      ),
      [
        { branch_id: 'br-1', cash: 90_000 },
        { branch_id: 'br-2', cash: 150_000 },
      ],
    );
  });

  it('joins every fact to its dimensions: dates, branches, doctors, patients, tenant', async () => {
    const dateColumns: Record<string, string[]> = {
      wh_fact_booking: ['booked_date', 'slot_date', 'cancelled_date'],
      wh_fact_visit: ['visit_date'],
      wh_fact_followup: ['scheduled_date', 'due_date', 'completed_date'],
      wh_fact_payment: ['date_key'],
      wh_fact_claim: ['created_date', 'closed_date'],
      wh_fact_reconciliation: ['business_date'],
      wh_dim_branch: ['added_date', 'removed_date'],
      wh_dim_patient: ['registered_date', 'first_seen_date'],
    };
    for (const [table, columns] of Object.entries(dateColumns)) {
      for (const column of columns) {
        const missing = await rows<{ n: number }>(
          `select count(*)::int as n from read.${table} f where f.tenant_id = $1 and f.${column} is not null
            and not exists (select 1 from read.wh_dim_date d where d.tenant_id = f.tenant_id and d.date_key = f.${column})`,
        );
        assert.deepEqual(missing, [{ n: 0 }], `${table}.${column}`);
      }
    }
    for (const table of [
      'wh_fact_booking',
      'wh_fact_visit',
      'wh_fact_followup',
      'wh_fact_payment',
      'wh_fact_claim',
    ]) {
      const orphans = await rows<{ n: number }>(
        `select count(*)::int as n from read.${table} f where f.tenant_id = $1 and not exists
          (select 1 from read.wh_dim_patient p where p.tenant_id = f.tenant_id and p.patient_key = f.patient_key)`,
      );
      assert.deepEqual(orphans, [{ n: 0 }], table);
    }
    assert.deepEqual(
      await rows(
        `select doctor_id, doctor_name, branch_ids from read.wh_dim_doctor where tenant_id = $1 order by doctor_id`,
      ),
      [
        { doctor_id: 'dr-1', doctor_name: 'Dr. Meera Iyer', branch_ids: ['br-1'] },
        { doctor_id: 'dr-2', doctor_name: 'Dr. Kiran Rao', branch_ids: ['br-2'] },
      ],
    );
    assert.deepEqual(
      await rows(`select branches_added, branches_removed from read.wh_dim_tenant where tenant_id = $1`),
      [{ branches_added: 2, branches_removed: 0 }],
    );
    assert.deepEqual(
      await rows(
        `select patient_key, to_char(registered_date, 'YYYY-MM-DD') as registered from read.wh_dim_patient
          where tenant_id = $1 order by patient_key`,
      ),
      ['pt-1', 'pt-2', 'pt-3']
        .map((id) => ({ patient_key: patientKey(TENANT, id), registered: '2026-11-01' }))
        .sort((a, b) => a.patient_key.localeCompare(b.patient_key)),
    );
    const [dates] = await rows<{ n: number; weekend: number }>(
      `select count(*)::int as n, count(*) filter (where is_weekend)::int as weekend from read.wh_dim_date where tenant_id = $1`,
    );
    // 11-01 (Sun); 12-01, 12-02, 12-06 (Sun), 12-07, 12-08, 12-09, 12-12 (Sat), 12-14, 12-15, 12-18, 12-20 (Sun), 12-21.
    assert.deepEqual(dates, { n: 13, weekend: 4 });
  });

  it('holds no patient id, name, phone, policy number or free text — pseudonymous keys only', async () => {
    const rows = await modelRows(db().engine, warehouseProjections, [TENANT]);
    assert.equal(Object.values(rows).flat().length, 55);
    const secrets = ['pt-1', 'pt-2', 'pt-3', 'Asha', 'Ravi', 'Lata', '+91', 'POL-', 'call dropped', 'seen'];
    assert.deepEqual(plaintextIn(rows, secrets), []);
  });

  it('comes out the same when every event is delivered twice, and from a full or tenant rebuild', async () => {
    const incremental = await modelRows(db().engine, warehouseProjections, [TENANT]);
    assert.deepEqual(Object.keys(incremental).sort(), Object.keys(WAREHOUSE_SPECS).sort());
    const twice = await buildWithEveryEventTwice(db().engine, warehouseProjections, TENANT);
    assert.ok(twice.skipped >= twice.applied);
    assert.deepEqual(twice.rows, incremental);
    await assertRebuildsIdentically(db().engine, runtime, warehouseProjections, TENANT);
  });

  it('refuses a branch replay: claims and the shared dimensions belong to no branch', async () => {
    await assert.rejects(
      runtime.replay(warehouseProjections.name, { slice: { tenantId: TENANT, branchId: 'br-1' } }),
      { code: 'VALIDATION_FAILED' },
    );
  });
});
