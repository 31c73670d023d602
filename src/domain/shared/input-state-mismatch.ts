import { MyMedicError } from '../../shared/errors.ts';

/**
 * A decision that reads other aggregates' states (booking reads doctor, branch, ledger ...) was handed the state
 * of a different instance than the command names. That is a bug in the caller, not a business refusal, so it is
 * not a DomainRuleError.
 */
export function requireSameInstance(aggregateType: string, expectedId: string, actualId: string): void {
  if (expectedId !== actualId) {
    throw new MyMedicError(
      'INPUT_STATE_MISMATCH',
      `the ${aggregateType} state passed in is not the one named`,
      {
        aggregateType,
        expectedId,
        actualId,
      },
    );
  }
}
