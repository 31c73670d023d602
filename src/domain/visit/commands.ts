/**
 * Commands on a visit. Each names its visit (the shell loads that stream) and carries `now`; ids of new things
 * (visit, follow-up) are chosen by the caller.
 */
export type VisitCommand =
  | {
      readonly type: 'RecordArrival';
      readonly visitId: string;
      /** Null for a walk-in. */
      readonly bookingId: string | null;
      readonly patientId: string;
      readonly doctorId: string;
      readonly branchId: string;
      readonly tele: boolean;
      readonly now: Date;
    }
  | {
      readonly type: 'RecordNoShow';
      readonly visitId: string;
      readonly bookingId: string;
      readonly patientId: string;
      readonly doctorId: string;
      readonly branchId: string;
      /** ISO instant of the booked slot, copied from the booking. */
      readonly slotStartsAt: string;
      readonly now: Date;
    }
  | { readonly type: 'StartVisit'; readonly visitId: string; readonly now: Date }
  | {
      readonly type: 'CompleteVisit';
      readonly visitId: string;
      readonly notes: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'ScheduleFollowUp';
      readonly visitId: string;
      readonly followUpId: string;
      /** `YYYY-MM-DD`. */
      readonly dueOn: string;
      readonly reason: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'CompleteFollowUp';
      readonly visitId: string;
      readonly followUpId: string;
      readonly fulfilledByVisitId: string | null;
      readonly now: Date;
    };
