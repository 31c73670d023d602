/** Pricing commands over HTTP: publish a new, effective-dated version of a policy's rule set. */
import { z } from 'zod';
import {
  consultationPriceSchema,
  MAX_CANCELLATION_WINDOW_MINUTES,
} from '../../domain/pricing-policy/events.ts';
import { moneySchema } from '../../domain/shared/money.ts';
import { idParams, instantBody } from './body-schemas.ts';
import { defineCommandRoute } from './command-endpoint.ts';

export const changePricingRule = defineCommandRoute({
  method: 'POST',
  url: '/v1/pricing-policies/:policyId/rules',
  summary:
    'Publish a new version of the policy’s rule set, in force from effectiveFrom (the first creates it)',
  description: 'Amounts are integer minor units (paise for INR), all in the rule currency.',
  tags: ['pricing'],
  permission: 'pricing:write',
  aggregate: 'pricing_policy',
  creates: false,
  params: idParams('policyId'),
  body: z
    .strictObject({
      effectiveFrom: instantBody,
      currency: moneySchema.shape.currency,
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
  command: ({ params, body }, ctx) => ({ type: 'ChangePricingRule', ...params, ...body, now: ctx.now }),
});

export const PRICING_COMMAND_ROUTES = [changePricingRule];
