import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definitionProblems, given } from '../shared/testing/decider-harness.ts';
import type { EncounterCommand } from './commands.ts';
import { encounterDecider } from './decider.ts';
import { events, type EncounterEvent } from './events.ts';

const now = new Date('2026-11-27T10:00:00.000Z');
const at = now.toISOString();

const open: EncounterCommand = {
  type: 'OpenEncounter',
  encounterId: 'e1',
  patientId: 'p1',
  doctorId: 'd1',
  branchId: 'br1',
  setting: 'opd',
  visitId: 'v1',
  admissionId: null,
  now,
};
const opened: EncounterEvent = {
  type: 'encounter.opened',
  data: {
    encounterId: 'e1',
    patientId: 'p1',
    doctorId: 'd1',
    branchId: 'br1',
    setting: 'opd',
    visitId: 'v1',
    admissionId: null,
    openedAt: at,
  },
};
const startPlan: EncounterCommand = {
  type: 'StartTreatmentPlan',
  encounterId: 'e1',
  planId: 'plan1',
  planCode: 'DM2-STD',
  summary: 'metformin 500 mg, review HbA1c in 3 months',
  now,
};
const updateCarePath: EncounterCommand = {
  type: 'UpdateCarePath',
  encounterId: 'e1',
  carePathId: 'cp1',
  step: 'DIET_COUNSELLING',
  note: null,
  now,
};
const referOut: EncounterCommand = {
  type: 'ReferOut',
  encounterId: 'e1',
  referralId: 'ref1',
  toProvider: 'City Eye Hospital',
  specialty: 'ophthalmology',
  urgency: 'routine',
  reason: 'diabetic retinopathy screening',
  now,
};
const close: EncounterCommand = { type: 'CloseEncounter', encounterId: 'e1', summary: 'stable', now };

describe('encounter decider', () => {
  it('registers its events; every clinical text has the patient as subject', () => {
    assert.deepEqual(definitionProblems(events, 'encounter'), []);
    for (const definition of events.filter((candidate) => candidate.type !== 'encounter.opened')) {
      assert.equal(definition.subjectPath, 'patientId', definition.type);
      assert.ok(Object.values(definition.sensitive).includes('clinical'), definition.type);
    }
  });

  it('opens an OPD encounter for a visit, and needs the visit or the admission it belongs to', () => {
    assert.deepEqual(given(encounterDecider, []).when(open), [opened]);
    assert.throws(() => given(encounterDecider, []).when({ ...open, visitId: null }), {
      code: 'ENCOUNTER_CONTEXT_MISSING',
      facts: { setting: 'opd', field: 'visitId' },
    });
    assert.throws(() => given(encounterDecider, []).when({ ...open, setting: 'ipd' }), {
      code: 'ENCOUNTER_CONTEXT_MISSING',
      facts: { setting: 'ipd', field: 'admissionId' },
    });
    assert.equal(
      given(encounterDecider, []).when({ ...open, setting: 'emergency', visitId: null }).length,
      1,
    );
  });

  it('records clinical signals with the patient while open', () => {
    assert.deepEqual(given(encounterDecider, [opened]).when(startPlan), [
      {
        type: 'treatment.plan.started',
        data: {
          encounterId: 'e1',
          patientId: 'p1',
          planId: 'plan1',
          planCode: 'DM2-STD',
          summary: 'metformin 500 mg, review HbA1c in 3 months',
          startedAt: at,
        },
      },
    ]);
    assert.deepEqual(given(encounterDecider, [opened]).when(updateCarePath), [
      {
        type: 'carepath.updated',
        data: {
          encounterId: 'e1',
          patientId: 'p1',
          carePathId: 'cp1',
          step: 'DIET_COUNSELLING',
          note: null,
          updatedAt: at,
        },
      },
    ]);
    assert.deepEqual(given(encounterDecider, [opened]).when(referOut), [
      {
        type: 'referral.outbound',
        data: {
          encounterId: 'e1',
          patientId: 'p1',
          referralId: 'ref1',
          toProvider: 'City Eye Hospital',
          specialty: 'ophthalmology',
          urgency: 'routine',
          reason: 'diabetic retinopathy screening',
          referredAt: at,
        },
      },
    ]);
  });

  it('refuses a plan or referral id twice', () => {
    const withPlan = [opened, ...given(encounterDecider, [opened]).when(startPlan)];
    assert.throws(() => given(encounterDecider, withPlan).when(startPlan), {
      code: 'TREATMENT_PLAN_DUPLICATE',
    });
    const withReferral = [opened, ...given(encounterDecider, [opened]).when(referOut)];
    assert.throws(() => given(encounterDecider, withReferral).when(referOut), { code: 'REFERRAL_DUPLICATE' });
  });

  it('refuses signals before opening and after closing, and closing twice', () => {
    const closed = [opened, ...given(encounterDecider, [opened]).when(close)];
    for (const command of [startPlan, updateCarePath, referOut, close]) {
      assert.throws(() => given(encounterDecider, []).when(command), { code: 'INVALID_TRANSITION' });
      assert.throws(() => given(encounterDecider, closed).when(command), {
        code: 'INVALID_TRANSITION',
        facts: { aggregateType: 'encounter', status: 'closed', command: command.type },
      });
    }
    assert.throws(() => given(encounterDecider, closed).when(open), { code: 'INVALID_TRANSITION' });
  });
});
