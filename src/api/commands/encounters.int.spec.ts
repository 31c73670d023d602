import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../../store/testing/test-engines.ts';
import { honoursCommandContract } from './testing/command-endpoint-contract.ts';
import { openCareTestbed, type CareTestbed } from './testing/care-and-finance-testbed.ts';

const forbidden = ['desk', 'finance', 'auditor', 'pt1'] as const;
const encounter = {
  patientId: 'pt-1',
  doctorId: 'dr-1',
  branchId: 'br-1',
  setting: 'opd',
  visitId: 'v-1',
};
const referral = {
  toProvider: 'City Cardiac Centre',
  specialty: 'cardiology',
  urgency: 'urgent',
  reason: 'exertional chest pain',
};

describeEachEngine('encounter command endpoints (clinical signals)', (db, kind) => {
  let bed: CareTestbed;
  before(async () => {
    bed = await openCareTestbed(db().engine, `encounters-${kind}`);
  });
  after(() => bed.close());

  honoursCommandContract(() => bed, {
    title: 'a doctor opens an encounter for a visit',
    caller: 'doctor',
    url: '/v1/encounters/en-1',
    body: encounter,
    stream: ['encounter', 'en-1'],
    creates: true,
    events: ['encounter.opened'],
    forbidden,
    invalid: { body: { ...encounter, setting: 'icu' }, field: 'setting' },
    refusal: {
      url: '/v1/encounters/en-2',
      body: { ...encounter, visitId: null },
      code: 'ENCOUNTER_CONTEXT_MISSING',
      before: true,
    },
  });

  honoursCommandContract(() => bed, {
    title: 'start a treatment plan',
    caller: 'doctor',
    url: '/v1/encounters/en-1/treatment-plans/tp-1',
    body: { planCode: 'HTN-STEP-1', summary: 'amlodipine 5 mg, recheck in 2 weeks' },
    stream: ['encounter', 'en-1'],
    creates: false,
    events: ['treatment.plan.started'],
    forbidden,
    invalid: { body: { summary: '' }, field: 'summary' },
    refusal: { code: 'TREATMENT_PLAN_DUPLICATE' },
  });

  honoursCommandContract(() => bed, {
    title: 'record a care-path step',
    caller: 'doctor',
    url: '/v1/encounters/en-1/care-paths/cp-htn/steps',
    body: { step: 'titration', note: 'home BP diary reviewed' },
    stream: ['encounter', 'en-1'],
    creates: false,
    events: ['carepath.updated'],
    forbidden,
    invalid: { body: { step: 'step two!' }, field: 'step' },
    refusal: { url: '/v1/encounters/en-never/care-paths/cp-htn/steps', code: 'INVALID_TRANSITION' },
  });

  honoursCommandContract(() => bed, {
    title: 'refer the patient out',
    caller: 'doctor',
    url: '/v1/encounters/en-1/referrals/ref-1',
    body: referral,
    stream: ['encounter', 'en-1'],
    creates: false,
    events: ['referral.outbound'],
    forbidden,
    invalid: { body: { ...referral, urgency: 'asap' }, field: 'urgency' },
    refusal: { code: 'REFERRAL_DUPLICATE' },
  });

  honoursCommandContract(() => bed, {
    title: 'close the encounter',
    caller: 'doctor',
    url: '/v1/encounters/en-1/close',
    body: { summary: 'stable; follow up in OPD' },
    stream: ['encounter', 'en-1'],
    creates: false,
    events: ['encounter.closed'],
    forbidden,
    invalid: { body: { summary: 7 }, field: 'summary' },
    refusal: { code: 'INVALID_TRANSITION' },
  });

  it('accepts no clinical signal once the encounter is closed', async () => {
    const response = await bed.post('doctor', '/v1/encounters/en-1/referrals/ref-2', referral);
    assert.deepEqual([response.statusCode, response.json().code], [409, 'INVALID_TRANSITION']);
  });

  it('never stores clinical text in plaintext', async () => {
    const stored = JSON.stringify(await bed.events('encounter', 'en-1'));
    assert.doesNotMatch(stored, /amlodipine|diary|chest pain|follow up in OPD/);
  });
});
