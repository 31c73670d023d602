import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../shared/event-definition.ts';
import type { EventOf } from '../shared/event-of.ts';
import { moneySchema } from '../shared/money.ts';
import {
  businessDateSchema,
  idSchema,
  instantSchema,
  nonNegativeMoneySchema,
} from '../shared/payload-schemas.ts';
import { paymentMethodSchema } from '../payment/payment-method.ts';

/**
 * Events of a branch's daily reconciliation (seed §8 reconciliation_view, §12 branch variance): what the books
 * expected against what was counted or settled, per payment method, why they differ, and the day's close.
 */
const AGGREGATE = 'reconciliation';

export const VARIANCE_REASONS = [
  'cash_short',
  'cash_over',
  'gateway_settlement_pending',
  'refund_timing',
  'entry_error',
  'unexplained',
] as const;
const varianceReasonSchema = z.enum(VARIANCE_REASONS);

export const reconciliationOpened = defineEvent({
  type: 'reconciliation.opened',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The branch started reconciling one business day, in one currency.',
  schema: z.strictObject({
    reconciliationId: idSchema,
    branchId: idSchema,
    businessDate: businessDateSchema,
    currency: moneySchema.shape.currency,
    openedAt: instantSchema,
  }),
  sensitive: {},
});

export const figuresRecorded = defineEvent({
  type: 'reconciliation.figures.recorded',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'Expected and collected totals for one payment method; a later recording for the method replaces it.',
  schema: z.strictObject({
    reconciliationId: idSchema,
    method: paymentMethodSchema,
    expected: nonNegativeMoneySchema,
    collected: nonNegativeMoneySchema,
    recordedAt: instantSchema,
  }),
  sensitive: {},
});

export const varianceRecorded = defineEvent({
  type: 'reconciliation.variance.recorded',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'Why the day’s collected total differs from the expected one; variance is collected − expected.',
  schema: z.strictObject({
    reconciliationId: idSchema,
    variance: moneySchema.refine((money) => money.amountMinor !== 0, 'a variance is never zero'),
    reasonCode: varianceReasonSchema,
    recordedAt: instantSchema,
  }),
  sensitive: {},
});

export const reconciliationSettled = defineEvent({
  type: 'reconciliation.settled',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'The day is closed with these totals; nothing changes afterwards.',
  schema: z.strictObject({
    reconciliationId: idSchema,
    branchId: idSchema,
    businessDate: businessDateSchema,
    expected: nonNegativeMoneySchema,
    collected: nonNegativeMoneySchema,
    variance: moneySchema,
    varianceReasonCode: varianceReasonSchema.nullable(),
    settledAt: instantSchema,
  }),
  sensitive: {},
});

export const events: readonly EventDefinition[] = [
  reconciliationOpened,
  figuresRecorded,
  varianceRecorded,
  reconciliationSettled,
];

export type ReconciliationEvent =
  | EventOf<typeof reconciliationOpened>
  | EventOf<typeof figuresRecorded>
  | EventOf<typeof varianceRecorded>
  | EventOf<typeof reconciliationSettled>;
