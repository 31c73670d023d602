import type { BRANCH_REMOVAL_REASONS } from './events.ts';

/** Commands on a branch; the branch id is chosen by the caller. */
export type BranchCommand =
  | {
      readonly type: 'AddBranch';
      readonly branchId: string;
      readonly name: string;
      readonly pricingPolicyId: string;
      readonly now: Date;
    }
  | {
      readonly type: 'RemoveBranch';
      readonly branchId: string;
      readonly reasonCode: (typeof BRANCH_REMOVAL_REASONS)[number];
      readonly now: Date;
    };
