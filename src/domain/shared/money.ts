import { z } from 'zod';

/** Money is integer minor units (paise for INR) with an ISO 4217 currency; never a float. */
export const moneySchema = z.object({
  amountMinor: z.number().int().safe(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});

export type Money = z.output<typeof moneySchema>;
