import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../shared/event-definition.ts';
import type { EventOf } from '../shared/event-of.ts';
import { idSchema } from '../shared/payload-schemas.ts';

/**
 * Events of the branch stream (seed §4 E, chain governance): a branch opens under a pricing policy and may be
 * removed; a removed branch takes no new bookings.
 */
const AGGREGATE = 'branch';

export const BRANCH_REMOVAL_REASONS = ['closed', 'merged', 'sold', 'other'] as const;

export const branchAdded = defineEvent({
  type: 'branch.added',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description: 'A branch joined the tenant (clinic or chain). Its bookings are priced by pricingPolicyId.',
  schema: z.strictObject({
    branchId: idSchema,
    name: z.string().trim().min(1).max(200),
    pricingPolicyId: idSchema,
  }),
  sensitive: {},
});

export const branchRemoved = defineEvent({
  type: 'branch.removed',
  schemaVersion: 1,
  aggregateType: AGGREGATE,
  description:
    'The branch left the tenant: it takes no new bookings or reschedules; existing bookings stay as they are.',
  schema: z.strictObject({
    branchId: idSchema,
    reasonCode: z.enum(BRANCH_REMOVAL_REASONS),
  }),
  sensitive: {},
});

export const events: readonly EventDefinition[] = [branchAdded, branchRemoved];

export type BranchEvent = EventOf<typeof branchAdded> | EventOf<typeof branchRemoved>;
