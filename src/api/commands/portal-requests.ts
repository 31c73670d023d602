/**
 * What a patient asks for on the portal, recorded as a portal request; the portal-requests process manager
 * then books, cancels or asks for a reschedule through the booking rules and resolves the request (accepted
 * or refused with the rule's code). Accepting and refusing are that process's alone, so they have no route.
 */
import { z } from 'zod';
import type { PortalRequestCommand } from '../../domain/portal/commands.ts';
import { consultationTypeSchema } from '../../domain/pricing-policy/events.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';
import { clinicalTextBody, idParams, slotBody } from './body-schemas.ts';
import { defineCommandRoute, type CommandContext } from './command-endpoint.ts';
import { requireBookingOfPatient } from './own-records.ts';

const portalRequestBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('booking'),
    patientId: identifierSchema,
    doctorId: identifierSchema,
    branchId: identifierSchema,
    consultationType: consultationTypeSchema,
    slot: slotBody,
    reasonForVisit: clinicalTextBody.nullable().default(null),
  }),
  z.strictObject({
    kind: z.literal('reschedule'),
    patientId: identifierSchema,
    bookingId: identifierSchema,
    preferredSlot: slotBody.nullable().default(null),
  }),
  z.strictObject({
    kind: z.literal('cancellation'),
    patientId: identifierSchema,
    bookingId: identifierSchema,
  }),
]);

type PortalRequestBody = z.output<typeof portalRequestBody>;

async function portalRequestCommand(
  requestId: string,
  body: PortalRequestBody,
  ctx: CommandContext,
): Promise<PortalRequestCommand> {
  const { now } = ctx;
  switch (body.kind) {
    case 'booking': {
      const { kind: _kind, ...request } = body;
      ctx.requireOwnRecord(request.patientId);
      return { type: 'RequestPortalBooking', requestId, ...request, now };
    }
    case 'reschedule': {
      const { kind: _kind, ...request } = body;
      await requireBookingOfPatient(ctx, request.bookingId, request.patientId);
      return { type: 'RequestPortalReschedule', requestId, ...request, now };
    }
    case 'cancellation': {
      const { kind: _kind, ...request } = body;
      await requireBookingOfPatient(ctx, request.bookingId, request.patientId);
      return { type: 'RequestPortalCancellation', requestId, ...request, now };
    }
  }
}

export const createPortalRequest = defineCommandRoute({
  method: 'POST',
  url: '/v1/portal-requests/:requestId',
  summary: 'Ask, as a patient on the portal, for a booking, a reschedule or a cancellation',
  description: 'Answered at once with the recorded request; the outcome follows on the request stream.',
  tags: ['portal'],
  permission: 'bookings:write',
  aggregate: 'portal_request',
  creates: true,
  params: idParams('requestId'),
  body: portalRequestBody,
  command: ({ params, body }, ctx) => portalRequestCommand(params.requestId, body, ctx),
});
