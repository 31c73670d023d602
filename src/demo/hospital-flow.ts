/**
 * The hospital campus (seed §6 hospital aggregates, §11 ADT ordering): admissions ordered from an OPD
 * encounter or taken in through emergency, a bed in a ward, an inpatient encounter with its plan and daily
 * care-path steps, sometimes a transfer, then a discharge order and the discharge — and a claim for insured
 * patients.
 */
import type { Location } from '../domain/admission/events.ts';
import { addDays, DAY_MS, HOUR_MS, localInstant, MINUTE_MS } from './calendar.ts';
import { claimLater } from './claim-flow.ts';
import { closeEncounter, referOut, startTreatmentPlan, updateCarePath } from './encounter-flow.ts';
import { ADMITTING_DIAGNOSES, DISCHARGE_SUMMARIES } from './synthetic-text.ts';
import type { SimPatient, TenantSim } from './tenant-sim.ts';

const DAILY_BED_CHARGE_MINOR = 450_000;

interface Stay {
  readonly admissionId: string;
  readonly patient: SimPatient;
  readonly doctorId: string;
  readonly branchId: string;
  readonly correlationId: string;
  location: Location | null;
  encounterId: string | null;
  admittedAtMs: number;
  discharged: boolean;
}

interface Admitting {
  readonly patient: SimPatient;
  readonly doctorId: string;
  readonly branchId: string;
}

/** The OPD doctor orders an admission; the OPD encounter the order came from is closed once it is placed. */
export async function orderAdmission(
  sim: TenantSim,
  admitting: Admitting,
  opdEncounterId: string | null,
  correlationId: string,
): Promise<void> {
  const stay = newStay(sim, admitting, correlationId);
  const orderId = sim.nextId('ord');
  const ordered = await sim.commands.execute(
    'admission',
    {
      type: 'SubmitAdtOrder',
      admissionId: stay.admissionId,
      orderId,
      order: { kind: 'admit', patientId: admitting.patient.patientId },
      orderedBy: admitting.doctorId,
      encounterId: opdEncounterId,
      reason: sim.random.pick(ADMITTING_DIAGNOSES),
      now: sim.now(),
    },
    sim.commands.step(sim.actors.doctor(admitting.doctorId), correlationId),
  );
  if (opdEncounterId !== null)
    await closeEncounter(
      sim,
      opdEncounterId,
      admitting.doctorId,
      correlationId,
      'Admitted for inpatient care.',
    );
  if (ordered.ok)
    sim.clock.after(sim.random.int(30, 120) * MINUTE_MS, () => admit(sim, stay, orderId, 'ipd'));
}

/** Someone brought in through emergency: admitted straight away, without an order. */
export async function emergencyAdmission(sim: TenantSim): Promise<void> {
  const campus = sim.layout.branches.find((branch) => branch.hasWards);
  if (campus === undefined || sim.patients.length === 0) return;
  const doctors = sim.doctorsAt(campus.branchId);
  if (doctors.length === 0) return;
  const admitting = {
    patient: sim.random.pick(sim.patients),
    doctorId: sim.random.pick(doctors).doctorId,
    branchId: campus.branchId,
  };
  const stay = newStay(sim, admitting, sim.commands.flow(`emergency:${sim.nextId('er')}`));
  await admit(sim, stay, null, 'emergency');
}

function newStay(sim: TenantSim, admitting: Admitting, correlationId: string): Stay {
  return {
    ...admitting,
    admissionId: sim.nextId('ad'),
    correlationId,
    location: null,
    encounterId: null,
    admittedAtMs: 0,
    discharged: false,
  };
}

async function admit(
  sim: TenantSim,
  stay: Stay,
  orderId: string | null,
  setting: 'ipd' | 'emergency',
): Promise<void> {
  const wardId = sim.random.weighted([
    ['ward-general', 70],
    ['ward-surgical', 20],
    ['ward-icu', 10],
  ] as const);
  const location = freeBed(sim, wardId);
  // No bed: the admit order stays pending, as it would while the patient waits.
  if (location === null) return;
  const admitted = await sim.commands.execute(
    'admission',
    {
      type: 'AdmitPatient',
      admissionId: stay.admissionId,
      patientId: stay.patient.patientId,
      branchId: stay.branchId,
      attendingDoctorId: stay.doctorId,
      location,
      orderId,
      admittingDiagnosis: sim.random.pick(ADMITTING_DIAGNOSES),
      now: sim.now(),
    },
    sim.commands.step(sim.actors.frontDesk(stay.branchId), stay.correlationId),
  );
  if (!admitted.ok) return;
  sim.occupiedBeds.add(location.bedId);
  stay.location = location;
  stay.admittedAtMs = sim.clock.nowMs();
  const encounterId = sim.nextId('en');
  const opened = await sim.commands.execute(
    'encounter',
    {
      type: 'OpenEncounter',
      encounterId,
      patientId: stay.patient.patientId,
      doctorId: stay.doctorId,
      branchId: stay.branchId,
      setting,
      visitId: null,
      admissionId: stay.admissionId,
      now: sim.now(),
    },
    sim.commands.step(sim.actors.doctor(stay.doctorId), stay.correlationId),
  );
  if (opened.ok) {
    stay.encounterId = encounterId;
    await startTreatmentPlan(sim, encounterId, stay.doctorId, stay.correlationId);
  }
  scheduleRounds(sim, stay, addDays(sim.today(), 1));
  if (sim.random.chance(0.35))
    sim.clock.after(sim.random.int(20, 36) * HOUR_MS, () => orderTransfer(sim, stay, wardId));
  sim.clock.at(localInstant(addDays(sim.today(), sim.random.int(2, 5)), '10:00'), () =>
    orderDischarge(sim, stay),
  );
}

