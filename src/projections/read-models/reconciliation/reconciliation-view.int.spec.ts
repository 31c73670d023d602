import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { buildWithEveryEventTwice, modelRows } from '../../../analytics/testing/every-event-twice.ts';
import { writeFinanceHistory } from '../../../analytics/testing/finance-history.ts';
import { describeEachEngine } from '../../../store/testing/test-engines.ts';
import { ProjectionRuntime } from '../../projection-runtime.ts';
import { assertBranchReplaysRebuildOnlyTheirBranch } from '../testing/branch-replay-check.ts';
import { assertRebuildsIdentically } from '../testing/read-model-checks.ts';
import { branchDay, branchDays, chainRollup, type DayMovements } from './reconciliation-queries.ts';
import { reconciliationView } from './reconciliation-view.ts';

const TENANT = 'reconciliation-view-a';
const PERIOD = { tenantId: TENANT, from: '2026-12-01', to: '2026-12-15' };

const MOVEMENTS = [
  'depositsCount',
  'depositsMinor',
  'balancesCount',
  'balancesMinor',
  'refundsCount',
  'refundsMinor',
  'forfeitsCount',
  'forfeitsMinor',
  'disputesOpenedCount',
  'disputesOpenedMinor',
  'disputesResolvedCount',
  'disputesResolvedMinor',
  'disputesReturnedMinor',
  'ledgerNetMinor',
] as const satisfies readonly (keyof DayMovements)[];

/** The movements that are not zero, so expectations list only what happened. */
function moved(day: DayMovements): Record<string, number> {
  return Object.fromEntries(
    MOVEMENTS.map((key) => [key, day[key]] as const).filter(([, value]) => value !== 0),
  );
}

