import type { BranchEvent } from './events.ts';

/** What other decisions need to know about a branch, rebuilt from its events. */
export interface KnownBranch {
  readonly status: 'active' | 'removed';
  readonly branchId: string;
  readonly name: string;
  readonly pricingPolicyId: string;
}

export type BranchState = { readonly status: 'none' } | KnownBranch;

export const initialBranchState = (): BranchState => ({ status: 'none' });

export function evolveBranch(state: BranchState, event: BranchEvent): BranchState {
  switch (event.type) {
    case 'branch.added':
      return { status: 'active', ...event.data };
    case 'branch.removed':
      return state.status === 'none' ? state : { ...state, status: 'removed' };
  }
}
