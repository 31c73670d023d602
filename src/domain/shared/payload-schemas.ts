import { z } from 'zod';
import { moneySchema } from './money.ts';

/**
 * Building blocks of event payload schemas, so every aggregate spells ids, instants, business dates and amounts
 * the same way on the wire.
 */
export const idSchema = z.string().min(1).max(200);

/** A UTC instant as ISO 8601 (`2026-11-27T10:15:00.000Z`), the only way time appears in a payload. */
export const instantSchema = z.iso.datetime();

/** A calendar day (`YYYY-MM-DD`) such as a branch's business day; never a timestamp. */
export const businessDateSchema = z.iso.date();

export const positiveMoneySchema = moneySchema.refine((money) => money.amountMinor > 0, 'must be positive');
export const nonNegativeMoneySchema = moneySchema.refine(
  (money) => money.amountMinor >= 0,
  'must not be negative',
);

/** A short machine code chosen from a list outside the domain (payer denial codes, gateway reason codes). */
export const externalCodeSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/);

/** The command's time as it is written into a payload. */
export const toInstant = (now: Date): string => now.toISOString();
