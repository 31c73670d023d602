import type { RequestedSlot } from '../domain/portal/commands.ts';
import { DomainRuleError } from '../domain/shared/domain-rule-error.ts';
import type { ProcessManager, ReactionContext } from './process-manager.ts';

interface PortalRequestPayload {
  readonly requestId: string;
  readonly patientId: string;
  readonly bookingId?: string;
  readonly doctorId?: string;
  readonly branchId?: string;
  readonly consultationType?: string;
  readonly slot?: RequestedSlot;
  readonly preferredSlot?: RequestedSlot | null;
  readonly reasonForVisit?: string | null;
}

/** The booking a portal booking request creates: named after the request, so a redelivery finds it. */
export const bookingIdForPortalRequest = (requestId: string): string => `bk-${requestId}`;

/**
 * Turns what a patient asked for on the portal into the booking-side command — book, cancel or request a
 * reschedule, through the same guards as every other channel — and resolves the request: accepted with
 * the booking id, or refused with the business rule's code.
 */
export const portalRequests: ProcessManager = {
  name: 'portal-requests',
  eventTypes: ['portal.booking.requested', 'portal.cancellation.requested', 'portal.reschedule.requested'],
  async react(context) {
    const request = context.event.data as PortalRequestPayload;
    const tenantId = context.cause.tenantId;
    const pending = await context.commands.state(tenantId, 'portal_request', request.requestId);
    if ((pending.state as { status: string }).status !== 'pending') return;
    const now = context.cause.occurredAt;
    try {
      const bookingId = await act(context, request);
      await context.commands.execute(
        'portal_request',
        { type: 'AcceptPortalRequest', requestId: request.requestId, bookingId, now },
        context.metadata('accept'),
      );
    } catch (error) {
      if (!(error instanceof DomainRuleError)) throw error;
      await context.commands.execute(
        'portal_request',
        { type: 'RefusePortalRequest', requestId: request.requestId, reasonCode: error.code, now },
        context.metadata('refuse'),
      );
    }
  },
};

/** Runs the request's command unless a previous delivery already did; returns the booking it concerns. */
async function act(context: ReactionContext, request: PortalRequestPayload): Promise<string> {
  const now = context.cause.occurredAt;
  const bookingId = request.bookingId ?? bookingIdForPortalRequest(request.requestId);
  if (await context.stepDone('act')) return bookingId;
  const metadata = context.metadata('act');
  switch (context.cause.eventType) {
    case 'portal.booking.requested':
      await context.commands.book(
        {
          type: 'CreateBooking',
          bookingId,
          patientId: request.patientId,
          doctorId: request.doctorId!,
          branchId: request.branchId!,
          channel: 'portal',
          consultationType: request.consultationType!,
          slot: request.slot!,
          reasonForVisit: typeof request.reasonForVisit === 'string' ? request.reasonForVisit : null,
          portalRequestId: request.requestId,
          now,
        },
        metadata,
      );
      break;
    case 'portal.cancellation.requested':
      await context.commands.book(
        {
          type: 'CancelBooking',
          bookingId,
          initiatedBy: 'patient',
          reasonCode: 'patient_request',
          portalRequestId: request.requestId,
          now,
        },
        metadata,
      );
      break;
    case 'portal.reschedule.requested':
      await context.commands.book(
        {
          type: 'RequestReschedule',
          bookingId,
          requestId: `rs-${request.requestId}`,
          requestedBy: 'patient',
          preferredSlot: request.preferredSlot ?? null,
          portalRequestId: request.requestId,
          now,
        },
        metadata,
      );
      break;
  }
  return bookingId;
}
