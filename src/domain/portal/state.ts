import type { PortalRequestEvent, PortalRequestKind } from './events.ts';

/** A portal request and its outcome. `bookingId` is known from the start for reschedules and cancellations. */
export type PortalRequestState =
  | { readonly status: 'none' }
  | {
      readonly status: 'pending' | 'accepted' | 'refused';
      readonly requestId: string;
      readonly patientId: string;
      readonly kind: PortalRequestKind;
      readonly bookingId: string | null;
      readonly reasonCode: string | null;
    };

export const initialPortalRequestState = (): PortalRequestState => ({ status: 'none' });

export function evolvePortalRequest(
  state: PortalRequestState,
  event: PortalRequestEvent,
): PortalRequestState {
  const opened = (kind: PortalRequestKind, bookingId: string | null): PortalRequestState => ({
    status: 'pending',
    requestId: event.data.requestId,
    patientId: event.data.patientId,
    kind,
    bookingId,
    reasonCode: null,
  });
  switch (event.type) {
    case 'portal.booking.requested':
      return opened('booking', null);
    case 'portal.reschedule.requested':
      return opened('reschedule', event.data.bookingId);
    case 'portal.cancellation.requested':
      return opened('cancellation', event.data.bookingId);
    case 'portal.request.accepted':
      return state.status === 'none'
        ? state
        : { ...state, status: 'accepted', bookingId: event.data.bookingId };
    case 'portal.request.refused':
      return state.status === 'none'
        ? state
        : { ...state, status: 'refused', reasonCode: event.data.reasonCode };
  }
}
