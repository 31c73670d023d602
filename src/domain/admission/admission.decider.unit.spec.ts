import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definitionProblems, given } from '../shared/testing/decider-harness.ts';
import type { AdmissionCommand, AdtOrder } from './commands.ts';
import { admissionDecider } from './decider.ts';
import { events, type AdmissionEvent } from './events.ts';

const now = new Date('2026-11-27T10:00:00.000Z');
const at = now.toISOString();
const bed = (wardId: string, bedId: string) => ({ wardId, bedId });

const order = (orderId: string, adtOrder: AdtOrder): AdmissionCommand => ({
  type: 'SubmitAdtOrder',
  admissionId: 'a1',
  orderId,
  order: adtOrder,
  orderedBy: 'd1',
  encounterId: 'enc1',
  reason: 'needs observation',
  now,
});
const admit = (orderId: string | null, patientId = 'p1'): AdmissionCommand => ({
  type: 'AdmitPatient',
  admissionId: 'a1',
  patientId,
  branchId: 'br1',
  attendingDoctorId: 'd1',
  location: bed('W1', 'B1'),
  orderId,
  admittingDiagnosis: 'dengue',
  now,
});
const transfer = (
  to: { wardId: string; bedId: string },
  orderId: string | null = null,
): AdmissionCommand => ({
  type: 'TransferPatient',
  admissionId: 'a1',
  to,
  orderId,
  reason: null,
  now,
});
const discharge = (orderId: string | null = null): AdmissionCommand => ({
  type: 'DischargePatient',
  admissionId: 'a1',
  disposition: 'home',
  orderId,
  summary: 'recovered',
  now,
});
const admitted: AdmissionEvent = {
  type: 'admission.admitted',
  data: {
    admissionId: 'a1',
    patientId: 'p1',
    branchId: 'br1',
    attendingDoctorId: 'd1',
    location: bed('W1', 'B1'),
    orderId: null,
    admittingDiagnosis: 'dengue',
    admittedAt: at,
  },
};

function history(...commands: AdmissionCommand[]): AdmissionEvent[] {
  return commands.reduce<AdmissionEvent[]>(
    (past, command) => [...past, ...given(admissionDecider, past).when(command)],
    [],
  );
}

describe('admission decider', () => {
  it('registers its events with the patient as subject of the clinical text', () => {
    assert.deepEqual(definitionProblems(events, 'admission'), []);
  });

  it('admits without an order (emergency)', () => {
    assert.deepEqual(given(admissionDecider, []).when(admit(null)), [admitted]);
  });

  it('starts the stream with an admit order that the admission then fulfils', () => {
    const ordered = given(admissionDecider, []).when(order('o1', { kind: 'admit', patientId: 'p1' }));
    assert.deepEqual(ordered, [
      {
        type: 'adt.order.submitted',
        data: {
          admissionId: 'a1',
          orderId: 'o1',
          kind: 'admit',
          patientId: 'p1',
          orderedBy: 'd1',
          encounterId: 'enc1',
          toWardId: null,
          reason: 'needs observation',
          submittedAt: at,
        },
      },
    ]);
    assert.deepEqual(given(admissionDecider, ordered).when(admit('o1')), [
      { ...admitted, data: { ...admitted.data, orderId: 'o1' } },
    ]);
    assert.throws(() => given(admissionDecider, ordered).when(admit('o1', 'p2')), {
      code: 'ADMISSION_PATIENT_MISMATCH',
    });
    assert.throws(
      () => given(admissionDecider, ordered).when(order('o2', { kind: 'admit', patientId: 'p1' })),
      {
        code: 'ADT_ORDER_ALREADY_PENDING',
      },
    );
  });

  it('accepts admit orders only before admission, and transfer or discharge orders only while admitted', () => {
    assert.throws(
      () => given(admissionDecider, [admitted]).when(order('o1', { kind: 'admit', patientId: 'p1' })),
      {
        code: 'INVALID_TRANSITION',
        facts: { aggregateType: 'admission', status: 'admitted', command: 'SubmitAdtOrder' },
      },
    );
    assert.throws(() => given(admissionDecider, []).when(order('o1', { kind: 'discharge' })), {
      code: 'INVALID_TRANSITION',
    });
    assert.throws(() => given(admissionDecider, []).when(transfer(bed('W2', 'B1'))), {
      code: 'INVALID_TRANSITION',
    });
  });

  it('transfers between beds, recording where from', () => {
    const [moved] = given(admissionDecider, [admitted]).when(transfer(bed('ICU', 'B3')));
    assert.deepEqual(moved?.data, {
      admissionId: 'a1',
      patientId: 'p1',
      from: bed('W1', 'B1'),
      to: bed('ICU', 'B3'),
      orderId: null,
      reason: null,
      transferredAt: at,
    });
    assert.throws(() => given(admissionDecider, [admitted]).when(transfer(bed('W1', 'B1'))), {
      code: 'TRANSFER_TO_SAME_BED',
    });
  });

  it('fulfils a transfer order once, to the ward it named', () => {
    const past = history(admit(null), order('o1', { kind: 'transfer', toWardId: 'ICU' }));
    assert.throws(() => given(admissionDecider, past).when(transfer(bed('W2', 'B1'), 'o1')), {
      code: 'ADT_ORDER_TARGET_MISMATCH',
    });
    assert.throws(() => given(admissionDecider, past).when(discharge('o1')), {
      code: 'ADT_ORDER_KIND_MISMATCH',
    });
    assert.throws(() => given(admissionDecider, past).when(transfer(bed('ICU', 'B1'), 'o9')), {
      code: 'ADT_ORDER_NOT_FOUND',
    });
    const moved = [...past, ...given(admissionDecider, past).when(transfer(bed('ICU', 'B1'), 'o1'))];
    assert.throws(() => given(admissionDecider, moved).when(transfer(bed('ICU', 'B2'), 'o1')), {
      code: 'ADT_ORDER_NOT_PENDING',
    });
    assert.throws(() => given(admissionDecider, moved).when(order('o1', { kind: 'discharge' })), {
      code: 'ADT_ORDER_DUPLICATE',
    });
    assert.equal(
      given(admissionDecider, moved).when(order('o2', { kind: 'transfer', toWardId: 'W1' })).length,
      1,
    );
  });

  it('discharges once; nothing is accepted afterwards', () => {
    const past = history(admit(null), order('o1', { kind: 'discharge' }));
    const [event] = given(admissionDecider, past).when(discharge('o1'));
    assert.deepEqual(event?.data, {
      admissionId: 'a1',
      patientId: 'p1',
      from: bed('W1', 'B1'),
      disposition: 'home',
      orderId: 'o1',
      summary: 'recovered',
      dischargedAt: at,
    });
    const done = [...past, ...(event ? [event] : [])];
    for (const command of [
      admit(null),
      transfer(bed('W2', 'B2')),
      discharge(),
      order('o2', { kind: 'transfer', toWardId: 'W2' }),
    ]) {
      assert.throws(() => given(admissionDecider, done).when(command), { code: 'INVALID_TRANSITION' });
    }
  });
});
