import type { RequestedSlot } from '../portal/commands.ts';
import type { BOOKING_CHANNELS, CANCELLATION_REASONS, PARTIES } from './events.ts';

/**
 * Commands on a booking. Each names its booking; new ids (booking, reschedule request) are chosen by the caller.
 * A slot is named as the doctor's local date and start time, as the portal and console show it.
 */
export type Party = (typeof PARTIES)[number];

export type BookingCommand =
  | {
      readonly type: 'CreateBooking';
      readonly bookingId: string;
      readonly patientId: string;
      readonly doctorId: string;
      readonly branchId: string;
      readonly channel: (typeof BOOKING_CHANNELS)[number];
      readonly consultationType: string;
      readonly slot: RequestedSlot;
      readonly reasonForVisit: string | null;
      /** Required for the portal channel, null otherwise. */
      readonly portalRequestId: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'UpdateBooking';
      readonly bookingId: string;
      /** Undefined: keep; null: clear. */
      readonly reasonForVisit?: string | null;
      readonly notes?: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'CancelBooking';
      readonly bookingId: string;
      readonly initiatedBy: Party;
      readonly reasonCode: (typeof CANCELLATION_REASONS)[number];
      readonly portalRequestId: string | null;
      readonly now: Date;
    }
  | { readonly type: 'MarkBookingNoShow'; readonly bookingId: string; readonly now: Date }
  | {
      readonly type: 'RequestReschedule';
      readonly bookingId: string;
      readonly requestId: string;
      readonly requestedBy: Party;
      readonly preferredSlot: RequestedSlot | null;
      readonly portalRequestId: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'CompleteReschedule';
      readonly bookingId: string;
      readonly requestId: string;
      readonly slot: RequestedSlot;
      readonly now: Date;
    }
  | {
      readonly type: 'RefuseReschedule';
      readonly bookingId: string;
      readonly requestId: string;
      readonly reasonCode: string;
      readonly now: Date;
    };
