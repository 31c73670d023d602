import type { BookingCommand } from '../domain/booking/commands.ts';
import { bookingDecider } from '../domain/booking/decider.ts';
import { schedulingInputs, type SchedulingState } from '../domain/booking/scheduling-state.ts';
import { evolveBooking, initialBookingState } from '../domain/booking/state.ts';
import { branchDecider } from '../domain/branch/decider.ts';
import { doctorDecider } from '../domain/doctor/decider.ts';
import { patientDecider } from '../domain/patient/decider.ts';
import { pricingPolicyDecider } from '../domain/pricing-policy/decider.ts';
import {
  AGGREGATE_TYPE as SLOT_LEDGER,
  evolveSlotLedger,
  initialSlotLedgerState,
} from '../domain/slot-ledger/state.ts';
import type { StreamId } from '../store/envelope.ts';
import { ConcurrencyError } from '../store/errors.ts';
import type { CommandMetadata } from './command-metadata.ts';
import type { CommandShell, Decision, Fold, LoadedStream } from './command-shell.ts';

const bookingFold: Fold<ReturnType<typeof initialBookingState>> = {
  initialState: initialBookingState,
  evolve: evolveBooking,
};
const ledgerFold: Fold<ReturnType<typeof initialSlotLedgerState>> = {
  initialState: initialSlotLedgerState,
  evolve: evolveSlotLedger,
};

/**
 * Runs a booking command. The decision reads the booking, the doctor's slot ledger(s) of the day(s) involved
 * and what guards a slot (doctor, branch, pricing policy, patient), and appends to the booking and the
 * ledgers in one transaction with the version of every stream it read: two bookings of one slot, from any
 * channel, cannot both commit, and a booking made against an availability or block that changed meanwhile is
 * re-decided on fresh state.
 */
export async function executeBookingCommand(
  commands: CommandShell,
  command: BookingCommand,
  metadata: CommandMetadata,
  expectedVersion?: number,
): Promise<Decision & { readonly version: number }> {
  const streamOf = (aggregateType: string, aggregateId: string): StreamId => ({
    tenantId: metadata.tenantId,
    aggregateType,
    aggregateId,
  });
  return commands.retrying(
    async (shell) => {
      const booking = await shell.load(streamOf('booking', command.bookingId), bookingFold);
      if (expectedVersion !== undefined && booking.version !== expectedVersion) {
        throw new ConcurrencyError(booking.stream, expectedVersion, booking.version);
      }
      const inputs = schedulingInputs(command, booking.state);
      const loaded: LoadedStream<unknown>[] = [booking];
      const read = async <State>(
        aggregateType: string,
        id: string | null,
        fold: Fold<State>,
      ): Promise<State> => {
        if (id === null) return fold.initialState();
        const stream = await shell.load(streamOf(aggregateType, id), fold);
        loaded.push(stream);
        return stream.state;
      };
      const branch = await read('branch', inputs.branchId, branchDecider);
      const pricingPolicyId =
        inputs.pricingPolicyOfBranch && branch.status !== 'none' ? branch.pricingPolicyId : null;
      const ledgers: Record<string, ReturnType<typeof initialSlotLedgerState>> = {};
      for (const ledgerId of inputs.ledgerIds)
        ledgers[ledgerId] = await read(SLOT_LEDGER, ledgerId, ledgerFold);
      const state: SchedulingState = {
        booking: booking.state,
        patient: await read('patient', inputs.patientId, patientDecider),
        doctor: await read('doctor', inputs.doctorId, doctorDecider),
        branch,
        pricingPolicy: await read('pricing_policy', pricingPolicyId, pricingPolicyDecider),
        ledgers,
      };
      const events = bookingDecider.decide(command, state);
      const appended = await shell.append(metadata, loaded, events);
      return {
        events,
        ...(appended ? { appended } : {}),
        version: appended?.versions[0] ?? booking.version,
      };
    },
    expectedVersion === undefined ? 3 : 0,
  );
}
