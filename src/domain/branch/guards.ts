import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { requireSameInstance } from '../shared/input-state-mismatch.ts';
import type { BranchState, KnownBranch } from './state.ts';

/**
 * Decisions of other aggregates (assignments, bookings, reschedules) need a branch that exists and was not removed;
 * returns it, then known to be active.
 */
export function requireActiveBranch(branch: BranchState, branchId: string): KnownBranch {
  if (branch.status === 'none') {
    throw new DomainRuleError('BRANCH_NOT_FOUND', 'no such branch', { branchId });
  }
  requireSameInstance('branch', branchId, branch.branchId);
  if (branch.status === 'removed') {
    throw new DomainRuleError('BRANCH_REMOVED', 'the branch was removed and takes no new bookings', {
      branchId,
    });
  }
  return branch;
}
