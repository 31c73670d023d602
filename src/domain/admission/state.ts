import type { ADT_ORDER_KINDS, AdmissionEvent, Location } from './events.ts';

/** What decide needs to know about an admission, rebuilt from its events. */
export type AdmissionStatus = 'none' | 'admitted' | 'discharged';
export type AdtOrderKind = (typeof ADT_ORDER_KINDS)[number];

export interface AdtOrderState {
  readonly kind: AdtOrderKind;
  readonly toWardId: string | null;
  readonly status: 'pending' | 'fulfilled';
}

export interface AdmissionState {
  readonly status: AdmissionStatus;
  /** Known from the admit order or the admission, whichever came first. */
  readonly patientId: string | null;
  /** Where the patient lies while admitted. */
  readonly location: Location | null;
  readonly orders: Readonly<Record<string, AdtOrderState>>;
}

export const initialAdmissionState = (): AdmissionState => ({
  status: 'none',
  patientId: null,
  location: null,
  orders: {},
});

export function evolveAdmission(state: AdmissionState, event: AdmissionEvent): AdmissionState {
  switch (event.type) {
    case 'adt.order.submitted': {
      const { orderId, kind, toWardId, patientId } = event.data;
      return {
        ...state,
        patientId,
        orders: { ...state.orders, [orderId]: { kind, toWardId, status: 'pending' } },
      };
    }
    case 'admission.admitted':
      return fulfil(
        { ...state, status: 'admitted', patientId: event.data.patientId, location: event.data.location },
        event.data.orderId,
      );
    case 'admission.transferred':
      return fulfil({ ...state, location: event.data.to }, event.data.orderId);
    case 'admission.discharged':
      return fulfil({ ...state, status: 'discharged', location: null }, event.data.orderId);
  }
}

function fulfil(state: AdmissionState, orderId: string | null): AdmissionState {
  const order = orderId === null ? undefined : state.orders[orderId];
  if (orderId === null || order === undefined) return state;
  return { ...state, orders: { ...state.orders, [orderId]: { ...order, status: 'fulfilled' } } };
}
