import type { VisitEvent } from './events.ts';

/** What decide needs to know about a visit, rebuilt from its events. */
export type VisitStatus = 'none' | 'arrived' | 'started' | 'completed' | 'no_show';

export interface VisitState {
  readonly status: VisitStatus;
  /** Known from arrival or no-show on. */
  readonly party: { readonly patientId: string; readonly doctorId: string } | null;
  /** Follow-up id → whether it is still to happen. */
  readonly followUps: Readonly<Record<string, 'scheduled' | 'completed'>>;
}

export const initialVisitState = (): VisitState => ({ status: 'none', party: null, followUps: {} });

export function evolveVisit(state: VisitState, event: VisitEvent): VisitState {
  switch (event.type) {
    case 'visit.arrived':
      return { ...state, status: 'arrived', party: partyOf(event.data) };
    case 'visit.no_show.recorded':
      return { ...state, status: 'no_show', party: partyOf(event.data) };
    case 'visit.started':
      return { ...state, status: 'started' };
    case 'visit.completed':
      return { ...state, status: 'completed' };
    case 'followup.scheduled':
      return { ...state, followUps: { ...state.followUps, [event.data.followUpId]: 'scheduled' } };
    case 'followup.completed':
      return { ...state, followUps: { ...state.followUps, [event.data.followUpId]: 'completed' } };
  }
}

const partyOf = ({ patientId, doctorId }: { patientId: string; doctorId: string }) => ({
  patientId,
  doctorId,
});
