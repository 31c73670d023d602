/**
 * A branch has one reconciliation per business day, so its id is derived, not drawn: `<branchId>:<YYYY-MM-DD>`.
 * Appending `reconciliation.opened` with "no stream" expected then refuses a second one for the same day.
 */
export const reconciliationIdOf = (branchId: string, businessDate: string): string =>
  `${branchId}:${businessDate}`;
