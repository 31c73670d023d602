/**
 * Money: deposits at the price the booking recorded, balances after the visit, the deposit kept after a late
 * cancellation or a no-show (sent as the deposit-forfeits process manager would), refunds requested and then
 * issued or refused (now and then keyed in too large first), and the rare chargeback dispute.
 */
import type { Payer } from '../domain/payment/commands.ts';
import { forfeitForLateCancellation, forfeitForNoShow } from '../domain/payment/forfeiture.ts';
import { refundableMinor, refundsMinor } from '../domain/payment/ledger.ts';
import type { PaymentMethod } from '../domain/payment/payment-method.ts';
import type { REFUND_REASONS } from '../domain/payment/events.ts';
import { addDays, DAY_MS, localInstant, MINUTE_MS } from './calendar.ts';
import { dataOf, eventIdOf, type Accepted } from './demo-commands.ts';
import { REFUND_NOTES } from './synthetic-text.ts';
import { CURRENCY, type BookingPlan, type TenantSim } from './tenant-sim.ts';

const AT_THE_COUNTER: readonly (readonly [PaymentMethod, number])[] = [
  ['cash', 45],
  ['upi', 35],
  ['card', 20],
];
const ONLINE: readonly (readonly [PaymentMethod, number])[] = [
  ['upi', 50],
  ['card', 30],
  ['netbanking', 12],
  ['wallet', 8],
];
const CHARGEBACK_CODES = ['4837', '4853', '10.4', '13.1'];

export async function payDeposit(
  sim: TenantSim,
  plan: BookingPlan,
  bookingCreatedEventId: string,
): Promise<void> {
  const booking = sim.activeBooking(plan.bookingId);
  if (booking === null) return;
  const online = plan.channel === 'portal' || plan.channel === 'tele_prepay';
  const method = sim.random.weighted(online ? ONLINE : AT_THE_COUNTER);
  const { deposit, policyId, version } = booking.pricing;
  const paid = await sim.commands.execute(
    'payment',
    {
      type: 'PayDeposit',
      paymentId: plan.paymentId,
      payer: { patientId: booking.patientId, branchId: booking.branchId, bookingId: booking.bookingId },
      amount: deposit,
      method,
      pricingPolicy: { policyId, version },
      transactionRef: transactionRef(sim, method),
      now: sim.now(),
    },
    sim.commands.step(
      online ? sim.actors.gateway() : sim.actors.frontDesk(booking.branchId),
      plan.correlationId,
      bookingCreatedEventId,
    ),
  );
  if (!paid.ok) return;
  sim.recordTakings(booking.branchId, method, deposit.amountMinor);
  sim.tally.count('deposit_paid');
}

export async function payBalance(
  sim: TenantSim,
  paymentId: string,
  payer: Payer,
  amountMinor: number,
  correlationId: string,
): Promise<void> {
  const method = sim.random.weighted(AT_THE_COUNTER);
  const paid = await sim.commands.execute(
    'payment',
    {
      type: 'PayBalance',
      paymentId,
      payer,
      amount: { amountMinor, currency: CURRENCY },
      method,
      transactionRef: transactionRef(sim, method),
      now: sim.now(),
    },
    sim.commands.step(sim.actors.frontDesk(payer.branchId), correlationId),
  );
  if (paid.ok) sim.recordTakings(payer.branchId, method, amountMinor);
}

/** After a cancellation: a late one forfeits the deposit, a timely one (or the clinic's) refunds it. */
export async function settleCancelledDeposit(
  sim: TenantSim,
  plan: BookingPlan,
  cancelled: Accepted,
): Promise<void> {
  const data = dataOf<{ late: boolean; slotStartsAt: string; initiatedBy: string; branchId: string }>(
    cancelled,
    'booking.cancelled',
  );
  if (data.late) sim.tally.count('late_cancellation');
  const payment = sim.world.payments.get(plan.paymentId);
  if (payment.deposit === null) return;
  if (data.late) {
    await sim.commands.execute(
      'payment',
      forfeitForLateCancellation({
        paymentId: plan.paymentId,
        bookingId: plan.bookingId,
        cancellationEventId: eventIdOf(cancelled, 'booking.cancelled'),
        cancelledAt: sim.now().toISOString(),
        slotStartsAt: data.slotStartsAt,
        now: sim.now(),
      }),
      sim.commands.reaction('deposit-forfeits', cancelled, 'booking.cancelled', 'forfeit'),
    );
    return;
  }
  const reason = data.initiatedBy === 'clinic' ? 'cancelled_by_clinic' : 'cancelled_in_time';
  await requestRefund(
    sim,
    plan.paymentId,
    data.branchId,
    reason,
    refundableMinor(payment),
    plan.correlationId,
  );
}

