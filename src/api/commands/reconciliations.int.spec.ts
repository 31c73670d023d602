import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../../store/testing/test-engines.ts';
import { honoursCommandContract } from './testing/command-endpoint-contract.ts';
import { openCareTestbed, type CareTestbed } from './testing/care-and-finance-testbed.ts';

const inr = (amountMinor: number) => ({ amountMinor, currency: 'INR' });
const day = '/v1/branches/br-1/reconciliations/2026-12-07';
const forbidden = ['desk', 'admin', 'auditor', 'gateway'] as const;
const figures = { method: 'cash', expected: inr(50_000), collected: inr(48_000) };

describeEachEngine('reconciliation command endpoints', (db, kind) => {
  let bed: CareTestbed;
  before(async () => {
    bed = await openCareTestbed(db().engine, `reconciliation-${kind}`);
  });
  after(() => bed.close());

  honoursCommandContract(() => bed, {
    title: 'finance opens a branch’s business day',
    caller: 'finance',
    url: day,
    body: { currency: 'INR' },
    stream: ['reconciliation', 'br-1:2026-12-07'],
    creates: true,
    events: ['reconciliation.opened'],
    forbidden,
    invalid: { url: '/v1/branches/br-1/reconciliations/2026-13-01', field: 'businessDate' },
    refusal: { code: 'INVALID_TRANSITION' },
  });

  it('refuses a currency that is not ISO 4217, naming it', async () => {
    const response = await bed.post('finance', '/v1/branches/br-1/reconciliations/2026-12-08', {
      currency: 'rupees',
    });
    assert.deepEqual([response.statusCode, response.json().field], [400, 'currency']);
  });

  honoursCommandContract(() => bed, {
    title: 'record a method’s figures',
    caller: 'finance',
    url: `${day}/figures`,
    body: figures,
    stream: ['reconciliation', 'br-1:2026-12-07'],
    creates: false,
    events: ['reconciliation.figures.recorded'],
    forbidden,
    invalid: { body: { ...figures, method: 'cheque' }, field: 'method' },
    refusal: {
      body: { ...figures, collected: { amountMinor: 0, currency: 'USD' } },
      code: 'CURRENCY_MISMATCH',
    },
  });

  honoursCommandContract(() => bed, {
    title: 'explain the variance',
    caller: 'finance',
    url: `${day}/variance`,
    body: { reasonCode: 'cash_short' },
    stream: ['reconciliation', 'br-1:2026-12-07'],
    creates: false,
    events: ['reconciliation.variance.recorded'],
    forbidden,
    invalid: { body: { reasonCode: 'oops' }, field: 'reasonCode' },
    refusal: { url: `${day}/settle`, body: {}, code: 'RECONCILIATION_VARIANCE_UNEXPLAINED', before: true },
  });

  honoursCommandContract(() => bed, {
    title: 'settle the day',
    caller: 'finance',
    url: `${day}/settle`,
    stream: ['reconciliation', 'br-1:2026-12-07'],
    creates: false,
    events: ['reconciliation.settled'],
    forbidden,
    invalid: { url: '/v1/branches/br%201/reconciliations/2026-12-07/settle', field: 'branchId' },
    refusal: { code: 'INVALID_TRANSITION' },
  });

  it('settles with the day’s totals, the variance and its reason, in the branch’s slice', async () => {
    const payload = await bed.payloadOf('reconciliation', 'br-1:2026-12-07', 'reconciliation.settled');
    assert.deepEqual(
      [payload['expected'], payload['collected'], payload['variance'], payload['varianceReasonCode']],
      [inr(50_000), inr(48_000), inr(-2_000), 'cash_short'],
    );
    const events = await bed.events('reconciliation', 'br-1:2026-12-07');
    assert.deepEqual(new Set(events.map((event) => event.branchId)), new Set(['br-1']));
  });
});
