import type { DISPOSITIONS, Location } from './events.ts';

/**
 * Commands on an admission; each names it (the id of a new admission is chosen by the caller, also when the
 * stream starts with an admit order) and carries `now`.
 */
export type AdtOrder =
  | { readonly kind: 'admit'; readonly patientId: string }
  | { readonly kind: 'transfer'; readonly toWardId: string }
  | { readonly kind: 'discharge' };

export type AdmissionCommand =
  | {
      readonly type: 'SubmitAdtOrder';
      readonly admissionId: string;
      readonly orderId: string;
      readonly order: AdtOrder;
      /** Doctor who ordered. */
      readonly orderedBy: string;
      readonly encounterId: string | null;
      readonly reason: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'AdmitPatient';
      readonly admissionId: string;
      readonly patientId: string;
      readonly branchId: string;
      readonly attendingDoctorId: string;
      readonly location: Location;
      readonly orderId: string | null;
      readonly admittingDiagnosis: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'TransferPatient';
      readonly admissionId: string;
      readonly to: Location;
      readonly orderId: string | null;
      readonly reason: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'DischargePatient';
      readonly admissionId: string;
      readonly disposition: (typeof DISPOSITIONS)[number];
      readonly orderId: string | null;
      readonly summary: string | null;
      readonly now: Date;
    };
