import type { BranchState } from '../branch/state.ts';
import type { AvailabilityWindow, BLOCK_REASONS } from './events.ts';

/**
 * Commands on a doctor. Assigning a branch needs that branch's state: the shell loads it and passes it in (and may
 * append an expectation-only write on the branch stream to fence a concurrent removal).
 */
export type DoctorCommand =
  | {
      readonly type: 'OnboardDoctor';
      readonly doctorId: string;
      readonly name: string;
      readonly registrationNumber: string;
      readonly specialties: readonly string[];
      readonly timeZone: string;
      readonly now: Date;
    }
  | {
      readonly type: 'AssignDoctorToBranch';
      readonly doctorId: string;
      readonly branchId: string;
      readonly branch: BranchState;
      readonly now: Date;
    }
  | {
      readonly type: 'UpdateDoctorAvailability';
      readonly doctorId: string;
      readonly branchId: string;
      readonly windows: readonly AvailabilityWindow[];
      readonly now: Date;
    }
  | {
      readonly type: 'AddDoctorBlock';
      readonly doctorId: string;
      readonly blockId: string;
      readonly startsAt: Date;
      readonly endsAt: Date;
      readonly reasonCode: (typeof BLOCK_REASONS)[number];
      readonly now: Date;
    }
  | {
      readonly type: 'RemoveDoctorBlock';
      readonly doctorId: string;
      readonly blockId: string;
      readonly now: Date;
    };
