/** Commands on a portal request; the request id is chosen by the portal. */
export interface RequestedSlot {
  readonly date: string;
  readonly start: string;
}

export type PortalRequestCommand =
  | {
      readonly type: 'RequestPortalBooking';
      readonly requestId: string;
      readonly patientId: string;
      readonly doctorId: string;
      readonly branchId: string;
      readonly consultationType: string;
      readonly slot: RequestedSlot;
      readonly reasonForVisit: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'RequestPortalReschedule';
      readonly requestId: string;
      readonly patientId: string;
      readonly bookingId: string;
      readonly preferredSlot: RequestedSlot | null;
      readonly now: Date;
    }
  | {
      readonly type: 'RequestPortalCancellation';
      readonly requestId: string;
      readonly patientId: string;
      readonly bookingId: string;
      readonly now: Date;
    }
  | {
      readonly type: 'AcceptPortalRequest';
      readonly requestId: string;
      readonly bookingId: string;
      readonly now: Date;
    }
  | {
      readonly type: 'RefusePortalRequest';
      readonly requestId: string;
      readonly reasonCode: string;
      readonly now: Date;
    };