function scheduleRounds(sim: TenantSim, stay: Stay, date: string): void {
  sim.clock.at(localInstant(date, '09:00'), async () => {
    if (stay.discharged || stay.encounterId === null) return;
    await updateCarePath(sim, stay.encounterId, `cp-${stay.admissionId}`, stay.doctorId, stay.correlationId);
    scheduleRounds(sim, stay, addDays(date, 1));
  });
}

async function orderTransfer(sim: TenantSim, stay: Stay, fromWardId: string): Promise<void> {
  if (stay.discharged) return;
  const toWardId = sim.random.pick(
    sim.layout.wards.map((ward) => ward.wardId).filter((wardId) => wardId !== fromWardId),
  );
  const orderId = sim.nextId('ord');
  const ordered = await sim.commands.execute(
    'admission',
    {
      type: 'SubmitAdtOrder',
      admissionId: stay.admissionId,
      orderId,
      order: { kind: 'transfer', toWardId },
      orderedBy: stay.doctorId,
      encounterId: stay.encounterId,
      reason: toWardId === 'ward-icu' ? 'Needs closer monitoring.' : 'Stable; step down.',
      now: sim.now(),
    },
    sim.commands.step(sim.actors.doctor(stay.doctorId), stay.correlationId),
  );
  if (!ordered.ok) return;
  sim.clock.after(sim.random.int(1, 3) * HOUR_MS, async () => {
    const to = freeBed(sim, toWardId);
    if (stay.discharged || stay.location === null || to === null) return;
    const moved = await sim.commands.execute(
      'admission',
      { type: 'TransferPatient', admissionId: stay.admissionId, to, orderId, reason: null, now: sim.now() },
      sim.commands.step(sim.actors.frontDesk(stay.branchId), stay.correlationId),
    );
    if (!moved.ok) return;
    sim.occupiedBeds.delete(stay.location.bedId);
    sim.occupiedBeds.add(to.bedId);
    stay.location = to;
  });
}

async function orderDischarge(sim: TenantSim, stay: Stay): Promise<void> {
  const orderId = sim.nextId('ord');
  const ordered = await sim.commands.execute(
    'admission',
    {
      type: 'SubmitAdtOrder',
      admissionId: stay.admissionId,
      orderId,
      order: { kind: 'discharge' },
      orderedBy: stay.doctorId,
      encounterId: stay.encounterId,
      reason: null,
      now: sim.now(),
    },
    sim.commands.step(sim.actors.doctor(stay.doctorId), stay.correlationId),
  );
  if (!ordered.ok) return;
  sim.clock.after(sim.random.int(1, 4) * HOUR_MS, () => discharge(sim, stay, orderId));
}

async function discharge(sim: TenantSim, stay: Stay, orderId: string): Promise<void> {
  const disposition = sim.random.weighted([
    ['home', 90],
    ['referred_out', 6],
    ['against_medical_advice', 4],
  ] as const);
  const summary = sim.random.pick(DISCHARGE_SUMMARIES);
  const discharged = await sim.commands.execute(
    'admission',
    {
      type: 'DischargePatient',
      admissionId: stay.admissionId,
      disposition,
      orderId,
      summary,
      now: sim.now(),
    },
    sim.commands.step(sim.actors.frontDesk(stay.branchId), stay.correlationId),
  );
  if (!discharged.ok) return;
  stay.discharged = true;
  if (stay.location) sim.occupiedBeds.delete(stay.location.bedId);
  if (stay.encounterId !== null) {
    if (disposition === 'referred_out')
      await referOut(sim, stay.encounterId, stay.doctorId, stay.correlationId);
    await closeEncounter(sim, stay.encounterId, stay.doctorId, stay.correlationId, summary);
  }
  const bedDays = Math.max(1, Math.ceil((sim.clock.nowMs() - stay.admittedAtMs) / DAY_MS));
  claimLater(
    sim,
    stay.patient,
    { kind: 'admission', admissionId: stay.admissionId },
    bedDays * DAILY_BED_CHARGE_MINOR,
    0.85,
  );
}

function freeBed(sim: TenantSim, wardId: string): Location | null {
  const ward = sim.layout.wards.find((candidate) => candidate.wardId === wardId);
  const bedId = ward?.beds.find((bed) => !sim.occupiedBeds.has(bed));
  return bedId === undefined ? null : { wardId, bedId };
}
