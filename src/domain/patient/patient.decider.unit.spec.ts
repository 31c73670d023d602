import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  definitionProblems,
  given,
  replay,
  runCommands,
  throughStore,
} from '../shared/testing/decider-harness.ts';
import type { PatientCommand } from './commands.ts';
import { hasConsent } from './consent.ts';
import { patientDecider } from './decider.ts';
import {
  CONSENT_PURPOSES,
  consentGranted,
  events,
  patientDemographicsUpdated,
  patientRegistered,
  type ConsentPurpose,
  type PatientEvent,
} from './events.ts';

const at = (iso: string) => new Date(iso);
const NOW = at('2026-11-01T00:00:00Z');

const ADDRESS = {
  line1: '12 MG Road',
  line2: null,
  city: 'Bengaluru',
  state: 'Karnataka',
  postalCode: '560001',
  country: 'IN',
};

const register: PatientCommand = {
  type: 'RegisterPatient',
  patientId: 'pt-1',
  name: 'Asha Rao',
  phone: '+919812345678',
  email: 'asha@example.in',
  birthDate: '1988-04-12',
  gender: 'female',
  address: ADDRESS,
  abhaNumber: '91-2345-6789-0123',
  abhaAddress: 'asha.rao@abdm',
  notes: 'allergic to penicillin',
  now: NOW,
};

const grant = (
  consentId: string,
  overrides: Partial<Extract<PatientCommand, { type: 'GrantConsent' }>> = {},
): PatientCommand => ({
  type: 'GrantConsent',
  patientId: 'pt-1',
  consentId,
  artefactId: null,
  purpose: 'CAREMGT',
  hiTypes: ['OPConsultation', 'Prescription'],
  requester: { kind: 'hiu', id: 'hiu-apollo', name: 'Apollo Hospitals' },
  dataFrom: '2025-01-01',
  dataTo: null,
  expiresAt: at('2027-01-01T00:00:00Z'),
  now: NOW,
  ...overrides,
});
const revoke = (consentId: string, now = at('2026-12-01T00:00:00Z')): PatientCommand => ({
  type: 'RevokeConsent',
  patientId: 'pt-1',
  consentId,
  now,
});

const historyOf = (...commands: PatientCommand[]): PatientEvent[] => {
  const run = runCommands(patientDecider, commands);
  const refusal = run.outcomes.find((outcome) => outcome.refusal !== null)?.refusal;
  if (refusal) throw refusal;
  return run.history;
};

describe('patient events', () => {
  it('are well-formed, with every identifying field pii and free text clinical, keyed by the patient', () => {
    assert.deepEqual(definitionProblems(events, 'patient'), []);
    assert.deepEqual(patientRegistered.sensitive, {
      name: 'pii',
      phone: 'pii',
      email: 'pii',
      birthDate: 'pii',
      gender: 'pii',
      address: 'pii',
      abhaNumber: 'pii',
      abhaAddress: 'pii',
      notes: 'clinical',
    });
    assert.equal(patientRegistered.subjectPath, 'patientId');
    assert.equal(patientDemographicsUpdated.sensitive['changes.phone'], 'pii');
    assert.equal(consentGranted.subjectPath, 'patientId');
  });
});

