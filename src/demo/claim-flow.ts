/**
 * Insurance (seed §4 G): for an insured patient's visit or admission, a claim drafted by the billing desk a
 * few hours later, submitted, and weeks later settled (often for less than claimed) or denied.
 */
import type { Episode } from '../domain/claim/events.ts';
import { DAY_MS, MINUTE_MS } from './calendar.ts';
import { eventIdOf } from './demo-commands.ts';
import { CLAIM_DENIALS, REASONS_FOR_VISIT } from './synthetic-text.ts';
import { CURRENCY, type SimPatient, type TenantSim } from './tenant-sim.ts';

export function claimLater(
  sim: TenantSim,
  patient: SimPatient,
  episode: Episode,
  claimedMinor: number,
  chance: number,
): void {
  const insurance = patient.insurance;
  if (insurance === null || claimedMinor <= 0 || !sim.random.chance(chance)) return;
  sim.clock.after(sim.random.int(60, 360) * MINUTE_MS, async () => {
    const claimId = sim.nextId('cl');
    const correlationId = sim.commands.flow(`claim:${claimId}`);
    const claimed = { amountMinor: claimedMinor, currency: CURRENCY };
    const created = await sim.commands.execute(
      'claim',
      {
        type: 'CreateClaim',
        claimId,
        patientId: patient.patientId,
        payerId: insurance.payerId,
        policyNumber: insurance.policyNumber,
        episode,
        claimed,
        diagnosisSummary: sim.random.pick(REASONS_FOR_VISIT),
        now: sim.now(),
      },
      sim.commands.step(sim.actors.finance(), correlationId),
    );
    if (!created.ok) return;
    sim.clock.after(sim.random.int(0, 2) * DAY_MS + sim.random.int(30, 300) * MINUTE_MS, async () => {
      const submitted = await sim.commands.execute(
        'claim',
        { type: 'SubmitClaim', claimId, payerReference: null, now: sim.now() },
        sim.commands.step(sim.actors.finance(), correlationId, eventIdOf(created, 'claim.created')),
      );
      if (!submitted.ok) return;
      sim.clock.after(sim.random.int(4, 12) * DAY_MS, async () => {
        const payerStep = sim.commands.step(
          sim.actors.payer(insurance.payerId),
          correlationId,
          eventIdOf(submitted, 'claim.submitted'),
        );
        if (sim.random.chance(0.8)) {
          const settledMinor = Math.max(
            100,
            Math.round((claimedMinor * sim.random.between(0.7, 1)) / 100) * 100,
          );
          await sim.commands.execute(
            'claim',
            {
              type: 'SettleClaim',
              claimId,
              settled: { amountMinor: Math.min(settledMinor, claimedMinor), currency: CURRENCY },
              payerReference: `${insurance.payerId}-${claimId}`,
              now: sim.now(),
            },
            payerStep,
          );
        } else {
          const [reasonCode, note] = sim.random.pick(CLAIM_DENIALS);
          await sim.commands.execute(
            'claim',
            { type: 'DenyClaim', claimId, reasonCode, note, now: sim.now() },
            payerStep,
          );
        }
      });
    });
  });
}
