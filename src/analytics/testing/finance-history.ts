/**
 * Test fixture: a small, fully known history of a two-branch clinic, written through the command side only,
 * that every finance read model and BI question is checked against with exact numbers. All times are UTC;
 * the business day is the date in Asia/Kolkata (UTC+05:30).
 *
 * Setup (buildClinic + br-2, dr-2 at br-2, pt-2, pt-3). In-person: price 800.00, deposit 200.00; tele: price
 * and deposit 500.00; cancellation window 24 h. Slots are on Monday 2026-12-07 unless said otherwise.
 *
 * | booking | patient | doctor/branch | slot (IST) | deposit           | what happens                                         |
 * |---------|---------|---------------|------------|-------------------|------------------------------------------------------|
 * | bk-1    | pt-1    | dr-1 / br-1   | 09:00      | pay-1 200.00 upi  | visit v-1 completed, balance 600.00 card, fu-1 due 12-21 never done, dispute d-1 600.00 → partial, 100.00 returned; claim cl-1 800.00 settled 700.00 |
 * | bk-2    | pt-2    | dr-1 / br-1   | 09:15      | pay-2 200.00 card | patient cancels late (12-06) → deposit forfeited      |
 * | bk-3    | pt-3    | dr-1 / br-1   | 09:30      | none              | patient cancels late (12-06): nothing to keep         |
 * | bk-4    | pt-2    | dr-2 / br-2   | 10:00      | pay-4 200.00 cash | no-show v-4 → deposit forfeited                       |
 * | bk-5    | pt-3    | dr-2 / br-2   | 11:00 tele | pay-5 500.00 upi  | tele visit v-5 completed, fu-5 due 12-14 fulfilled by v-6; refund r-5 50.00 left open; claim cl-2 500.00 denied |
 * | bk-6    | pt-3    | dr-2 / br-2   | 12-14 09:00| none              | visit v-6 completed, balance pay-6 800.00 cash, dispute d-6 800.00 left open |
 * | bk-7    | pt-1    | dr-2 / br-2   | 12:00      | pay-7 200.00 card | patient cancels in time (12-02), refund r-7 200.00 issued |
 *
 * Reconciliations: br-1 12-01 open (upi 200.00/200.00); br-2 12-01 settled (cash 200.00, upi 500.00, card
 * 200.00, all matching); br-1 12-07 settled (card 600.00/600.00, cash 100.00 expected / 95.00 collected,
 * cash_short); br-2 12-07 settled (cash 50.00/50.00).
 */
import type { CommandMetadata } from '../../commands/command-metadata.ts';
import type { CommandResult, CommandService } from '../../commands/command-service.ts';
import { deterministicUuid } from '../../commands/deterministic-id.ts';
import { buildClinic, metadataFor, testMasterKeys } from '../../commands/testing/clinic-fixture.ts';
import type { CommandOf, SingleStreamAggregateType } from '../../commands/single-stream-aggregates.ts';
import type { BookingCommand } from '../../domain/booking/commands.ts';
import type { PaymentMethod } from '../../domain/payment/payment-method.ts';
import type { Engine } from '../../store/engines/engine.ts';
import type { AppendResult } from '../../store/event-store.ts';

/** A command without its time: the writer adds it from the step's time. */
type Timeless<C> = C extends unknown ? Omit<C, 'now'> : never;

export const HISTORY_SETUP = new Date('2026-11-01T00:00:00.000Z');
const inr = (amountMinor: number) => ({ amountMinor, currency: 'INR' });

/** Writes commands in order, with event ids derived from the tenant and a counter; remembers the last append. */
class HistoryWriter {
  last: AppendResult | undefined;
  private counter = 0;

  constructor(
    readonly commands: CommandService,
    readonly tenantId: string,
  ) {}

  private metadata(at: string): CommandMetadata & { eventIdFor: (index: number) => string } {
    const serial = String(this.counter++);
    return {
      ...metadataFor(this.tenantId, new Date(at)),
      eventIdFor: (index) => deterministicUuid('finance-history', this.tenantId, serial, String(index)),
    };
  }

