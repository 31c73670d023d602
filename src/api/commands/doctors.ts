/**
 * Doctor commands over HTTP: onboard, assign to a branch, publish weekly availability at a branch, and add or
 * remove blocks (leave, conferences). Times of day are the doctor's own wall clock (`timeZone`).
 */
import { z } from 'zod';
import { branchDecider } from '../../domain/branch/decider.ts';
import { availabilityWindowSchema, BLOCK_REASONS } from '../../domain/doctor/events.ts';
import { timeZoneSchema } from '../../domain/doctor/local-time.ts';
import { idParams, instantBody } from './body-schemas.ts';
import { defineCommandRoute } from './command-endpoint.ts';

const common = { tags: ['doctors'], permission: 'doctors:write', aggregate: 'doctor' } as const;
const doctorParams = idParams('doctorId');
const branchParams = idParams('doctorId', 'branchId');
const blockParams = idParams('doctorId', 'blockId');

export const onboardDoctor = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/doctors/:doctorId',
  summary: 'Onboard a doctor (the caller chooses the id)',
  creates: true,
  params: doctorParams,
  body: z.strictObject({
    name: z.string().trim().min(1).max(200),
    registrationNumber: z.string().trim().min(1).max(50),
    specialties: z.array(z.string().trim().min(1).max(100)).max(20),
    timeZone: timeZoneSchema,
  }),
  command: ({ params, body }, ctx) => ({ type: 'OnboardDoctor', ...params, ...body, now: ctx.now }),
});

export const assignDoctorToBranch = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/doctors/:doctorId/branches/:branchId',
  summary: 'Let the doctor practise at an active branch',
  creates: false,
  params: branchParams,
  async command({ params }, ctx) {
    // The decision needs the branch to be active; a removal racing it is not fenced (the shell appends to
    // the doctor's stream only), as for every other channel.
    const stream = { tenantId: ctx.tenantId, aggregateType: 'branch', aggregateId: params.branchId };
    const branch = await ctx.commands.shell.load(stream, branchDecider);
    return { type: 'AssignDoctorToBranch', ...params, branch: branch.state, now: ctx.now };
  },
});

export const updateDoctorAvailability = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/doctors/:doctorId/branches/:branchId/availability',
  summary: 'Replace the doctor’s weekly availability at a branch (empty: no bookings there)',
  creates: false,
  params: branchParams,
  body: z.strictObject({ windows: z.array(availabilityWindowSchema).max(100) }),
  command: ({ params, body }, ctx) => ({
    type: 'UpdateDoctorAvailability',
    ...params,
    ...body,
    now: ctx.now,
  }),
});

export const addDoctorBlock = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/doctors/:doctorId/blocks/:blockId',
  summary: 'Block the doctor over [startsAt, endsAt) at every branch (the caller chooses the block id)',
  creates: false,
  params: blockParams,
  body: z
    .strictObject({ startsAt: instantBody, endsAt: instantBody, reasonCode: z.enum(BLOCK_REASONS) })
    .refine((block) => block.endsAt > block.startsAt, {
      message: 'must end after it starts',
      path: ['endsAt'],
    }),
  command: ({ params, body }, ctx) => ({ type: 'AddDoctorBlock', ...params, ...body, now: ctx.now }),
});

export const removeDoctorBlock = defineCommandRoute({
  ...common,
  method: 'POST',
  url: '/v1/doctors/:doctorId/blocks/:blockId/remove',
  summary: 'Withdraw a block; its time is bookable again where availability allows',
  creates: false,
  params: blockParams,
  command: ({ params }, ctx) => ({ type: 'RemoveDoctorBlock', ...params, now: ctx.now }),
});

export const DOCTOR_COMMAND_ROUTES = [
  onboardDoctor,
  assignDoctorToBranch,
  updateDoctorAvailability,
  addDoctorBlock,
  removeDoctorBlock,
];
