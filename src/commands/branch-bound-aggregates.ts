/**
 * Aggregates that live in exactly one branch: their first event names it, and later events whose payload does
 * not (a refund, a forfeit, a reconciliation figure) still belong to that branch. The envelope's branch_id of
 * those later events is inherited, so branch-sliced reads and replays see the whole of a branch's money.
 * Doctors, patients, pricing policies and slot ledgers span branches and inherit nothing.
 */
const BRANCH_BOUND_AGGREGATES: ReadonlySet<string> = new Set([
  'booking',
  'payment',
  'visit',
  'reconciliation',
  'admission',
  'encounter',
]);

export function isBranchBound(aggregateType: string): boolean {
  return BRANCH_BOUND_AGGREGATES.has(aggregateType);
}
