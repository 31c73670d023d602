import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../../store/testing/test-engines.ts';
import { honoursCommandContract } from './testing/command-endpoint-contract.ts';
import { openCareTestbed, type CareTestbed } from './testing/care-and-finance-testbed.ts';

const inr = (amountMinor: number) => ({ amountMinor, currency: 'INR' });
const claim = {
  patientId: 'pt-1',
  payerId: 'star-health',
  policyNumber: 'SH-2026-889911',
  episode: { kind: 'visit', visitId: 'v-1' },
  claimed: inr(80_000),
  diagnosisSummary: 'essential hypertension',
};
const forbidden = ['desk', 'doctor', 'auditor', 'pt1'] as const;

describeEachEngine('claim command endpoints', (db, kind) => {
  let bed: CareTestbed;
  before(async () => {
    bed = await openCareTestbed(db().engine, `claims-${kind}`);
  });
  after(() => bed.close());

  honoursCommandContract(() => bed, {
    title: 'draft a claim',
    caller: 'finance',
    url: '/v1/claims/cl-1',
    body: claim,
    stream: ['claim', 'cl-1'],
    creates: true,
    events: ['claim.created'],
    forbidden,
    invalid: { body: { ...claim, episode: { kind: 'surgery', visitId: 'v-1' } }, field: 'episode.kind' },
    refusal: { code: 'INVALID_TRANSITION' },
  });

  it('keeps the policy number and the diagnosis out of the stored payload', async () => {
    const created = await bed.payloadOf('claim', 'cl-1', 'claim.created');
    assert.doesNotMatch(JSON.stringify(created), /SH-2026-889911|hypertension/);
    assert.deepEqual(created['claimed'], inr(80_000));
  });

  honoursCommandContract(() => bed, {
    title: 'submit it to the payer',
    caller: 'finance',
    url: '/v1/claims/cl-1/submit',
    body: { payerReference: 'SH-REF-9' },
    stream: ['claim', 'cl-1'],
    creates: false,
    events: ['claim.submitted'],
    forbidden,
    invalid: { body: { payerReference: 42 }, field: 'payerReference' },
    refusal: { code: 'INVALID_TRANSITION' },
  });

  honoursCommandContract(() => bed, {
    title: 'record its settlement',
    caller: 'finance',
    url: '/v1/claims/cl-1/settle',
    body: { settled: inr(70_000) },
    stream: ['claim', 'cl-1'],
    creates: false,
    events: ['claim.settled'],
    forbidden,
    invalid: { body: { settled: inr(0) }, field: 'settled.amountMinor' },
    refusal: { body: { settled: inr(80_001) }, code: 'CLAIM_SETTLEMENT_EXCEEDS_CLAIM', before: true },
  });

  honoursCommandContract(() => bed, {
    title: 'record a denial',
    caller: 'finance',
    url: '/v1/claims/cl-2/deny',
    body: { reasonCode: 'NOT_COVERED', note: 'pre-existing condition' },
    given: [
      { caller: 'finance', url: '/v1/claims/cl-2', body: claim },
      { caller: 'finance', url: '/v1/claims/cl-2/submit', body: {} },
    ],
    stream: ['claim', 'cl-2'],
    creates: false,
    events: ['claim.denied'],
    forbidden,
    invalid: { body: { reasonCode: 'not covered' }, field: 'reasonCode' },
    refusal: { code: 'INVALID_TRANSITION' },
  });
});