describe('patient', () => {
  it('registers once with valid details', () => {
    const [registered] = given(patientDecider, []).when(register);
    assert.equal(registered?.type, 'patient.registered');
    assert.equal(
      registered?.type === 'patient.registered' && registered.data.abhaNumber,
      '91-2345-6789-0123',
    );
    assert.throws(() => given(patientDecider, historyOf(register)).when(register), {
      code: 'INVALID_TRANSITION',
    });
    const invalid: [string, Partial<PatientCommand>][] = [
      ['phone', { phone: '98123' }],
      ['email', { email: 'not-an-email' }],
      ['abhaNumber', { abhaNumber: '12345678901234' }],
      ['birthDate', { birthDate: '2026-11-03' }],
      [
        'address.country',
        {
          address: { line1: 'x', line2: null, city: 'y', state: 'z', postalCode: '560001', country: 'India' },
        },
      ],
    ];
    for (const [field, change] of invalid) {
      assert.throws(() => given(patientDecider, []).when({ ...register, ...change } as PatientCommand), {
        code: 'VALIDATION_FAILED',
        field,
      });
    }
  });

  it('records only the demographic fields that really change', () => {
    const decided = given(patientDecider, historyOf(register)).when({
      type: 'UpdatePatientDemographics',
      patientId: 'pt-1',
      changes: {
        name: 'Asha Rao',
        phone: '+919800000000',
        address: { ...ADDRESS, city: 'Mysuru' },
      },
      now: NOW,
    });
    assert.deepEqual(
      decided.map((event) => event.data),
      [
        {
          patientId: 'pt-1',
          changes: {
            phone: '+919800000000',
            address: {
              line1: '12 MG Road',
              line2: null,
              city: 'Mysuru',
              state: 'Karnataka',
              postalCode: '560001',
              country: 'IN',
            },
          },
        },
      ],
    );
    const state = replay(patientDecider, [...historyOf(register), ...decided]);
    assert.equal(state.status === 'registered' && state.demographics.name, 'Asha Rao');
    assert.equal(state.status === 'registered' && state.demographics.phone, '+919800000000');
    assert.throws(
      () =>
        given(patientDecider, historyOf(register)).when({
          type: 'UpdatePatientDemographics',
          patientId: 'pt-1',
          changes: { name: 'Asha Rao' },
          now: NOW,
        }),
      { code: 'PATIENT_UPDATE_NO_CHANGE' },
    );
    assert.throws(
      () =>
        given(patientDecider, historyOf(register)).when({
          type: 'UpdatePatientDemographics',
          patientId: 'pt-1',
          changes: {},
          now: NOW,
        }),
      { code: 'VALIDATION_FAILED' },
    );
  });

  it('replaces notes, refusing a no-op', () => {
    const cleared = given(patientDecider, historyOf(register)).when({
      type: 'UpdatePatientNotes',
      patientId: 'pt-1',
      notes: null,
      now: NOW,
    });
    assert.deepEqual(cleared, [{ type: 'patient.notes.updated', data: { patientId: 'pt-1', notes: null } }]);
    assert.throws(
      () =>
        given(patientDecider, historyOf(register)).when({
          type: 'UpdatePatientNotes',
          patientId: 'pt-1',
          notes: 'allergic to penicillin',
          now: NOW,
        }),
      { code: 'PATIENT_UPDATE_NO_CHANGE' },
    );
  });
});

