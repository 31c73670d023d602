/** Branch commands over HTTP: add a branch (priced by a pricing policy) and remove it. */
import { z } from 'zod';
import { BRANCH_REMOVAL_REASONS } from '../../domain/branch/events.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { idParams } from './body-schemas.ts';
import { defineCommandRoute } from './command-endpoint.ts';

const common = { tags: ['branches'], permission: 'branches:write', aggregate: 'branch' } as const;
const params = idParams('branchId');

export const addBranch = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/branches/:branchId',
  summary: 'Add a branch (the caller chooses its id; bookings there are priced by the named policy)',
  creates: true,
  params,
  body: z.strictObject({ name: z.string().trim().min(1).max(200), pricingPolicyId: identifierSchema }),
  command: ({ params, body }, ctx) => ({ type: 'AddBranch', ...params, ...body, now: ctx.now }),
});

export const removeBranch = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/branches/:branchId/remove',
  summary: 'Remove a branch: it takes no new bookings, and its id is never reused',
  creates: false,
  params,
  body: z.strictObject({ reasonCode: z.enum(BRANCH_REMOVAL_REASONS) }),
  command: ({ params, body }, ctx) => ({ type: 'RemoveBranch', ...params, ...body, now: ctx.now }),
});

export const BRANCH_COMMAND_ROUTES = [addBranch, removeBranch];
