import type { EncounterEvent } from './events.ts';

/** What decide needs to know about an encounter, rebuilt from its events. */
export type EncounterStatus = 'none' | 'open' | 'closed';

export interface EncounterState {
  readonly status: EncounterStatus;
  readonly patientId: string | null;
  readonly planIds: readonly string[];
  readonly referralIds: readonly string[];
}

export const initialEncounterState = (): EncounterState => ({
  status: 'none',
  patientId: null,
  planIds: [],
  referralIds: [],
});

export function evolveEncounter(state: EncounterState, event: EncounterEvent): EncounterState {
  switch (event.type) {
    case 'encounter.opened':
      return { ...state, status: 'open', patientId: event.data.patientId };
    case 'treatment.plan.started':
      return { ...state, planIds: [...state.planIds, event.data.planId] };
    case 'carepath.updated':
      return state;
    case 'referral.outbound':
      return { ...state, referralIds: [...state.referralIds, event.data.referralId] };
    case 'encounter.closed':
      return { ...state, status: 'closed' };
  }
}