export async function forfeitNoShowDeposit(
  sim: TenantSim,
  plan: BookingPlan,
  noShow: Accepted,
  slotStartsAt: string,
): Promise<void> {
  if (sim.world.payments.get(plan.paymentId).deposit === null) return;
  await sim.commands.execute(
    'payment',
    forfeitForNoShow({
      paymentId: plan.paymentId,
      bookingId: plan.bookingId,
      visitId: dataOf<{ visitId: string }>(noShow, 'visit.no_show.recorded').visitId,
      noShowEventId: eventIdOf(noShow, 'visit.no_show.recorded'),
      slotStartsAt,
      now: sim.now(),
    }),
    sim.commands.reaction('deposit-forfeits', noShow, 'visit.no_show.recorded', 'forfeit'),
  );
}

/**
 * Staff ask for a refund of `amountMinor`; finance decides on a later working day. Now and then the desk
 * first keys in more than can be refunded, and the payment refuses it.
 */
export async function requestRefund(
  sim: TenantSim,
  paymentId: string,
  branchId: string,
  reasonCode: (typeof REFUND_REASONS)[number],
  amountMinor: number,
  correlationId: string,
): Promise<void> {
  if (amountMinor <= 0) return;
  const step = () => sim.commands.step(sim.actors.frontDesk(branchId), correlationId);
  const request = (refundId: string, amount: number) =>
    sim.commands.execute(
      'payment',
      {
        type: 'RequestRefund',
        paymentId,
        refundId,
        amount: { amountMinor: amount, currency: CURRENCY },
        reasonCode,
        note: sim.random.pick(REFUND_NOTES),
        now: sim.now(),
      },
      step(),
    );
  if (sim.random.chance(0.05)) {
    const refundable = refundableMinor(sim.world.payments.get(paymentId));
    await request(sim.nextId('rf'), refundable + 100 * sim.random.int(1, 500));
  }
  const refundId = sim.nextId('rf');
  const requested = await request(refundId, amountMinor);
  if (!requested.ok) return;
  const decideOn = addDays(sim.today(), sim.random.int(1, 3));
  const issueChance = reasonCode === 'cancelled_by_clinic' ? 1 : reasonCode === 'goodwill' ? 0.6 : 0.92;
  sim.atRandomTime(decideOn, '10:00', '17:00', async () => {
    const financeStep = sim.commands.step(
      sim.actors.finance(),
      correlationId,
      eventIdOf(requested, 'payment.refund.requested'),
    );
    if (sim.random.chance(issueChance)) {
      const method = sim.random.weighted(ONLINE);
      await sim.commands.execute(
        'payment',
        {
          type: 'IssueRefund',
          paymentId,
          refundId,
          transactionRef: transactionRef(sim, method),
          now: sim.now(),
        },
        financeStep,
      );
    } else {
      await sim.commands.execute(
        'payment',
        { type: 'RefuseRefund', paymentId, refundId, reasonCode: 'OUTSIDE_POLICY', now: sim.now() },
        financeStep,
      );
    }
  });
}

/** A chargeback some days later on what the payer is still out of pocket, resolved weeks after. */
export function maybeDispute(sim: TenantSim, paymentId: string, correlationId: string): void {
  if (!sim.random.chance(0.006)) return;
  sim.clock.after(sim.random.int(3, 10) * DAY_MS + sim.random.int(0, 600) * MINUTE_MS, async () => {
    const payment = sim.world.payments.get(paymentId);
    const contestable = payment.paidMinor - refundsMinor(payment, 'issued');
    if (payment.dispute !== null || refundsMinor(payment, 'requested') > 0 || contestable < 200) return;
    const disputeId = sim.nextId('dp');
    const opened = await sim.commands.execute(
      'payment',
      {
        type: 'OpenDispute',
        paymentId,
        disputeId,
        amount: { amountMinor: contestable, currency: CURRENCY },
        reasonCode: sim.random.pick(CHARGEBACK_CODES),
        now: sim.now(),
      },
      sim.commands.step(sim.actors.gateway(), correlationId),
    );
    if (!opened.ok) return;
    const resolveOn = addDays(sim.today(), sim.random.int(7, 20));
    sim.clock.at(localInstant(resolveOn, '12:00'), async () => {
      const outcome = sim.random.weighted([
        ['won', 50],
        ['lost', 30],
        ['partial', 20],
      ] as const);
      const returned =
        outcome === 'won' ? 0 : outcome === 'lost' ? contestable : Math.floor(contestable / 200) * 100;
      await sim.commands.execute(
        'payment',
        {
          type: 'ResolveDispute',
          paymentId,
          disputeId,
          outcome,
          amountReturned: { amountMinor: returned, currency: CURRENCY },
          now: sim.now(),
        },
        sim.commands.step(sim.actors.gateway(), correlationId, eventIdOf(opened, 'payment.dispute.opened')),
      );
    });
  });
}

function transactionRef(sim: TenantSim, method: PaymentMethod): string | null {
  return method === 'cash' ? null : `${method}-${sim.nextId('txn')}`;
}
