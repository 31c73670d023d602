import type { ConsentPurpose, Demographics, HiType, REQUESTER_KINDS } from './events.ts';

/** Commands on a patient; new ids (patient, consent) are chosen by the caller. */
export type PatientCommand =
  | ({
      readonly type: 'RegisterPatient';
      readonly patientId: string;
      readonly notes: string | null;
      readonly now: Date;
    } & Demographics)
  | {
      readonly type: 'UpdatePatientDemographics';
      readonly patientId: string;
      /** Only the fields to change. */
      readonly changes: Partial<Demographics>;
      readonly now: Date;
    }
  | {
      readonly type: 'UpdatePatientNotes';
      readonly patientId: string;
      readonly notes: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'GrantConsent';
      readonly patientId: string;
      readonly consentId: string;
      readonly artefactId: string | null;
      readonly purpose: ConsentPurpose;
      readonly hiTypes: readonly HiType[];
      readonly requester: {
        readonly kind: (typeof REQUESTER_KINDS)[number];
        readonly id: string;
        readonly name: string;
      };
      readonly dataFrom: string | null;
      readonly dataTo: string | null;
      readonly expiresAt: Date;
      readonly now: Date;
    }
  | {
      readonly type: 'RevokeConsent';
      readonly patientId: string;
      readonly consentId: string;
      readonly now: Date;
    };
