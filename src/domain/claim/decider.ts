import type { Decider } from '../shared/decider.ts';
import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { emit } from '../shared/emit.ts';
import { invalidTransition } from '../shared/invalid-transition.ts';
import { requireCurrency, requirePositive } from '../shared/money-rules.ts';
import { toInstant } from '../shared/payload-schemas.ts';
import type { ClaimCommand } from './commands.ts';
import { claimCreated, claimDenied, claimSettled, claimSubmitted, type ClaimEvent } from './events.ts';
import { evolveClaim, initialClaimState, type ClaimState, type ClaimStatus } from './state.ts';

/** The claim state machine: none → created → submitted → settled | denied; both ends are final. */
function decideClaim(command: ClaimCommand, state: ClaimState): readonly ClaimEvent[] {
  const { claimId, now } = command;
  switch (command.type) {
    case 'CreateClaim': {
      requireStatus(state, 'none', command.type);
      requirePositive('claimed', command.claimed);
      const { patientId, payerId, policyNumber, episode, claimed, diagnosisSummary } = command;
      return [
        emit(claimCreated, {
          claimId,
          patientId,
          payerId,
          policyNumber,
          episode,
          claimed,
          diagnosisSummary,
          createdAt: toInstant(now),
        }),
      ];
    }
    case 'SubmitClaim':
      requireStatus(state, 'created', command.type);
      return [
        emit(claimSubmitted, {
          claimId,
          payerReference: command.payerReference,
          submittedAt: toInstant(now),
        }),
      ];
    case 'SettleClaim': {
      const { claimed } = requireSubmitted(state, command.type);
      requirePositive('settled', command.settled);
      requireCurrency(claimed.currency, command.settled, { field: 'settled' });
      if (command.settled.amountMinor > claimed.amountMinor) {
        throw new DomainRuleError(
          'CLAIM_SETTLEMENT_EXCEEDS_CLAIM',
          'a claim cannot settle for more than was claimed',
          {
            claimId,
            settledMinor: command.settled.amountMinor,
            claimedMinor: claimed.amountMinor,
            currency: claimed.currency,
          },
        );
      }
      return [
        emit(claimSettled, {
          claimId,
          claimed,
          settled: command.settled,
          payerReference: command.payerReference,
          settledAt: toInstant(now),
        }),
      ];
    }
    case 'DenyClaim': {
      const { patientId } = requireSubmitted(state, command.type);
      return [
        emit(claimDenied, {
          claimId,
          patientId,
          reasonCode: command.reasonCode,
          note: command.note,
          deniedAt: toInstant(now),
        }),
      ];
    }
  }
}

function requireStatus(state: ClaimState, expected: ClaimStatus, command: string): void {
  if (state.status !== expected) throw invalidTransition('claim', state.status, command);
}

function requireSubmitted(state: ClaimState, command: string): NonNullable<ClaimState['claim']> {
  if (state.status !== 'submitted' || state.claim === null)
    throw invalidTransition('claim', state.status, command);
  return state.claim;
}

export const claimDecider: Decider<ClaimCommand, ClaimState, ClaimEvent> = {
  initialState: initialClaimState,
  decide: decideClaim,
  evolve: evolveClaim,
};
