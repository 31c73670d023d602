import type { AppliedPricing, BookedSlot, BOOKING_CHANNELS, BookingEvent } from './events.ts';

/** A booking as decisions see it, rebuilt from its own stream. */
export interface Booking {
  readonly status: 'active' | 'cancelled' | 'no_show';
  readonly bookingId: string;
  readonly patientId: string;
  readonly doctorId: string;
  readonly branchId: string;
  readonly channel: (typeof BOOKING_CHANNELS)[number];
  readonly consultationType: string;
  readonly slot: BookedSlot;
  readonly pricing: AppliedPricing;
  readonly reasonForVisit: string | null;
  readonly notes: string | null;
  /** The open reschedule request, if any: at most one at a time. */
  readonly pendingRescheduleId: string | null;
}

export type BookingState = { readonly status: 'none' } | Booking;

export const initialBookingState = (): BookingState => ({ status: 'none' });

export function evolveBooking(state: BookingState, event: BookingEvent): BookingState {
  if (event.type === 'booking.created') {
    const { portalRequestId: _portalRequestId, ...booking } = event.data;
    return { ...booking, status: 'active', notes: null, pendingRescheduleId: null };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'booking.updated':
      return { ...state, reasonForVisit: event.data.reasonForVisit, notes: event.data.notes };
    case 'booking.cancelled':
      return { ...state, status: 'cancelled' };
    case 'booking.no_show':
      return { ...state, status: 'no_show' };
    case 'reschedule.requested':
      return { ...state, pendingRescheduleId: event.data.requestId };
    case 'reschedule.completed':
      return { ...state, slot: event.data.to, pendingRescheduleId: null };
    case 'reschedule.refused':
      return { ...state, pendingRescheduleId: null };
  }
}
