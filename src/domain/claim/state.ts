import type { Money } from '../shared/money.ts';
import type { ClaimEvent } from './events.ts';

/** What decide needs to know about a claim, rebuilt from its events. */
export type ClaimStatus = 'none' | 'created' | 'submitted' | 'settled' | 'denied';

export interface ClaimState {
  readonly status: ClaimStatus;
  /** Known once created. */
  readonly claim: { readonly patientId: string; readonly claimed: Money } | null;
}

export const initialClaimState = (): ClaimState => ({ status: 'none', claim: null });

export function evolveClaim(state: ClaimState, event: ClaimEvent): ClaimState {
  switch (event.type) {
    case 'claim.created':
      return { status: 'created', claim: { patientId: event.data.patientId, claimed: event.data.claimed } };
    case 'claim.submitted':
      return { ...state, status: 'submitted' };
    case 'claim.settled':
      return { ...state, status: 'settled' };
    case 'claim.denied':
      return { ...state, status: 'denied' };
  }
}
