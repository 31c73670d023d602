import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../../store/testing/test-engines.ts';
import { honoursCommandContract } from './testing/command-endpoint-contract.ts';
import { openCareTestbed, type CareTestbed } from './testing/care-and-finance-testbed.ts';

const forbidden = ['finance', 'auditor', 'pt1', 'gateway'] as const;
const admission = {
  patientId: 'pt-1',
  branchId: 'br-1',
  attendingDoctorId: 'dr-1',
  location: { wardId: 'ward-3', bedId: 'bed-12' },
  orderId: 'o-1',
  admittingDiagnosis: 'community-acquired pneumonia',
};

describeEachEngine('admission (ADT) command endpoints', (db, kind) => {
  let bed: CareTestbed;
  before(async () => {
    bed = await openCareTestbed(db().engine, `admissions-${kind}`);
  });
  after(() => bed.close());

  honoursCommandContract(() => bed, {
    title: 'a doctor orders an admission',
    caller: 'doctor',
    url: '/v1/admissions/ad-1/orders/o-1',
    body: { order: { kind: 'admit', patientId: 'pt-1' }, orderedBy: 'dr-1', reason: 'hypoxia on room air' },
    stream: ['admission', 'ad-1'],
    creates: false,
    events: ['adt.order.submitted'],
    forbidden,
    invalid: { body: { order: { kind: 'readmit' }, orderedBy: 'dr-1' }, field: 'order.kind' },
    refusal: {
      url: '/v1/admissions/ad-1/orders/o-2',
      body: { order: { kind: 'admit', patientId: 'pt-1' }, orderedBy: 'dr-1' },
      code: 'ADT_ORDER_ALREADY_PENDING',
    },
  });

  it('takes If-Match "0" as "the admission does not exist yet"', async () => {
    const order = { order: { kind: 'admit', patientId: 'pt-2' }, orderedBy: 'dr-1' };
    const fresh = await bed.post('doctor', '/v1/admissions/ad-2/orders/o-1', order, { 'if-match': '"0"' });
    assert.deepEqual([fresh.statusCode, fresh.headers['etag']], [200, '"1"']);
    const taken = await bed.post('doctor', '/v1/admissions/ad-2/orders/o-9', order, { 'if-match': '"0"' });
    assert.deepEqual([taken.statusCode, taken.json().actual], [412, 1]);
  });

  honoursCommandContract(() => bed, {
    title: 'the front desk admits the patient to a bed',
    caller: 'desk',
    url: '/v1/admissions/ad-1/admit',
    body: admission,
    stream: ['admission', 'ad-1'],
    creates: false,
    events: ['admission.admitted'],
    forbidden,
    invalid: { body: { ...admission, location: { wardId: 'ward-3' } }, field: 'location.bedId' },
    refusal: { body: { ...admission, patientId: 'pt-2' }, code: 'ADMISSION_PATIENT_MISMATCH', before: true },
  });

  honoursCommandContract(() => bed, {
    title: 'transfer the patient',
    caller: 'desk',
    url: '/v1/admissions/ad-1/transfer',
    body: { to: { wardId: 'icu', bedId: 'icu-2' }, reason: 'worsening saturation' },
    stream: ['admission', 'ad-1'],
    creates: false,
    events: ['admission.transferred'],
    forbidden,
    invalid: { body: { reason: 'no destination' }, field: 'to' },
    refusal: { code: 'TRANSFER_TO_SAME_BED' },
  });

  honoursCommandContract(() => bed, {
    title: 'a doctor discharges the patient',
    caller: 'doctor',
    url: '/v1/admissions/ad-1/discharge',
    body: { disposition: 'home', summary: 'afebrile 48 h, oral antibiotics' },
    stream: ['admission', 'ad-1'],
    creates: false,
    events: ['admission.discharged'],
    forbidden,
    invalid: { body: { disposition: 'hotel' }, field: 'disposition' },
    refusal: { code: 'INVALID_TRANSITION' },
  });
});
