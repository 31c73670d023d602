import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { ProjectionRuntime } from '../projections/projection-runtime.ts';
import { warehouseProjections } from '../projections/read-models/warehouse/warehouse-projections.ts';
import { WAREHOUSE_TABLES } from '../projections/read-models/warehouse/warehouse-tables.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { branchVariance } from './branch-variance.ts';
import { cancellationLeakage } from './cancellation-leakage.ts';
import { depositCapture } from './deposit-capture.ts';
import { exportWarehouse } from './export-warehouse.ts';
import { followUpAdherence } from './follow-up-adherence.ts';
import { noShowRateByDoctor } from './no-show-rate.ts';
import { teleConversion } from './tele-conversion.ts';
import { writeFinanceHistory } from './testing/finance-history.ts';

const TENANT = 'bi-a';
const DECEMBER = { tenantId: TENANT, from: '2026-12-01', to: '2026-12-31' };

describeEachEngine('BI questions over the warehouse', (db) => {
  before(async () => {
    const runtime = new ProjectionRuntime(db().engine, {
      projections: [warehouseProjections],
      pollIntervalMs: 100,
    });
    await runtime.start();
    const history = await writeFinanceHistory(db().engine, TENANT);
    await runtime.waitFor(history.last);
    await runtime.stop();
  });

  it('cancellation leakage: late cancellations and the deposit money kept vs lost', async () => {
    assert.deepEqual(await cancellationLeakage(db().engine, DECEMBER), [
      {
        branchId: 'br-1',
        currency: 'INR',
        bookings: 3,
        cancellations: 2,
        lateCancellations: 2,
        lateCancellationRate: 2 / 3,
        atStakeMinor: 40_000,
        keptMinor: 20_000,
        lostMinor: 20_000,
        lostNeverPaidMinor: 20_000,
        keptRate: 0.5,
      },
      {
        branchId: 'br-2',
        currency: 'INR',
        bookings: 4,
        cancellations: 1,
        lateCancellations: 0,
        lateCancellationRate: 0,
        atStakeMinor: 0,
        keptMinor: 0,
        lostMinor: 0,
        lostNeverPaidMinor: 0,
        keptRate: null,
      },
    ]);
    // The period is of slot dates: only bk-6 has its slot on 12-14.
    const second = await cancellationLeakage(db().engine, { tenantId: TENANT, from: '2026-12-08' });
    assert.deepEqual(
      second.map((row) => [row.branchId, row.bookings]),
      [['br-2', 1]],
    );
  });

  it('deposit capture per branch', async () => {
    assert.deepEqual(await depositCapture(db().engine, DECEMBER), [
      {
        branchId: 'br-1',
        currency: 'INR',
        bookings: 3,
        depositRequired: 3,
        depositsPaid: 2,
        captureRate: 2 / 3,
        requiredMinor: 60_000,
        paidMinor: 40_000,
        amountCaptureRate: 40_000 / 60_000,
        forfeitedMinor: 20_000,
      },
      {
        branchId: 'br-2',
        currency: 'INR',
        bookings: 4,
        depositRequired: 4,
        depositsPaid: 3,
        captureRate: 0.75,
        requiredMinor: 110_000,
        paidMinor: 90_000,
        amountCaptureRate: 90_000 / 110_000,
        forfeitedMinor: 20_000,
      },
    ]);
  });

  it('no-show rate by doctor, over the bookings that reached their slot', async () => {
    assert.deepEqual(await noShowRateByDoctor(db().engine, DECEMBER), [
      { doctorId: 'dr-1', doctorName: 'Dr. Meera Iyer', appointments: 1, noShows: 0, noShowRate: 0 },
      { doctorId: 'dr-2', doctorName: 'Dr. Kiran Rao', appointments: 3, noShows: 1, noShowRate: 1 / 3 },
    ]);
  });

  it('branch variance over the reconciled days', async () => {
    assert.deepEqual(await branchVariance(db().engine, DECEMBER), [
      {
        branchId: 'br-1',
        branchName: 'Indiranagar',
        currency: 'INR',
        daysSettled: 1,
        daysOpen: 1,
        daysWithVariance: 1,
        expectedMinor: 70_000,
        collectedMinor: 69_500,
        varianceMinor: -500,
        absoluteVarianceMinor: 500,
        shortMinor: 500,
        overMinor: 0,
        varianceRate: 500 / 70_000,
      },
      {
        branchId: 'br-2',
        branchName: 'Koramangala',
        currency: 'INR',
        daysSettled: 2,
        daysOpen: 0,
        daysWithVariance: 0,
        expectedMinor: 95_000,
        collectedMinor: 95_000,
        varianceMinor: 0,
        absoluteVarianceMinor: 0,
        shortMinor: 0,
        overMinor: 0,
        varianceRate: 0,
      },
    ]);
  });

  it('tele conversion: tele visits whose follow-up an in-person visit fulfilled', async () => {
    assert.deepEqual(await teleConversion(db().engine, DECEMBER), [
      { branchId: 'br-2', teleVisits: 1, withFollowUp: 1, converted: 1, conversionRate: 1 },
    ]);
  });

  it('follow-up adherence per doctor, as of a given day', async () => {
    assert.deepEqual(await followUpAdherence(db().engine, { ...DECEMBER, asOf: '2026-12-31' }), [
      {
        doctorId: 'dr-1',
        doctorName: 'Dr. Meera Iyer',
        scheduled: 1,
        completed: 0,
        completedOnTime: 0,
        overdue: 1,
        pending: 0,
        completionRate: 0,
        onTimeRate: 0,
      },
      {
        doctorId: 'dr-2',
        doctorName: 'Dr. Kiran Rao',
        scheduled: 1,
        completed: 1,
        completedOnTime: 1,
        overdue: 0,
        pending: 0,
        completionRate: 1,
        onTimeRate: 1,
      },
    ]);
    const early = await followUpAdherence(db().engine, { ...DECEMBER, asOf: '2026-12-10' });
    assert.deepEqual(
      early.map((row) => [row.doctorId, row.overdue, row.pending, row.onTimeRate]),
      [
        ['dr-1', 0, 1, null],
        ['dr-2', 0, 0, 1],
      ],
    );
  });

  it('answers nothing about another tenant', async () => {
    const other = { tenantId: 'bi-other' };
    assert.deepEqual(await cancellationLeakage(db().engine, other), []);
    assert.deepEqual(await branchVariance(db().engine, other), []);
    assert.deepEqual(await followUpAdherence(db().engine, { ...other, asOf: '2026-12-31' }), []);
    await assert.rejects(depositCapture(db().engine, { tenantId: TENANT, from: '2026-13-01' }), {
      code: 'VALIDATION_FAILED',
    });
    await assert.rejects(
      noShowRateByDoctor(db().engine, { tenantId: "x'; drop table read.wh_dim_date; --" }),
      {
        code: 'VALIDATION_FAILED',
      },
    );
  });

  it('exports every warehouse table of the tenant as NDJSON, the same bytes each time', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mymedic-export-'));
    try {
      const first = await exportWarehouse(db().engine, {
        tenantId: TENANT,
        format: 'ndjson',
        directory,
        batchSize: 4,
      });
      assert.deepEqual(
        first.files.map((file) => file.table),
        WAREHOUSE_TABLES,
      );
      assert.deepEqual(Object.fromEntries(first.files.map((file) => [file.table, file.rows])), {
        wh_dim_date: 13,
        wh_dim_tenant: 1,
        wh_dim_branch: 2,
        wh_dim_doctor: 2,
        wh_dim_patient: 3,
        wh_fact_booking: 7,
        wh_fact_visit: 4,
        wh_fact_followup: 2,
        wh_fact_payment: 15,
        wh_fact_claim: 2,
        wh_fact_reconciliation: 4,
      });
      const bookings = (await readFile(join(directory, 'wh_fact_booking.ndjson'), 'utf8'))
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.deepEqual(
        bookings.map((row) => row['booking_id']),
        ['bk-1', 'bk-2', 'bk-3', 'bk-4', 'bk-5', 'bk-6', 'bk-7'],
      );
      assert.equal(bookings[0]?.['deposit_required_minor'], 20_000);
      assert.equal(bookings[0]?.['slot_starts_at'], '2026-12-07T03:30:00+00:00');
      assert.equal(bookings[0]?.['slot_date'], '2026-12-07');
      assert.match(String(bookings[0]?.['patient_key']), /^[0-9a-f]{64}$/);
      const manifest = JSON.parse(await readFile(join(directory, 'manifest.json'), 'utf8')) as typeof first;
      assert.deepEqual(manifest, first);
      assert.deepEqual(
        (await readdir(directory)).sort(),
        ['manifest.json', ...WAREHOUSE_TABLES.map((table) => `${table}.ndjson`)].sort(),
      );
      const again = await exportWarehouse(db().engine, { tenantId: TENANT, format: 'ndjson', directory });
      assert.deepEqual(again, first);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
