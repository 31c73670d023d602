/**
 * Patients: registered with synthetic, obviously fake details (encrypted under their own key by the command
 * side), ABDM-style consents granted for care and, when insured, for the payer — a few revoked later — and
 * the occasional change of phone or notes.
 */
import { DAY_MS } from './calendar.ts';
import { PATIENT_NOTES, syntheticPatient, syntheticPhone } from './synthetic-text.ts';
import type { SimPatient, TenantSim } from './tenant-sim.ts';

const CONSENT_DAYS = 365;

export async function registerPatient(sim: TenantSim, branchId: string): Promise<void> {
  const { random } = sim;
  const patientId = sim.nextId('pt');
  const { notes, ...demographics } = syntheticPatient(random, sim.patients.length + 1);
  const insurance = random.chance(0.35)
    ? { payerId: random.pick(sim.layout.payers), policyNumber: `POL-DEMO-${random.int(100_000, 999_999)}` }
    : null;
  const flow = sim.commands.flow(`patient:${patientId}`);
  const registered = await sim.commands.execute(
    'patient',
    { type: 'RegisterPatient', patientId, ...demographics, notes, now: sim.now() },
    sim.commands.step(sim.actors.frontDesk(branchId), flow),
  );
  if (!registered.ok) return;
  const patient: SimPatient = { patientId, branchId, insurance, consentIds: [] };
  sim.patients.push(patient);
  if (random.chance(0.75)) {
    await grantConsent(sim, patient, 'CAREMGT', ['OPConsultation', 'Prescription', 'DiagnosticReport'], {
      kind: 'organisation',
      id: sim.tenantId,
      name: sim.layout.name,
    });
  }
  if (insurance && random.chance(0.9)) {
    await grantConsent(sim, patient, 'HPAYMT', ['Invoice', 'OPConsultation', 'DischargeSummary'], {
      kind: 'insurer',
      id: insurance.payerId,
      name: insurance.payerId,
    });
  }
}

async function grantConsent(
  sim: TenantSim,
  patient: SimPatient,
  purpose: 'CAREMGT' | 'HPAYMT',
  hiTypes: ('OPConsultation' | 'Prescription' | 'DiagnosticReport' | 'Invoice' | 'DischargeSummary')[],
  requester: { kind: 'organisation' | 'insurer'; id: string; name: string },
): Promise<void> {
  const consentId = sim.nextId('cs');
  const granted = await sim.commands.execute(
    'patient',
    {
      type: 'GrantConsent',
      patientId: patient.patientId,
      consentId,
      artefactId: sim.random.chance(0.5) ? `abdm-artefact-${consentId}` : null,
      purpose,
      hiTypes,
      requester,
      dataFrom: null,
      dataTo: null,
      expiresAt: new Date(sim.clock.nowMs() + CONSENT_DAYS * DAY_MS),
      now: sim.now(),
    },
    sim.commands.step(
      sim.actors.patient(patient.patientId),
      sim.commands.flow(`patient:${patient.patientId}`),
    ),
  );
  if (granted.ok) patient.consentIds.push(consentId);
}

export async function revokeAConsent(sim: TenantSim): Promise<void> {
  const withConsent = sim.patients.filter((patient) => patient.consentIds.length > 0);
  if (withConsent.length === 0) return;
  const patient = sim.random.pick(withConsent);
  const consentId = sim.random.pick(patient.consentIds);
  const revoked = await sim.commands.execute(
    'patient',
    { type: 'RevokeConsent', patientId: patient.patientId, consentId, now: sim.now() },
    sim.commands.step(
      sim.actors.patient(patient.patientId),
      sim.commands.flow(`patient:${patient.patientId}`),
    ),
  );
  if (revoked.ok) patient.consentIds.splice(patient.consentIds.indexOf(consentId), 1);
}

export async function updateAPatient(sim: TenantSim): Promise<void> {
  if (sim.patients.length === 0) return;
  const { patientId, branchId } = sim.random.pick(sim.patients);
  const step = sim.commands.step(sim.actors.frontDesk(branchId), sim.commands.flow(`patient:${patientId}`));
  if (sim.random.chance(0.6)) {
    const changes = { phone: syntheticPhone(sim.random) };
    await sim.commands.execute(
      'patient',
      { type: 'UpdatePatientDemographics', patientId, changes, now: sim.now() },
      step,
    );
  } else {
    const notes = sim.random.pick(PATIENT_NOTES);
    await sim.commands.execute(
      'patient',
      { type: 'UpdatePatientNotes', patientId, notes, now: sim.now() },
      step,
    );
  }
}
