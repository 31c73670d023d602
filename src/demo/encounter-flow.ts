/**
 * Clinical signals (seed §4 F) around a visit: an encounter opened when the doctor starts, sometimes with a
 * treatment plan, a care-path step or a referral out, closed when the consultation ends.
 */
import { CARE_PATH_STEPS, REFERRALS, TREATMENT_PLANS } from './synthetic-text.ts';
import type { TenantSim } from './tenant-sim.ts';
import type { VisitPlan } from './visit-flow.ts';

/** Opens the visit's encounter (more often at the hospital); returns its id, or null when there is none. */
export async function openVisitEncounter(sim: TenantSim, visit: VisitPlan): Promise<string | null> {
  if (!sim.random.chance(sim.layout.kind === 'hospital' ? 0.5 : 0.25)) return null;
  const encounterId = sim.nextId('en');
  const opened = await sim.commands.execute(
    'encounter',
    {
      type: 'OpenEncounter',
      encounterId,
      patientId: visit.patient.patientId,
      doctorId: visit.doctorId,
      branchId: visit.branchId,
      setting: visit.tele ? 'tele' : 'opd',
      visitId: visit.visitId,
      admissionId: null,
      now: sim.now(),
    },
    sim.commands.step(sim.actors.doctor(visit.doctorId), visit.correlationId),
  );
  if (!opened.ok) return null;
  if (sim.random.chance(0.5)) await startTreatmentPlan(sim, encounterId, visit.doctorId, visit.correlationId);
  if (sim.random.chance(0.4))
    await updateCarePath(sim, encounterId, `cp-${encounterId}`, visit.doctorId, visit.correlationId);
  if (sim.random.chance(0.06)) await referOut(sim, encounterId, visit.doctorId, visit.correlationId);
  return encounterId;
}

export async function startTreatmentPlan(
  sim: TenantSim,
  encounterId: string,
  doctorId: string,
  correlationId: string,
): Promise<void> {
  const [planCode, summary] = sim.random.pick(TREATMENT_PLANS);
  await sim.commands.execute(
    'encounter',
    {
      type: 'StartTreatmentPlan',
      encounterId,
      planId: sim.nextId('plan'),
      planCode,
      summary,
      now: sim.now(),
    },
    sim.commands.step(sim.actors.doctor(doctorId), correlationId),
  );
}

export async function updateCarePath(
  sim: TenantSim,
  encounterId: string,
  carePathId: string,
  doctorId: string,
  correlationId: string,
): Promise<void> {
  await sim.commands.execute(
    'encounter',
    {
      type: 'UpdateCarePath',
      encounterId,
      carePathId,
      step: sim.random.pick(CARE_PATH_STEPS),
      note: sim.random.chance(0.5) ? 'Progressing as expected.' : null,
      now: sim.now(),
    },
    sim.commands.step(sim.actors.doctor(doctorId), correlationId),
  );
}

export async function referOut(
  sim: TenantSim,
  encounterId: string,
  doctorId: string,
  correlationId: string,
): Promise<void> {
  const [toProvider, specialty, reason] = sim.random.pick(REFERRALS);
  await sim.commands.execute(
    'encounter',
    {
      type: 'ReferOut',
      encounterId,
      referralId: sim.nextId('ref'),
      toProvider,
      specialty,
      urgency: sim.random.weighted([
        ['routine', 70],
        ['urgent', 25],
        ['emergency', 5],
      ] as const),
      reason,
      now: sim.now(),
    },
    sim.commands.step(sim.actors.doctor(doctorId), correlationId),
  );
}

export async function closeEncounter(
  sim: TenantSim,
  encounterId: string,
  doctorId: string,
  correlationId: string,
  summary: string | null = null,
): Promise<void> {
  await sim.commands.execute(
    'encounter',
    { type: 'CloseEncounter', encounterId, summary, now: sim.now() },
    sim.commands.step(sim.actors.doctor(doctorId), correlationId),
  );
}
