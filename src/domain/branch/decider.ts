import type { Decider } from '../shared/decider.ts';
import { emit } from '../shared/emit.ts';
import { invalidTransition } from '../shared/invalid-transition.ts';
import type { BranchCommand } from './commands.ts';
import { branchAdded, branchRemoved, type BranchEvent } from './events.ts';
import { evolveBranch, initialBranchState, type BranchState } from './state.ts';

/** A branch is added once and removed at most once; a removed branch id is never reused. */
function decideBranch(command: BranchCommand, state: BranchState): readonly BranchEvent[] {
  switch (command.type) {
    case 'AddBranch':
      if (state.status !== 'none') throw invalidTransition('branch', state.status, command.type);
      return [
        emit(branchAdded, {
          branchId: command.branchId,
          name: command.name,
          pricingPolicyId: command.pricingPolicyId,
        }),
      ];
    case 'RemoveBranch':
      if (state.status !== 'active') throw invalidTransition('branch', state.status, command.type);
      return [emit(branchRemoved, { branchId: command.branchId, reasonCode: command.reasonCode })];
  }
}

export const branchDecider: Decider<BranchCommand, BranchState, BranchEvent> = {
  initialState: initialBranchState,
  decide: decideBranch,
  evolve: evolveBranch,
};
