/**
 * Governance through the command side: the tenant's pricing policies, branches, doctors (assignments,
 * weekly availability) and first patients at the start, then what changes mid-period — an effective-dated
 * price rise decided days ahead, a doctor joining, a branch closing.
 */
import type { ConsultationPrice } from '../domain/pricing-policy/events.ts';
import { DEMO_TIME_ZONE, localInstant, MINUTE_MS } from './calendar.ts';
import { registerPatient } from './patient-flow.ts';
import { CONSULTATION_TYPES, type DoctorPlan, type PolicyPlan } from './tenant-layout.ts';
import { CURRENCY, type TenantSim } from './tenant-sim.ts';

const FIRST_PATIENTS_PER_BRANCH = 40;

export async function setUpTenant(sim: TenantSim): Promise<void> {
  const { layout } = sim;
  const step = () => sim.commands.step(sim.actors.admin(), sim.commands.flow('setup'));
  for (const policy of layout.policies) await changePricing(sim, policy, 1, sim.now());
  for (const branch of layout.branches) {
    const { branchId, name, policyId } = branch;
    await sim.commands.execute(
      'branch',
      { type: 'AddBranch', branchId, name, pricingPolicyId: policyId, now: sim.now() },
      step(),
    );
  }
  for (const doctor of layout.doctors) if (doctor.joinsOnDay === 0) await onboardDoctor(sim, doctor);
  // The first patients register over the early hours of day 0, before the portal opens.
  const perBranch = Math.max(3, Math.round(FIRST_PATIENTS_PER_BRANCH * sim.options.scale));
  let serial = 0;
  for (const branch of layout.branches) {
    for (let i = 0; i < perBranch; i++)
      sim.clock.after(++serial * MINUTE_MS, () => registerPatient(sim, branch.branchId));
  }
  scheduleChanges(sim);
}

function scheduleChanges(sim: TenantSim): void {
  const { layout, options } = sim;
  const midDay = Math.max(1, Math.floor(options.days / 2));
  const effectiveFrom = new Date(localInstant(sim.dayDate(midDay), 0));
  sim.clock.at(localInstant(sim.dayDate(Math.max(0, midDay - 3)), '10:00'), async () => {
    for (const policy of layout.policies)
      await changePricing(sim, policy, 1 + policy.midPeriodRise, effectiveFrom);
  });
  for (const doctor of layout.doctors) {
    if (doctor.joinsOnDay > 0 && doctor.joinsOnDay < options.days) {
      sim.clock.at(localInstant(sim.dayDate(doctor.joinsOnDay), '08:00'), () => onboardDoctor(sim, doctor));
    }
  }
  for (const branch of layout.branches) {
    if (branch.closesOnDay !== null && branch.closesOnDay < options.days) {
      sim.clock.at(localInstant(sim.dayDate(branch.closesOnDay), '21:00'), async () => {
        await sim.commands.execute(
          'branch',
          { type: 'RemoveBranch', branchId: branch.branchId, reasonCode: 'merged', now: sim.now() },
          sim.commands.step(sim.actors.admin(), sim.commands.flow('governance')),
        );
      });
    }
  }
}

async function changePricing(
  sim: TenantSim,
  policy: PolicyPlan,
  factor: number,
  effectiveFrom: Date,
): Promise<void> {
  const money = (amountMinor: number) => ({
    amountMinor: Math.round((amountMinor * factor) / 100) * 100,
    currency: CURRENCY,
  });
  const prices: ConsultationPrice[] = CONSULTATION_TYPES.map((consultationType) => ({
    consultationType,
    price: money(policy.prices[consultationType].price),
    deposit: money(policy.prices[consultationType].deposit),
  }));
  await sim.commands.execute(
    'pricing_policy',
    {
      type: 'ChangePricingRule',
      policyId: policy.policyId,
      effectiveFrom,
      currency: CURRENCY,
      cancellationWindowMinutes: policy.cancellationWindowMinutes,
      prices,
      now: sim.now(),
    },
    sim.commands.step(sim.actors.admin(), sim.commands.flow(`pricing:${policy.policyId}`)),
  );
}

async function onboardDoctor(sim: TenantSim, plan: DoctorPlan): Promise<void> {
  const { doctorId } = plan;
  const step = () => sim.commands.step(sim.actors.admin(), sim.commands.flow(`doctor:${doctorId}`));
  await sim.commands.execute(
    'doctor',
    {
      type: 'OnboardDoctor',
      doctorId,
      name: plan.name,
      registrationNumber: plan.registrationNumber,
      specialties: plan.specialties,
      timeZone: DEMO_TIME_ZONE,
      now: sim.now(),
    },
    step(),
  );
  for (const shift of plan.shifts) {
    const branch = sim.world.branches.get(shift.branchId);
    if (branch.status !== 'active') continue;
    await sim.commands.execute(
      'doctor',
      { type: 'AssignDoctorToBranch', doctorId, branchId: shift.branchId, branch, now: sim.now() },
      step(),
    );
    await sim.commands.execute(
      'doctor',
      {
        type: 'UpdateDoctorAvailability',
        doctorId,
        branchId: shift.branchId,
        windows: shift.windows,
        now: sim.now(),
      },
      step(),
    );
  }
}
