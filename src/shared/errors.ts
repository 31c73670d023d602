/**
 * Every failure the system reports carries a stable machine-readable `code` and the facts that explain it.
 * Only the HTTP edge turns codes into status numbers; the core never speaks HTTP.
 */
export type ErrorFacts = Readonly<Record<string, unknown>>;

export class MyMedicError extends Error {
  readonly code: string;
  readonly facts: ErrorFacts;

  constructor(code: string, message: string, facts: ErrorFacts = {}) {
    super(message);
    this.name = 'MyMedicError';
    this.code = code;
    this.facts = facts;
  }
}

/** Input failed validation; nothing was written. `field` is the dotted path of the first offending field. */
export class ValidationError extends MyMedicError {
  constructor(field: string, message: string, facts: ErrorFacts = {}) {
    super('VALIDATION_FAILED', `${field}: ${message}`, { field, ...facts });
    this.name = 'ValidationError';
  }

  get field(): string {
    return String(this.facts['field']);
  }
}

export const isMyMedicError = (error: unknown): error is MyMedicError => error instanceof MyMedicError;
