import { DomainRuleError } from '../shared/domain-rule-error.ts';
import type { AdmissionState, AdtOrderKind, AdtOrderState } from './state.ts';

/** Rules on ADT orders: ids are unique, one order of a kind waits at a time, and an order is fulfilled once. */

export function requireNewOrder(state: AdmissionState, orderId: string, kind: AdtOrderKind): void {
  if (state.orders[orderId] !== undefined) {
    throw new DomainRuleError('ADT_ORDER_DUPLICATE', 'an ADT order with this id exists', { orderId });
  }
  const pending = Object.entries(state.orders).find(
    ([, order]) => order.kind === kind && order.status === 'pending',
  );
  if (pending !== undefined) {
    throw new DomainRuleError('ADT_ORDER_ALREADY_PENDING', `a ${kind} order is already waiting`, {
      orderId,
      pendingOrderId: pending[0],
    });
  }
}

/** The pending order of this kind that the command says it fulfils; null when it names none. */
export function orderToFulfil(
  state: AdmissionState,
  orderId: string | null,
  kind: AdtOrderKind,
): AdtOrderState | null {
  if (orderId === null) return null;
  const order = state.orders[orderId];
  if (order === undefined)
    throw new DomainRuleError('ADT_ORDER_NOT_FOUND', 'no ADT order with this id', { orderId });
  if (order.kind !== kind) {
    throw new DomainRuleError('ADT_ORDER_KIND_MISMATCH', `the order is a ${order.kind} order, not ${kind}`, {
      orderId,
      orderKind: order.kind,
      kind,
    });
  }
  if (order.status !== 'pending') {
    throw new DomainRuleError('ADT_ORDER_NOT_PENDING', 'the order was already fulfilled', { orderId });
  }
  return order;
}
