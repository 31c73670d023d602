import type { ConsentPurpose, HiType } from './events.ts';
import type { Consent, PatientState } from './state.ts';

/**
 * Whether the patient had, at instant `at`, a consent for `purpose` (optionally covering one health-information
 * type and/or given to one requester): granted at or before `at`, not yet expired, not yet revoked. Asked about a
 * past instant it answers for that instant, so audits can check what was allowed when data was used.
 */
export function hasConsent(
  state: PatientState,
  purpose: ConsentPurpose,
  at: Date,
  scope: { readonly hiType?: HiType; readonly requesterId?: string } = {},
): boolean {
  if (state.status !== 'registered') return false;
  return Object.values(state.consents).some(
    (consent) =>
      consent.purpose === purpose &&
      (scope.hiType === undefined || consent.hiTypes.includes(scope.hiType)) &&
      (scope.requesterId === undefined || consent.requesterId === scope.requesterId) &&
      inForceAt(consent, at.getTime()),
  );
}

export function inForceAt(consent: Consent, atMs: number): boolean {
  return (
    Date.parse(consent.grantedAt) <= atMs &&
    atMs < Date.parse(consent.expiresAt) &&
    (consent.revokedAt === null || atMs < Date.parse(consent.revokedAt))
  );
}
