import type { Decider } from '../shared/decider.ts';
import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { emit } from '../shared/emit.ts';
import { invalidTransition } from '../shared/invalid-transition.ts';
import type { PortalRequestCommand } from './commands.ts';
import {
  portalBookingRequested,
  portalCancellationRequested,
  portalRequestAccepted,
  portalRequestRefused,
  portalRescheduleRequested,
  type PortalRequestEvent,
} from './events.ts';
import { evolvePortalRequest, initialPortalRequestState, type PortalRequestState } from './state.ts';

/**
 * A portal request is recorded once and resolved once: accepted (naming its booking) or refused (naming the rule).
 * Whether it can be carried out is decided by the booking rules, not here.
 */
function decidePortalRequest(
  command: PortalRequestCommand,
  state: PortalRequestState,
): readonly PortalRequestEvent[] {
  switch (command.type) {
    case 'RequestPortalBooking': {
      requireNew(state, command.type);
      const { type: _type, now: _now, slot, ...rest } = command;
      return [emit(portalBookingRequested, { ...rest, slot: { ...slot } })];
    }
    case 'RequestPortalReschedule': {
      requireNew(state, command.type);
      const { requestId, patientId, bookingId, preferredSlot } = command;
      return [
        emit(portalRescheduleRequested, {
          requestId,
          patientId,
          bookingId,
          preferredSlot: preferredSlot === null ? null : { ...preferredSlot },
        }),
      ];
    }
    case 'RequestPortalCancellation': {
      requireNew(state, command.type);
      const { requestId, patientId, bookingId } = command;
      return [emit(portalCancellationRequested, { requestId, patientId, bookingId })];
    }
    case 'AcceptPortalRequest': {
      if (state.status !== 'pending') throw invalidTransition('portal_request', state.status, command.type);
      if (state.bookingId !== null && state.bookingId !== command.bookingId) {
        throw new DomainRuleError('PORTAL_BOOKING_MISMATCH', 'the request was about another booking', {
          requestId: state.requestId,
          requestedBookingId: state.bookingId,
          bookingId: command.bookingId,
        });
      }
      const { requestId, patientId, kind } = state;
      return [emit(portalRequestAccepted, { requestId, patientId, kind, bookingId: command.bookingId })];
    }
    case 'RefusePortalRequest': {
      if (state.status !== 'pending') throw invalidTransition('portal_request', state.status, command.type);
      const { requestId, patientId, kind } = state;
      return [emit(portalRequestRefused, { requestId, patientId, kind, reasonCode: command.reasonCode })];
    }
  }
}

function requireNew(state: PortalRequestState, command: string): void {
  if (state.status !== 'none') throw invalidTransition('portal_request', state.status, command);
}

export const portalRequestDecider: Decider<PortalRequestCommand, PortalRequestState, PortalRequestEvent> = {
  initialState: initialPortalRequestState,
  decide: decidePortalRequest,
  evolve: evolvePortalRequest,
};