  private remember(result: CommandResult): CommandResult {
    if (result.appended) this.last = result.appended;
    return result;
  }

  async run<A extends SingleStreamAggregateType>(
    aggregate: A,
    command: Timeless<CommandOf<A>>,
    at: string,
  ): Promise<CommandResult> {
    const meta = this.metadata(at);
    const full = { ...command, now: meta.now } as CommandOf<A>;
    return this.remember(await this.commands.execute(aggregate, full, meta));
  }

  /** Runs a booking command; returns the id of the event of `type` it appended (for forfeiture causes). */
  async book(command: Timeless<BookingCommand>, at: string, type = 'booking.created'): Promise<string> {
    const meta = this.metadata(at);
    const result = this.remember(
      await this.commands.book({ ...command, now: meta.now } as BookingCommand, meta),
    );
    const index = result.events.findIndex((event) => event.type === type);
    if (index < 0) throw new Error(`no ${type} appended`);
    return meta.eventIdFor(index);
  }

  async deposit(
    paymentId: string,
    bookingId: string,
    patientId: string,
    branchId: string,
    amount: number,
    method: PaymentMethod,
    at: string,
  ) {
    await this.run(
      'payment',
      {
        type: 'PayDeposit',
        paymentId,
        payer: { patientId, branchId, bookingId },
        amount: inr(amount),
        method,
        pricingPolicy: { policyId: 'pp-1', version: 1 },
        transactionRef: null,
      },
      at,
    );
  }

  async balance(
    paymentId: string,
    payer: { patientId: string; branchId: string; bookingId: string },
    amount: number,
    method: PaymentMethod,
    at: string,
  ) {
    await this.run(
      'payment',
      { type: 'PayBalance', paymentId, payer, amount: inr(amount), method, transactionRef: null },
      at,
    );
  }

  /** A TPA claim for a visit, payer tpa-1. */
  async claim(
    claimId: string,
    patientId: string,
    policyNumber: string,
    visitId: string,
    claimed: number,
    at: string,
  ) {
    await this.run(
      'claim',
      {
        type: 'CreateClaim',
        claimId,
        patientId,
        payerId: 'tpa-1',
        policyNumber,
        episode: { kind: 'visit', visitId },
        claimed: inr(claimed),
        diagnosisSummary: null,
      },
      at,
    );
  }

  async visit(
    visitId: string,
    party: { bookingId: string; patientId: string; doctorId: string; branchId: string; tele: boolean },
    times: readonly [string, string, string],
  ) {
    await this.run('visit', { type: 'RecordArrival', visitId, ...party }, times[0]);
    await this.run('visit', { type: 'StartVisit', visitId }, times[1]);
    await this.run('visit', { type: 'CompleteVisit', visitId, notes: 'seen' }, times[2]);
  }

  async reconcile(
    branchId: string,
    businessDate: string,
    figures: readonly (readonly [PaymentMethod, number, number])[],
    at: string,
    close: { settle: boolean; varianceReason?: 'cash_short' },
  ) {
    const reconciliationId = `${branchId}:${businessDate}`;
    await this.run(
      'reconciliation',
      { type: 'OpenReconciliation', reconciliationId, branchId, businessDate, currency: 'INR' },
      at,
    );
    for (const [method, expected, collected] of figures) {
      await this.run(
        'reconciliation',
        {
          type: 'RecordFigures',
          reconciliationId,
          method,
          expected: inr(expected),
          collected: inr(collected),
        },
        at,
      );
    }
    if (close.varianceReason)
      await this.run(
        'reconciliation',
        { type: 'RecordVariance', reconciliationId, reasonCode: close.varianceReason },
        at,
      );
    if (close.settle)
      await this.run('reconciliation', { type: 'SettleReconciliation', reconciliationId }, at);
  }
}

export interface FinanceHistory {
  readonly tenantId: string;
  readonly commands: CommandService;
  /** The last append: wait for it to know a projection has seen the whole history. */
  readonly last: AppendResult;
}

