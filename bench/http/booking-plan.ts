/**
 * Which slot each benchmark booking takes: every booking a distinct free slot, and requests that run at the
 * same time spread over different doctors, so they append to different slot ledgers (one per doctor and day)
 * and measure the service rather than retries on one contended stream. Doctors are available every day
 * around the clock (UTC), so any slot on or after the first date is bookable.
 */

export interface BookingPlanShape {
  readonly bookings: number;
  readonly doctors: number;
  readonly slotMinutes: number;
  /** YYYY-MM-DD, a day still wholly in the future when the benchmark runs. */
  readonly firstDate: string;
  /** Distinguishes bookings of one plan from another's (warm-up, measured). */
  readonly idPrefix: string;
}

export interface PlannedBooking {
  readonly bookingId: string;
  readonly doctorId: string;
  readonly patientId: string;
  readonly date: string;
  /** HH:MM */
  readonly start: string;
}

const MINUTES_PER_DAY = 24 * 60;

/** Doctor i (from 0) has id `dr-<i>`; each doctor's bookings are for patient `pt-<i>`. */
export const benchDoctorId = (index: number): string => `dr-${index}`;
export const benchPatientId = (index: number): string => `pt-${index}`;

/**
 * Booking i goes to doctor i mod doctors, taking that doctor's next slot: slot k of a doctor is on day
 * floor(k / slots per day) after firstDate, at (k mod slots per day) × slotMinutes.
 *
 * @throws RangeError when the shape cannot produce whole, positive slots.
 */
export function planBookings(shape: BookingPlanShape): PlannedBooking[] {
  const { bookings, doctors, slotMinutes } = shape;
  if (!Number.isInteger(doctors) || doctors < 1) throw new RangeError(`doctors must be >= 1: ${doctors}`);
  if (!Number.isInteger(slotMinutes) || slotMinutes < 1 || MINUTES_PER_DAY % slotMinutes !== 0) {
    throw new RangeError(`slotMinutes must divide a day: ${slotMinutes}`);
  }
  const slotsPerDay = MINUTES_PER_DAY / slotMinutes;
  const firstDay = Date.parse(`${shape.firstDate}T00:00:00Z`);
  if (Number.isNaN(firstDay)) throw new RangeError(`firstDate must be YYYY-MM-DD: ${shape.firstDate}`);
  return Array.from({ length: bookings }, (_, i) => {
    const doctor = i % doctors;
    const slot = Math.floor(i / doctors);
    const day = Math.floor(slot / slotsPerDay);
    const minute = (slot % slotsPerDay) * slotMinutes;
    return {
      bookingId: `${shape.idPrefix}-${i}`,
      doctorId: benchDoctorId(doctor),
      patientId: benchPatientId(doctor),
      date: new Date(firstDay + day * 86_400_000).toISOString().slice(0, 10),
      start: `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`,
    };
  });
}

/** The first day after the last one `plan` uses: where the next plan can start without sharing a slot. */
export function dayAfter(plan: readonly PlannedBooking[], fallback: string): string {
  const last = plan.reduce((latest, booking) => (booking.date > latest ? booking.date : latest), fallback);
  return new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