describeEachEngine('reconciliation_view', (db) => {
  let runtime: ProjectionRuntime;
  before(async () => {
    runtime = new ProjectionRuntime(db().engine, { projections: [reconciliationView], pollIntervalMs: 100 });
    // Started before the history is written: the model is built incrementally, batch by batch.
    await runtime.start();
    const history = await writeFinanceHistory(db().engine, TENANT);
    await runtime.waitFor(history.last);
    // Stopped here, not in an after hook (which would run after the database is closed); replays still work.
    await runtime.stop();
  });

  it('puts every money movement on its branch and business day (IST), beside the day’s reconciliation', async () => {
    const days = await branchDays(db().engine, PERIOD);
    assert.deepEqual(
      days.map((day) => ({
        day: `${day.branchId} ${day.businessDate}`,
        moved: moved(day),
        reconciliation: [
          day.reconciliationStatus,
          day.expectedMinor,
          day.collectedMinor,
          day.varianceMinor,
          day.varianceReason,
        ],
      })),
      [
        {
          day: 'br-1 2026-12-01',
          moved: { depositsCount: 2, depositsMinor: 40_000, ledgerNetMinor: 40_000 },
          reconciliation: ['open', 20_000, 20_000, 0, null],
        },
        {
          day: 'br-2 2026-12-01',
          moved: { depositsCount: 3, depositsMinor: 90_000, ledgerNetMinor: 90_000 },
          reconciliation: ['settled', 90_000, 90_000, 0, null],
        },
        {
          day: 'br-2 2026-12-02',
          moved: { refundsCount: 1, refundsMinor: 20_000, ledgerNetMinor: -20_000 },
          reconciliation: ['none', null, null, null, null],
        },
        {
          day: 'br-1 2026-12-06',
          moved: { forfeitsCount: 1, forfeitsMinor: 20_000 },
          reconciliation: ['none', null, null, null, null],
        },
        {
          day: 'br-1 2026-12-07',
          moved: { balancesCount: 1, balancesMinor: 60_000, ledgerNetMinor: 60_000 },
          reconciliation: ['settled', 70_000, 69_500, -500, 'cash_short'],
        },
        {
          day: 'br-2 2026-12-07',
          moved: { forfeitsCount: 1, forfeitsMinor: 20_000 },
          reconciliation: ['settled', 5_000, 5_000, 0, null],
        },
        {
          day: 'br-1 2026-12-09',
          moved: { disputesOpenedCount: 1, disputesOpenedMinor: 60_000 },
          reconciliation: ['none', null, null, null, null],
        },
        {
          day: 'br-1 2026-12-12',
          moved: {
            disputesResolvedCount: 1,
            disputesResolvedMinor: 60_000,
            disputesReturnedMinor: 10_000,
            ledgerNetMinor: -10_000,
          },
          reconciliation: ['none', null, null, null, null],
        },
        {
          day: 'br-2 2026-12-14',
          moved: { balancesCount: 1, balancesMinor: 80_000, ledgerNetMinor: 80_000 },
          reconciliation: ['none', null, null, null, null],
        },
        {
          day: 'br-2 2026-12-15',
          moved: { disputesOpenedCount: 1, disputesOpenedMinor: 80_000 },
          reconciliation: ['none', null, null, null, null],
        },
      ],
    );
    assert.ok(days.every((day) => day.currency === 'INR'));
    assert.deepEqual(await branchDays(db().engine, { ...PERIOD, tenantId: 'another-tenant' }), []);
    await assert.rejects(branchDays(db().engine, { ...PERIOD, to: '15/12/2026' }), {
      code: 'VALIDATION_FAILED',
    });
  });

  it('gives one branch day with its figures per method', async () => {
    const [day, ...others] = await branchDay(db().engine, {
      tenantId: TENANT,
      branchId: 'br-1',
      businessDate: '2026-12-07',
    });
    assert.equal(others.length, 0);
    assert.ok(day);
    assert.equal(day.reconciliationId, 'br-1:2026-12-07');
    assert.equal(day.settledAt, '2026-12-07T12:00:00.000Z');
    assert.deepEqual(day.figures, [
      { method: 'card', expectedMinor: 60_000, collectedMinor: 60_000 },
      { method: 'cash', expectedMinor: 10_000, collectedMinor: 9_500 },
    ]);
    assert.deepEqual(
      await branchDay(db().engine, { tenantId: TENANT, branchId: 'br-1', businessDate: '2026-12-08' }),
      [],
    );
  });

  it('rolls the chain up across branches, per day and over the period', async () => {
    const perDay = await chainRollup(db().engine, PERIOD);
    assert.deepEqual(
      perDay.map((row) => [
        row.businessDate,
        row.branches,
        row.settledBranches,
        row.openBranches,
        row.expectedMinor,
        row.collectedMinor,
        row.varianceMinor,
        row.absoluteVarianceMinor,
        row.ledgerNetMinor,
      ]),
      [
        ['2026-12-01', 2, 1, 1, 110_000, 110_000, 0, 0, 130_000],
        ['2026-12-02', 1, 0, 0, 0, 0, 0, 0, -20_000],
        ['2026-12-06', 1, 0, 0, 0, 0, 0, 0, 0],
        ['2026-12-07', 2, 2, 0, 75_000, 74_500, -500, 500, 60_000],
        ['2026-12-09', 1, 0, 0, 0, 0, 0, 0, 0],
        ['2026-12-12', 1, 0, 0, 0, 0, 0, 0, -10_000],
        ['2026-12-14', 1, 0, 0, 0, 0, 0, 0, 80_000],
        ['2026-12-15', 1, 0, 0, 0, 0, 0, 0, 0],
      ],
    );
    const [period, ...more] = await chainRollup(db().engine, { ...PERIOD, by: 'period' });
    assert.equal(more.length, 0);
    assert.ok(period);
    assert.deepEqual(
      [period.businessDate, period.currency, period.branches, period.settledBranches, period.openBranches],
      [null, 'INR', 2, 2, 1],
    );
    assert.deepEqual(
      [period.expectedMinor, period.collectedMinor, period.varianceMinor, period.absoluteVarianceMinor],
      [185_000, 184_500, -500, 500],
    );
    assert.deepEqual(moved(period), {
      depositsCount: 5,
      depositsMinor: 130_000,
      balancesCount: 2,
      balancesMinor: 140_000,
      refundsCount: 1,
      refundsMinor: 20_000,
      forfeitsCount: 2,
      forfeitsMinor: 40_000,
      disputesOpenedCount: 2,
      disputesOpenedMinor: 140_000,
      disputesResolvedCount: 1,
      disputesResolvedMinor: 60_000,
      disputesReturnedMinor: 10_000,
      ledgerNetMinor: 240_000,
    });
  });

  it('comes out the same when every event is delivered twice, and from a full or tenant rebuild', async () => {
    const incremental = await modelRows(db().engine, reconciliationView, [TENANT]);
    const twice = await buildWithEveryEventTwice(db().engine, reconciliationView, TENANT);
    assert.ok(twice.skipped >= twice.applied);
    assert.deepEqual(twice.rows, incremental);
    await assertRebuildsIdentically(db().engine, runtime, reconciliationView, TENANT);
  });

  it('replays one branch: its days (refunds, forfeits, disputes), figures and payments, nothing else', async () => {
    const reports = await assertBranchReplaysRebuildOnlyTheirBranch(
      db().engine,
      runtime,
      reconciliationView,
      TENANT,
      ['br-1', 'br-2'],
    );
    // br-1: days 12-01, 12-06 (forfeit), 12-07, 12-09 (dispute), 12-12 (resolution); figures upi, card, cash;
    // pay-1, pay-2. br-2: days 12-01, 12-02 (refund), 12-07 (forfeit), 12-14, 12-15 (dispute); four figures;
    // pay-4 to pay-7.
    assert.deepEqual(reports['br-1']?.rows, { recon_branch_day: 5, recon_figures: 3, recon_payments: 2 });
    assert.deepEqual(reports['br-2']?.rows, { recon_branch_day: 5, recon_figures: 4, recon_payments: 4 });
  });
});
