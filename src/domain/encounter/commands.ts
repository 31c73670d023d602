import type { ENCOUNTER_SETTINGS, REFERRAL_URGENCIES } from './events.ts';

/** Commands on an encounter; each names it (new ids are chosen by the caller) and carries `now`. */
export type EncounterCommand =
  | {
      readonly type: 'OpenEncounter';
      readonly encounterId: string;
      readonly patientId: string;
      readonly doctorId: string;
      readonly branchId: string;
      readonly setting: (typeof ENCOUNTER_SETTINGS)[number];
      /** Required for opd and tele encounters. */
      readonly visitId: string | null;
      /** Required for ipd encounters. */
      readonly admissionId: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'StartTreatmentPlan';
      readonly encounterId: string;
      readonly planId: string;
      readonly planCode: string | null;
      readonly summary: string;
      readonly now: Date;
    }
  | {
      readonly type: 'UpdateCarePath';
      readonly encounterId: string;
      readonly carePathId: string;
      readonly step: string;
      readonly note: string | null;
      readonly now: Date;
    }
  | {
      readonly type: 'ReferOut';
      readonly encounterId: string;
      readonly referralId: string;
      readonly toProvider: string;
      readonly specialty: string;
      readonly urgency: (typeof REFERRAL_URGENCIES)[number];
      readonly reason: string;
      readonly now: Date;
    }
  | {
      readonly type: 'CloseEncounter';
      readonly encounterId: string;
      readonly summary: string | null;
      readonly now: Date;
    };
