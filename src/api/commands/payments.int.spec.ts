import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../../store/testing/test-engines.ts';
import { honoursCommandContract } from './testing/command-endpoint-contract.ts';
import { openCareTestbed, type CareTestbed } from './testing/care-and-finance-testbed.ts';

const inr = (amountMinor: number) => ({ amountMinor, currency: 'INR' });
const payer = { patientId: 'pt-1', branchId: 'br-1', bookingId: 'bk-1' };
const deposit = {
  payer,
  amount: inr(20_000),
  method: 'upi',
  pricingPolicy: { policyId: 'pp-1', version: 1 },
  transactionRef: 'UPI-778899',
};
const refunders = ['desk', 'auditor', 'pt1', 'gateway'] as const;

describeEachEngine('payment command endpoints', (db, kind) => {
  let bed: CareTestbed;
  before(async () => {
    bed = await openCareTestbed(db().engine, `payments-${kind}`);
  });
  after(() => bed.close());

  it('lets a patient pay only for their own bookings, and anyone pay a booking only for its patient', async () => {
    const cases = [
      ['pt2', { ...deposit, payer: { ...payer, patientId: 'pt-2' } }, 403, 'NOT_OWN_RECORD'],
      ['pt2', deposit, 403, 'NOT_OWN_RECORD'],
      ['pt1', { ...deposit, payer: { ...payer, bookingId: 'bk-unknown' } }, 403, 'NOT_OWN_RECORD'],
      ['desk', { ...deposit, payer: { ...payer, patientId: 'pt-2' } }, 409, 'BOOKING_OF_ANOTHER_PATIENT'],
    ] as const;
    const count = await bed.eventCount();
    for (const [caller, body, status, code] of cases) {
      const response = await bed.post(caller, '/v1/payments/pay-x/deposit', body);
      assert.deepEqual(
        [response.statusCode, response.json().code],
        [status, code],
        `${caller} ${response.body}`,
      );
    }
    assert.equal(await bed.eventCount(), count);
  });

  honoursCommandContract(() => bed, {
    title: 'a patient pays the deposit of their booking',
    caller: 'pt1',
    url: '/v1/payments/pay-1/deposit',
    body: deposit,
    stream: ['payment', 'pay-1'],
    creates: true,
    events: ['payment.deposit.paid'],
    forbidden: ['auditor', 'finance', 'doctor'],
    invalid: {
      body: { ...deposit, amount: { amountMinor: 200.5, currency: 'INR' } },
      field: 'amount.amountMinor',
    },
    refusal: { code: 'DEPOSIT_ALREADY_PAID' },
  });

  it('records the deposit under its pricing policy version, in integer paise', async () => {
    const paid = await bed.payloadOf('payment', 'pay-1', 'payment.deposit.paid');
    assert.deepEqual(
      [paid['amount'], paid['pricingPolicy'], paid['bookingId'], paid['patientId']],
      [inr(20_000), { policyId: 'pp-1', version: 1 }, 'bk-1', 'pt-1'],
    );
  });

  honoursCommandContract(() => bed, {
    title: 'the front desk takes the balance',
    caller: 'desk',
    url: '/v1/payments/pay-1/balance',
    body: { payer, amount: inr(60_000), method: 'card' },
    stream: ['payment', 'pay-1'],
    creates: false,
    events: ['payment.balance.paid'],
    forbidden: ['auditor', 'finance', 'doctor'],
    invalid: {
      body: { payer, amount: { amountMinor: 100, currency: 'inr' }, method: 'card' },
      field: 'amount.currency',
    },
    refusal: {
      body: { payer, amount: { amountMinor: 100, currency: 'USD' }, method: 'card' },
      code: 'CURRENCY_MISMATCH',
    },
  });

  honoursCommandContract(() => bed, {
    title: 'finance requests a refund',
    caller: 'finance',
    url: '/v1/payments/pay-1/refunds/rf-1',
    body: { amount: inr(30_000), reasonCode: 'overpayment', note: 'paid twice at the counter' },
    stream: ['payment', 'pay-1'],
    creates: false,
    events: ['payment.refund.requested'],
    forbidden: refunders,
    invalid: { body: { amount: inr(30_000), reasonCode: 'because' }, field: 'reasonCode' },
    // Paid 800.00, 300.00 reserved by rf-1: 600.00 is more than is left to refund.
    refusal: {
      url: '/v1/payments/pay-1/refunds/rf-2',
      body: { amount: inr(60_000), reasonCode: 'goodwill' },
      code: 'REFUND_EXCEEDS_REFUNDABLE',
    },
  });

  it('says how much can still be refunded when it refuses a refund', async () => {
    const response = await bed.post('finance', '/v1/payments/pay-1/refunds/rf-2', {
      amount: inr(60_000),
      reasonCode: 'goodwill',
    });
    assert.deepEqual(
      [response.json().requestedMinor, response.json().refundableMinor, response.json().currency],
      [60_000, 50_000, 'INR'],
    );
  });

  honoursCommandContract(() => bed, {
    title: 'finance issues the refund',
    caller: 'finance',
    url: '/v1/payments/pay-1/refunds/rf-1/issue',
    body: { transactionRef: 'NEFT-5521' },
    stream: ['payment', 'pay-1'],
    creates: false,
    events: ['payment.refund.issued'],
    forbidden: refunders,
    invalid: { body: { transactionRef: '' }, field: 'transactionRef' },
    refusal: { code: 'REFUND_NOT_OPEN' },
  });

  honoursCommandContract(() => bed, {
    title: 'finance refuses a refund',
    caller: 'finance',
    url: '/v1/payments/pay-1/refunds/rf-2/refuse',
    body: { reasonCode: 'not_eligible' },
    given: [
      {
        caller: 'finance',
        url: '/v1/payments/pay-1/refunds/rf-2',
        body: { amount: inr(10_000), reasonCode: 'goodwill' },
      },
    ],
    stream: ['payment', 'pay-1'],
    creates: false,
    events: ['payment.refund.refused'],
    forbidden: refunders,
    invalid: { body: { reasonCode: 'not eligible!' }, field: 'reasonCode' },
    refusal: { url: '/v1/payments/pay-1/refunds/rf-9/refuse', code: 'REFUND_NOT_FOUND' },
  });

  honoursCommandContract(() => bed, {
    title: 'finance records a chargeback',
    caller: 'finance',
    url: '/v1/payments/pay-1/disputes/dp-1',
    body: { amount: inr(20_000), reasonCode: '4837' },
    stream: ['payment', 'pay-1'],
    creates: false,
    events: ['payment.dispute.opened'],
    forbidden: refunders,
    invalid: { body: { amount: inr(-1), reasonCode: '4837' }, field: 'amount.amountMinor' },
    // Paid 800.00, refunded 300.00: the payer is out of pocket 500.00 at most.
    refusal: {
      body: { amount: inr(50_001), reasonCode: '4837' },
      code: 'DISPUTE_EXCEEDS_PAID',
      before: true,
    },
  });

  honoursCommandContract(() => bed, {
    title: 'finance resolves the chargeback',
    caller: 'finance',
    url: '/v1/payments/pay-1/disputes/dp-1/resolve',
    body: { outcome: 'partial', amountReturned: inr(5_000) },
    stream: ['payment', 'pay-1'],
    creates: false,
    events: ['payment.dispute.resolved'],
    forbidden: refunders,
    invalid: { body: { outcome: 'draw', amountReturned: inr(0) }, field: 'outcome' },
    refusal: {
      body: { outcome: 'lost', amountReturned: inr(5_000) },
      code: 'DISPUTE_OUTCOME_AMOUNT_MISMATCH',
      before: true,
    },
  });

  it('takes a walk-in’s balance as the first money of a payment (200, ETag "1"), from a gateway too', async () => {
    const walkIn = {
      payer: { ...payer, patientId: 'pt-2', bookingId: null },
      amount: inr(50_000),
      method: 'card',
    };
    const mine = await bed.post('pt1', '/v1/payments/pay-2/balance', walkIn);
    assert.deepEqual([mine.statusCode, mine.json().code], [403, 'NOT_OWN_RECORD']);
    const paid = await bed.post('gateway', '/v1/payments/pay-2/balance', walkIn);
    assert.deepEqual(
      [paid.statusCode, paid.headers['etag'], paid.json().events],
      [200, '"1"', ['payment.balance.paid']],
    );
    const other = await bed.post('desk', '/v1/payments/pay-2/balance', {
      ...walkIn,
      payer: { ...walkIn.payer, patientId: 'pt-1' },
    });
    assert.deepEqual([other.statusCode, other.json().code], [409, 'PAYMENT_PAYER_MISMATCH']);
  });

  it('has no route to forfeit a deposit: only a recorded late cancellation or no-show does that', async () => {
    const response = await bed.post('finance', '/v1/payments/pay-1/forfeit', { amount: inr(20_000) });
    assert.equal(response.statusCode, 404);
  });
});
