/**
 * Doctors' blocks (seed §4 A): leave, conferences and personal time added a few days ahead. The bookings the
 * block now overlaps are cancelled by the clinic (the deposit goes back), as a process manager would; now and
 * then the block is withdrawn again before it starts.
 */
import { addDays, DAY_MS, localInstant } from './calendar.ts';
import { cancelByClinic } from './booking-flow.ts';
import type { TenantSim } from './tenant-sim.ts';

export async function addDoctorBlock(sim: TenantSim): Promise<void> {
  const doctors = sim.layout.doctors.filter((plan) => sim.doctor(plan.doctorId) !== null);
  if (doctors.length === 0) return;
  const { doctorId } = sim.random.pick(doctors);
  const date = addDays(sim.today(), sim.random.int(4, 10));
  const reasonCode = sim.random.weighted([
    ['leave', 50],
    ['conference', 35],
    ['personal', 15],
  ] as const);
  const [startsAt, endsAt] =
    reasonCode === 'leave'
      ? [localInstant(date, 0), localInstant(addDays(date, sim.random.int(1, 3)), 0)]
      : reasonCode === 'conference'
        ? [localInstant(date, '08:00'), localInstant(date, '14:00')]
        : [localInstant(date, '16:00'), localInstant(date, '20:00')];
  const blockId = sim.nextId('blk');
  const correlationId = sim.commands.flow(`block:${blockId}`);
  const added = await sim.commands.execute(
    'doctor',
    {
      type: 'AddDoctorBlock',
      doctorId,
      blockId,
      startsAt: new Date(startsAt),
      endsAt: new Date(endsAt),
      reasonCode,
      now: sim.now(),
    },
    sim.commands.step(sim.actors.admin(), correlationId),
  );
  if (!added.ok) return;
  const affected = [...sim.bookings.values()].filter((plan) => {
    const booking = sim.activeBooking(plan.bookingId);
    return (
      booking !== null &&
      booking.doctorId === doctorId &&
      Date.parse(booking.slot.startsAt) < endsAt &&
      startsAt < Date.parse(booking.slot.endsAt)
    );
  });
  for (const plan of affected)
    await cancelByClinic(sim, plan, sim.activeBooking(plan.bookingId)?.branchId ?? '');
  if (sim.random.chance(0.15)) {
    sim.clock.after(sim.random.int(1, 2) * DAY_MS, async () => {
      if (sim.clock.nowMs() >= startsAt) return;
      await sim.commands.execute(
        'doctor',
        { type: 'RemoveDoctorBlock', doctorId, blockId, now: sim.now() },
        sim.commands.step(sim.actors.admin(), correlationId),
      );
    });
  }
}
