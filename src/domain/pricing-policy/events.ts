import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../shared/event-definition.ts';
import type { EventOf } from '../shared/event-of.ts';
import { moneySchema } from '../shared/money.ts';
import { idSchema, instantSchema } from '../shared/payload-schemas.ts';

/**
 * Events of the pricing-policy stream (seed §4 E). Each change is a complete, effective-dated version of the rule
 * set, so "which rule applied at T" is answered from the versions alone (seed §13 "what policies applied").
 */
const AGGREGATE = 'pricing_policy';

/** `in_person`, `tele`, `follow_up`, ...: the tenant's own vocabulary of consultation types. */
export const consultationTypeSchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a snake_case code');

/** Longest cancellation window a policy may set: 30 days. */
export const MAX_CANCELLATION_WINDOW_MINUTES = 30 * 24 * 60;

const nonNegativeAmount = moneySchema.refine((money) => money.amountMinor >= 0, 'must not be negative');

export const consultationPriceSchema = z
  .strictObject({
    consultationType: consultationTypeSchema,
    price: nonNegativeAmount,
    /** Paid at booking; forfeited on a late cancellation or a no-show (payment side decides). */
    deposit: nonNegativeAmount,
  })
  .refine((entry) => entry.deposit.currency === entry.price.currency, {
    message: 'deposit and price must share a currency',
    path: ['deposit', 'currency'],
  })
  .refine((entry) => entry.deposit.amountMinor <= entry.price.amountMinor, {
    message: 'deposit must not exceed the price',
    path: ['deposit', 'amountMinor'],
  });

export const pricingRuleChanged = defineEvent({
  type: 'pricing.rule.changed',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'A new version of the policy’s whole rule set, in force from effectiveFrom for bookings made from then on ' +
    '(it supersedes every earlier version from that instant). Prices and deposits per consultation type, in ' +
    'minor units of one currency; cancellationWindowMinutes before the slot, a patient cancellation is late.',
  schema: z
    .strictObject({
      policyId: idSchema,
      version: z.number().int().min(1),
      effectiveFrom: instantSchema,
      currency: z.string().regex(/^[A-Z]{3}$/),
      cancellationWindowMinutes: z.number().int().min(0).max(MAX_CANCELLATION_WINDOW_MINUTES),
      prices: z.array(consultationPriceSchema).min(1).max(100),
    })
    .refine((rule) => rule.prices.every((entry) => entry.price.currency === rule.currency), {
      message: 'every price must be in the rule currency',
      path: ['prices'],
    })
    .refine(
      (rule) => new Set(rule.prices.map((entry) => entry.consultationType)).size === rule.prices.length,
      {
        message: 'a consultation type may be priced once',
        path: ['prices'],
      },
    ),
  sensitive: {},
});

export const events: readonly EventDefinition[] = [pricingRuleChanged];

export type PricingPolicyEvent = EventOf<typeof pricingRuleChanged>;
export type PricingRule = PricingPolicyEvent['data'];
export type ConsultationPrice = PricingRule['prices'][number];