/** Setup beyond buildClinic: a second branch with its own doctor, and two more patients. */
async function addSecondBranch(history: HistoryWriter): Promise<void> {
  const at = HISTORY_SETUP.toISOString();
  await history.run(
    'branch',
    { type: 'AddBranch', branchId: 'br-2', name: 'Koramangala', pricingPolicyId: 'pp-1' },
    at,
  );
  await history.run(
    'doctor',
    {
      type: 'OnboardDoctor',
      doctorId: 'dr-2',
      name: 'Dr. Kiran Rao',
      registrationNumber: 'KMC-220871',
      specialties: ['dermatology'],
      timeZone: 'Asia/Kolkata',
    },
    at,
  );
  const branch = (await history.commands.state(history.tenantId, 'branch', 'br-2')).state;
  await history.run(
    'doctor',
    { type: 'AssignDoctorToBranch', doctorId: 'dr-2', branchId: 'br-2', branch } as never,
    at,
  );
  await history.run(
    'doctor',
    {
      type: 'UpdateDoctorAvailability',
      doctorId: 'dr-2',
      branchId: 'br-2',
      windows: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '13:00', slotMinutes: 15 })),
    },
    at,
  );
  for (const [patientId, name] of [
    ['pt-2', 'Ravi Kumar'],
    ['pt-3', 'Lata Menon'],
  ] as const) {
    await history.run(
      'patient',
      {
        type: 'RegisterPatient',
        patientId,
        name,
        phone: '+919800000000',
        email: null,
        birthDate: '1990-01-01',
        gender: 'undisclosed',
        address: null,
        abhaNumber: null,
        abhaAddress: null,
        notes: null,
      },
      at,
    );
  }
}

