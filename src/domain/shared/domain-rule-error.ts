import { MyMedicError, type ErrorFacts } from '../../shared/errors.ts';

/**
 * A command refused by a business rule (slot taken, refund larger than paid, invalid transition ...).
 * `code` is stable and upper snake case; the API maps it to 409 without the domain knowing about HTTP.
 */
export class DomainRuleError extends MyMedicError {
  constructor(code: string, message: string, facts: ErrorFacts = {}) {
    super(code, message, facts);
    this.name = 'DomainRuleError';
  }
}
