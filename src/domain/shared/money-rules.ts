import { ValidationError } from '../../shared/errors.ts';
import { DomainRuleError } from './domain-rule-error.ts';
import type { Money } from './money.ts';

/** Checks shared by every aggregate that handles money: sign of an input amount, and one currency per ledger. */
export function requirePositive(field: string, money: Money): void {
  if (money.amountMinor <= 0 || !Number.isSafeInteger(money.amountMinor)) {
    throw new ValidationError(field, 'must be a positive integer amount in minor units', {
      amountMinor: money.amountMinor,
    });
  }
}

export function requireNonNegative(field: string, money: Money): void {
  if (money.amountMinor < 0 || !Number.isSafeInteger(money.amountMinor)) {
    throw new ValidationError(field, 'must be a non-negative integer amount in minor units', {
      amountMinor: money.amountMinor,
    });
  }
}

/** Amounts of different currencies are never added or compared; the ledger's currency is fixed by its first amount. */
export function requireCurrency(
  expected: string,
  money: Money,
  facts: Readonly<Record<string, unknown>> = {},
): void {
  if (money.currency !== expected) {
    throw new DomainRuleError(
      'CURRENCY_MISMATCH',
      `amount is in ${money.currency}, the ledger is in ${expected}`,
      {
        ...facts,
        expected,
        actual: money.currency,
      },
    );
  }
}
