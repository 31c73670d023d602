/**
 * Each branch's business day, reconciled after midnight (seed §4 chains, §12 branch variance): figures per
 * payment method from what the simulation took that day, a variance on some days (how often depends on the
 * branch), explained before the day is settled — and now and then someone tries to settle first.
 */
import type { PaymentMethod } from '../domain/payment/payment-method.ts';
import { PAYMENT_METHODS } from '../domain/payment/payment-method.ts';
import type { VARIANCE_REASONS } from '../domain/reconciliation/events.ts';
import { reconciliationIdOf } from '../domain/reconciliation/reconciliation-id.ts';
import { CURRENCY, type TenantSim } from './tenant-sim.ts';

type VarianceReason = (typeof VARIANCE_REASONS)[number];

export async function reconcileDay(sim: TenantSim, branchId: string, date: string): Promise<void> {
  const key = `${branchId}|${date}`;
  const takings = sim.takings.get(key);
  sim.takings.delete(key);
  if (takings === undefined && !sim.branchIsActive(branchId)) return;
  const reconciliationId = reconciliationIdOf(branchId, date);
  const flow = sim.commands.flow(`reconciliation:${reconciliationId}`);
  const step = () => sim.commands.step(sim.actors.finance(), flow);
  const opened = await sim.commands.execute(
    'reconciliation',
    {
      type: 'OpenReconciliation',
      reconciliationId,
      branchId,
      businessDate: date,
      currency: CURRENCY,
      now: sim.now(),
    },
    step(),
  );
  if (!opened.ok) return;
  const expected = PAYMENT_METHODS.filter((method) => takings?.has(method)).map(
    (method): [PaymentMethod, number] => [method, takings?.get(method) ?? 0],
  );
  if (expected.length === 0) expected.push(['cash', 0]);
  const varianceRate =
    sim.layout.branches.find((branch) => branch.branchId === branchId)?.varianceRate ?? 0.1;
  const variance = sim.random.chance(varianceRate) ? drawVariance(sim, expected) : null;
  const record = (method: PaymentMethod, amountMinor: number) =>
    sim.commands.execute(
      'reconciliation',
      {
        type: 'RecordFigures',
        reconciliationId,
        method,
        expected: { amountMinor, currency: CURRENCY },
        collected: {
          amountMinor: amountMinor + (variance?.method === method ? variance.deltaMinor : 0),
          currency: CURRENCY,
        },
        now: sim.now(),
      },
      step(),
    );
  for (const [method, amountMinor] of expected) await record(method, amountMinor);
  // A recount replaces the method's figures (with the same result here).
  if (sim.random.chance(0.05)) await record(expected[0]![0], expected[0]![1]);
  const settle = () =>
    sim.commands.execute(
      'reconciliation',
      { type: 'SettleReconciliation', reconciliationId, now: sim.now() },
      step(),
    );
  if (variance !== null) {
    if (sim.random.chance(0.15)) await settle();
    await sim.commands.execute(
      'reconciliation',
      { type: 'RecordVariance', reconciliationId, reasonCode: variance.reason, now: sim.now() },
      step(),
    );
  }
  await settle();
}

/** Which method is off, by how much (collected − expected) and why; null when nothing can be off. */
function drawVariance(
  sim: TenantSim,
  expected: readonly [PaymentMethod, number][],
): { method: PaymentMethod; deltaMinor: number; reason: VarianceReason } | null {
  const [method, amountMinor] = sim.random.pick(expected);
  const rupees = sim.random.int(1, 40) * 5_00;
  if (method === 'cash') {
    const reason = sim.random.weighted([
      ['cash_short', 45],
      ['cash_over', 20],
      ['entry_error', 15],
      ['unexplained', 20],
    ] as const);
    const deltaMinor =
      reason === 'cash_over' || (reason !== 'cash_short' && sim.random.chance(0.5))
        ? rupees
        : -Math.min(rupees, amountMinor);
    return deltaMinor === 0 ? null : { method, deltaMinor, reason };
  }
  const deltaMinor = -Math.min(rupees * 4, amountMinor);
  return deltaMinor === 0
    ? null
    : { method, deltaMinor, reason: sim.random.chance(0.8) ? 'gateway_settlement_pending' : 'refund_timing' };
}