/** Writes the whole history into `tenantId` (a fresh tenant). */
export async function writeFinanceHistory(
  engine: Engine,
  tenantId: string,
  masterKeys = testMasterKeys(),
): Promise<FinanceHistory> {
  const commands = await buildClinic(engine, tenantId, masterKeys);
  const h = new HistoryWriter(commands, tenantId);
  await addSecondBranch(h);

  const booking = (
    bookingId: string,
    patientId: string,
    doctorId: string,
    branchId: string,
    start: string,
    extra: Partial<BookingCommand> = {},
  ) =>
    ({
      type: 'CreateBooking',
      bookingId,
      patientId,
      doctorId,
      branchId,
      channel: 'staff_console',
      consultationType: 'in_person',
      slot: { date: '2026-12-07', start },
      reasonForVisit: null,
      portalRequestId: null,
      ...extra,
    }) as Timeless<BookingCommand>;

  /** A patient cancelling a booking. */
  const cancel = {
    type: 'CancelBooking',
    initiatedBy: 'patient',
    reasonCode: 'patient_request',
    portalRequestId: null,
  } as const;

  // Tuesday 2026-12-01, 11:30 IST: bookings and deposits.
  const day1 = '2026-12-01T06:00:00.000Z';
  await h.book(booking('bk-1', 'pt-1', 'dr-1', 'br-1', '09:00'), day1);
  await h.deposit('pay-1', 'bk-1', 'pt-1', 'br-1', 20_000, 'upi', day1);
  await h.book(booking('bk-2', 'pt-2', 'dr-1', 'br-1', '09:15'), day1);
  await h.deposit('pay-2', 'bk-2', 'pt-2', 'br-1', 20_000, 'card', day1);
  await h.book(booking('bk-3', 'pt-3', 'dr-1', 'br-1', '09:30'), day1);
  await h.book(booking('bk-4', 'pt-2', 'dr-2', 'br-2', '10:00'), day1);
  await h.deposit('pay-4', 'bk-4', 'pt-2', 'br-2', 20_000, 'cash', day1);
  await h.book(
    booking('bk-5', 'pt-3', 'dr-2', 'br-2', '11:00', { channel: 'tele_prepay', consultationType: 'tele' }),
    day1,
  );
  await h.deposit('pay-5', 'bk-5', 'pt-3', 'br-2', 50_000, 'upi', day1);
  await h.book(booking('bk-7', 'pt-1', 'dr-2', 'br-2', '12:00'), day1);
  await h.deposit('pay-7', 'bk-7', 'pt-1', 'br-2', 20_000, 'card', day1);
  const day1Close = '2026-12-01T13:00:00.000Z';
  await h.reconcile('br-1', '2026-12-01', [['upi', 20_000, 20_000]], day1Close, { settle: false });
  await h.reconcile(
    'br-2',
    '2026-12-01',
    [
      ['cash', 20_000, 20_000],
      ['upi', 50_000, 50_000],
      ['card', 20_000, 20_000],
    ],
    day1Close,
    { settle: true },
  );

  // 2026-12-02: bk-7 cancelled in time, its deposit refunded.
  const day2 = '2026-12-02T05:00:00.000Z';
  await h.book({ ...cancel, bookingId: 'bk-7' }, day2, 'booking.cancelled');
  await h.run(
    'payment',
    {
      type: 'RequestRefund',
      paymentId: 'pay-7',
      refundId: 'r-7',
      amount: inr(20_000),
      reasonCode: 'cancelled_in_time',
      note: null,
    },
    day2,
  );
  await h.run(
    'payment',
    { type: 'IssueRefund', paymentId: 'pay-7', refundId: 'r-7', transactionRef: 'rf-7' },
    day2,
  );

  // Sunday 2026-12-06, 14:00 IST: two late cancellations; only bk-2 had a deposit to keep.
  const lateAt = '2026-12-06T08:30:00.000Z';
  const bk2Cancelled = await h.book({ ...cancel, bookingId: 'bk-2' }, lateAt, 'booking.cancelled');
  await h.run(
    'payment',
    {
      type: 'ForfeitDeposit',
      paymentId: 'pay-2',
      amount: 'whole_deposit',
      cause: {
        kind: 'late_cancellation',
        bookingId: 'bk-2',
        causeEventId: bk2Cancelled,
        cancelledAt: lateAt,
        slotStartsAt: '2026-12-07T03:45:00.000Z',
      },
    },
    lateAt,
  );
  await h.book({ ...cancel, bookingId: 'bk-3' }, lateAt, 'booking.cancelled');

  // Monday 2026-12-07.
  await h.visit(
    'v-1',
    { bookingId: 'bk-1', patientId: 'pt-1', doctorId: 'dr-1', branchId: 'br-1', tele: false },
    ['2026-12-07T03:25:00.000Z', '2026-12-07T03:35:00.000Z', '2026-12-07T03:50:00.000Z'],
  );
  await h.run(
    'visit',
    { type: 'ScheduleFollowUp', visitId: 'v-1', followUpId: 'fu-1', dueOn: '2026-12-21', reason: null },
    '2026-12-07T03:52:00.000Z',
  );
  await h.balance(
    'pay-1',
    { patientId: 'pt-1', branchId: 'br-1', bookingId: 'bk-1' },
    60_000,
    'card',
    '2026-12-07T03:55:00.000Z',
  );
  const noShowAt = '2026-12-07T05:00:00.000Z';
  await h.run(
    'visit',
    {
      type: 'RecordNoShow',
      visitId: 'v-4',
      bookingId: 'bk-4',
      patientId: 'pt-2',
      doctorId: 'dr-2',
      branchId: 'br-2',
      slotStartsAt: '2026-12-07T04:30:00.000Z',
    },
    noShowAt,
  );
  await h.book({ type: 'MarkBookingNoShow', bookingId: 'bk-4' }, noShowAt, 'booking.no_show');
  await h.run(
    'payment',
    {
      type: 'ForfeitDeposit',
      paymentId: 'pay-4',
      amount: 'whole_deposit',
      cause: {
        kind: 'no_show',
        bookingId: 'bk-4',
        visitId: 'v-4',
        causeEventId: deterministicUuid('no-show', tenantId, 'v-4'),
        slotStartsAt: '2026-12-07T04:30:00.000Z',
      },
    },
    noShowAt,
  );
  await h.visit(
    'v-5',
    { bookingId: 'bk-5', patientId: 'pt-3', doctorId: 'dr-2', branchId: 'br-2', tele: true },
    ['2026-12-07T05:28:00.000Z', '2026-12-07T05:30:00.000Z', '2026-12-07T05:45:00.000Z'],
  );
  await h.run(
    'visit',
    { type: 'ScheduleFollowUp', visitId: 'v-5', followUpId: 'fu-5', dueOn: '2026-12-14', reason: null },
    '2026-12-07T05:46:00.000Z',
  );
  await h.book(
    {
      ...booking('bk-6', 'pt-3', 'dr-2', 'br-2', '09:00'),
      slot: { date: '2026-12-14', start: '09:00' },
    } as Timeless<BookingCommand>,
    '2026-12-07T08:00:00.000Z',
  );
  await h.claim('cl-1', 'pt-1', 'POL-1', 'v-1', 80_000, '2026-12-07T10:00:00.000Z');
  await h.claim('cl-2', 'pt-3', 'POL-3', 'v-5', 50_000, '2026-12-07T10:05:00.000Z');
  const day7Close = '2026-12-07T12:00:00.000Z';
  await h.reconcile(
    'br-1',
    '2026-12-07',
    [
      ['card', 60_000, 60_000],
      ['cash', 10_000, 9_500],
    ],
    day7Close,
    { settle: true, varianceReason: 'cash_short' },
  );
  await h.reconcile('br-2', '2026-12-07', [['cash', 5_000, 5_000]], day7Close, { settle: true });

  // The following days.
  await h.run(
    'payment',
    {
      type: 'RequestRefund',
      paymentId: 'pay-5',
      refundId: 'r-5',
      amount: inr(5_000),
      reasonCode: 'goodwill',
      note: 'call dropped twice',
    },
    '2026-12-08T06:00:00.000Z',
  );
  await h.run(
    'claim',
    { type: 'SubmitClaim', claimId: 'cl-1', payerReference: null },
    '2026-12-08T10:00:00.000Z',
  );
  await h.run(
    'claim',
    { type: 'SubmitClaim', claimId: 'cl-2', payerReference: null },
    '2026-12-08T10:05:00.000Z',
  );
  await h.run(
    'payment',
    { type: 'OpenDispute', paymentId: 'pay-1', disputeId: 'd-1', amount: inr(60_000), reasonCode: '4853' },
    '2026-12-09T06:00:00.000Z',
  );
  await h.run(
    'payment',
    {
      type: 'ResolveDispute',
      paymentId: 'pay-1',
      disputeId: 'd-1',
      outcome: 'partial',
      amountReturned: inr(10_000),
    },
    '2026-12-12T06:00:00.000Z',
  );
  await h.visit(
    'v-6',
    { bookingId: 'bk-6', patientId: 'pt-3', doctorId: 'dr-2', branchId: 'br-2', tele: false },
    ['2026-12-14T03:25:00.000Z', '2026-12-14T03:30:00.000Z', '2026-12-14T03:45:00.000Z'],
  );
  await h.run(
    'visit',
    { type: 'CompleteFollowUp', visitId: 'v-5', followUpId: 'fu-5', fulfilledByVisitId: 'v-6' },
    '2026-12-14T03:46:00.000Z',
  );
  await h.balance(
    'pay-6',
    { patientId: 'pt-3', branchId: 'br-2', bookingId: 'bk-6' },
    80_000,
    'cash',
    '2026-12-14T03:50:00.000Z',
  );
  await h.run(
    'payment',
    { type: 'OpenDispute', paymentId: 'pay-6', disputeId: 'd-6', amount: inr(80_000), reasonCode: '4837' },
    '2026-12-15T06:00:00.000Z',
  );
  await h.run(
    'claim',
    { type: 'DenyClaim', claimId: 'cl-2', reasonCode: 'NOT_COVERED', note: null },
    '2026-12-18T10:00:00.000Z',
  );
  await h.run(
    'claim',
    { type: 'SettleClaim', claimId: 'cl-1', settled: inr(70_000), payerReference: 'TPA-9' },
    '2026-12-20T10:00:00.000Z',
  );

  if (!h.last) throw new Error('the history appended nothing');
  return { tenantId, commands, last: h.last };
}
