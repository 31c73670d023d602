import { z } from 'zod';

/** How money moved at the counter or online; shared by payments and the branch's daily reconciliation. */
export const PAYMENT_METHODS = ['cash', 'card', 'upi', 'netbanking', 'wallet'] as const;
export const paymentMethodSchema = z.enum(PAYMENT_METHODS);
export type PaymentMethod = z.output<typeof paymentMethodSchema>;
