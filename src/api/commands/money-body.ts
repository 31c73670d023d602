/**
 * Money in command bodies: integer minor units (paise for INR) and an ISO 4217 currency, exactly as the domain
 * keeps it (src/domain/shared/money.ts) — never a float, never a formatted string. A wrong amount is a 400
 * naming `<field>.amountMinor` before anything is decided.
 *
 * @example
 * body: z.strictObject({ amount: positiveMoneyBody })   // { "amount": { "amountMinor": 20000, "currency": "INR" } }
 */
import { z } from 'zod';
import { moneySchema } from '../../domain/shared/money.ts';

const amountMinor = moneySchema.shape.amountMinor.describe('integer minor units (paise for INR)');

const moneyBody = z.strictObject({ amountMinor, currency: moneySchema.shape.currency });

/** An amount that moves money (a payment, a refund, a claim): more than zero. */
export const positiveMoneyBody = moneyBody.extend({ amountMinor: amountMinor.positive() });

/** An amount that may be nothing (what a won dispute returned, what a day's till expected). */
export const nonNegativeMoneyBody = moneyBody.extend({ amountMinor: amountMinor.nonnegative() });