describe('consent', () => {
  it('is granted with purpose, scope, requester and expiry, and answers for any instant', () => {
    const history = historyOf(register, grant('c-1'));
    const state = replay(patientDecider, history);
    assert.equal(hasConsent(state, 'CAREMGT', at('2026-10-31T23:59:59Z')), false, 'before the grant');
    assert.equal(hasConsent(state, 'CAREMGT', NOW), true);
    assert.equal(hasConsent(state, 'CAREMGT', at('2027-01-01T00:00:00Z')), false, 'at expiry');
    assert.equal(hasConsent(state, 'HPAYMT', NOW), false, 'another purpose');
    assert.equal(hasConsent(state, 'CAREMGT', NOW, { hiType: 'Prescription' }), true);
    assert.equal(hasConsent(state, 'CAREMGT', NOW, { hiType: 'DischargeSummary' }), false);
    assert.equal(hasConsent(state, 'CAREMGT', NOW, { requesterId: 'hiu-apollo' }), true);
    assert.equal(hasConsent(state, 'CAREMGT', NOW, { requesterId: 'hiu-other' }), false);
    assert.equal(hasConsent(replay(patientDecider, historyOf(register)), 'CAREMGT', NOW), false);
  });

  it('stops at revocation, which happens once and only while the consent is in force', () => {
    const history = historyOf(register, grant('c-1'), revoke('c-1'));
    const state = replay(patientDecider, history);
    assert.equal(
      hasConsent(state, 'CAREMGT', at('2026-11-30T23:59:59Z')),
      true,
      'before revocation, as it was then',
    );
    assert.equal(hasConsent(state, 'CAREMGT', at('2026-12-01T00:00:00Z')), false);
    assert.throws(() => given(patientDecider, history).when(revoke('c-1')), {
      code: 'CONSENT_ALREADY_REVOKED',
    });
    assert.throws(() => given(patientDecider, history).when(revoke('c-9')), { code: 'CONSENT_NOT_FOUND' });
    assert.throws(
      () =>
        given(patientDecider, historyOf(register, grant('c-2'))).when(
          revoke('c-2', at('2027-01-01T00:00:00Z')),
        ),
      {
        code: 'CONSENT_ALREADY_EXPIRED',
      },
    );
  });

  it('refuses a duplicate id, an expiry in the past, and malformed scopes', () => {
    assert.throws(() => given(patientDecider, historyOf(register, grant('c-1'))).when(grant('c-1')), {
      code: 'CONSENT_ALREADY_EXISTS',
    });
    assert.throws(() => given(patientDecider, historyOf(register)).when(grant('c-1', { expiresAt: NOW })), {
      code: 'CONSENT_EXPIRY_IN_PAST',
    });
    assert.throws(() => given(patientDecider, historyOf(register)).when(grant('c-1', { hiTypes: [] })), {
      code: 'VALIDATION_FAILED',
    });
    assert.throws(
      () =>
        given(patientDecider, historyOf(register)).when(
          grant('c-1', { dataFrom: '2026-01-02', dataTo: '2026-01-01' }),
        ),
      {
        code: 'VALIDATION_FAILED',
        field: 'dataTo',
      },
    );
    assert.throws(() => given(patientDecider, []).when(grant('c-1')), { code: 'INVALID_TRANSITION' });
  });

  it('matches a model of grants, expiries and revocations at every instant, and replays to the same state', () => {
    const stepArb = fc.record({
      advance: fc.integer({ min: 0, max: 10 * 24 * 60 }),
      kind: fc.constantFrom('grant', 'revoke'),
      consentId: fc.constantFrom('c-1', 'c-2', 'c-3'),
      purpose: fc.constantFrom(...CONSENT_PURPOSES.slice(0, 2)),
      lifetime: fc.integer({ min: -60, max: 30 * 24 * 60 }),
    });
    fc.assert(
      fc.property(
        fc.array(stepArb, { maxLength: 15 }),
        fc.array(fc.integer({ min: 0, max: 200 * 24 * 60 }), { minLength: 5, maxLength: 5 }),
        (steps, probes) => {
          let nowMs = NOW.getTime();
          const commands: PatientCommand[] = [register];
          for (const step of steps) {
            nowMs += step.advance * 60_000;
            const now = new Date(nowMs);
            commands.push(
              step.kind === 'grant'
                ? grant(step.consentId, {
                    purpose: step.purpose,
                    now,
                    expiresAt: new Date(nowMs + step.lifetime * 60_000),
                  })
                : revoke(step.consentId, now),
            );
          }
          const run = runCommands(patientDecider, commands);
          // The model: intervals [grantedAt, min(expiresAt, revokedAt)) per accepted grant.
          const model = new Map<string, { purpose: ConsentPurpose; from: number; to: number }>();
          for (const outcome of run.outcomes) {
            const command = outcome.command;
            if (outcome.refusal !== null) {
              if (command.type === 'RevokeConsent') {
                const known = model.get(command.consentId);
                assert.ok(
                  known === undefined || known.to <= command.now.getTime(),
                  'a revocation of a consent in force was refused',
                );
              }
              continue;
            }
            if (command.type === 'GrantConsent') {
              assert.ok(!model.has(command.consentId));
              model.set(command.consentId, {
                purpose: command.purpose,
                from: command.now.getTime(),
                to: command.expiresAt.getTime(),
              });
            } else if (command.type === 'RevokeConsent') {
              const known = model.get(command.consentId);
              assert.ok(
                known !== undefined && known.to > command.now.getTime(),
                'revoked a consent not in force',
              );
              known.to = command.now.getTime();
            }
          }
          for (const offset of probes) {
            const probe = NOW.getTime() + offset * 60_000;
            for (const purpose of CONSENT_PURPOSES.slice(0, 2)) {
              const expected = [...model.values()].some(
                (c) => c.purpose === purpose && c.from <= probe && probe < c.to,
              );
              assert.equal(hasConsent(run.state, purpose, new Date(probe)), expected);
            }
          }
          assert.deepEqual(
            replay(
              patientDecider,
              run.history.map((event) => throughStore(events, event)),
            ),
            run.state,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
