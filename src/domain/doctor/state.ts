import type { AvailabilityWindow, BLOCK_REASONS, DoctorEvent } from './events.ts';

/** What scheduling needs to know about a doctor, rebuilt from the doctor's events. */
export interface DoctorBlock {
  readonly startsAt: string;
  readonly endsAt: string;
  readonly reasonCode: (typeof BLOCK_REASONS)[number];
}

export interface OnboardedDoctor {
  readonly status: 'onboarded';
  readonly doctorId: string;
  readonly name: string;
  readonly timeZone: string;
  readonly branchIds: readonly string[];
  /** Branch id → weekly windows, sorted by weekday then start. */
  readonly availability: Readonly<Record<string, readonly AvailabilityWindow[]>>;
  readonly blocks: Readonly<Record<string, DoctorBlock>>;
}

export type DoctorState = { readonly status: 'none' } | OnboardedDoctor;

export const initialDoctorState = (): DoctorState => ({ status: 'none' });

export function evolveDoctor(state: DoctorState, event: DoctorEvent): DoctorState {
  if (event.type === 'doctor.onboarded') {
    const { doctorId, name, timeZone } = event.data;
    return { status: 'onboarded', doctorId, name, timeZone, branchIds: [], availability: {}, blocks: {} };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'doctor.branch.assigned':
      return { ...state, branchIds: [...state.branchIds, event.data.branchId] };
    case 'doctor.availability.updated':
      return { ...state, availability: { ...state.availability, [event.data.branchId]: event.data.windows } };
    case 'doctor.block.added': {
      const { blockId, startsAt, endsAt, reasonCode } = event.data;
      return { ...state, blocks: { ...state.blocks, [blockId]: { startsAt, endsAt, reasonCode } } };
    }
    case 'doctor.block.removed': {
      const { [event.data.blockId]: _removed, ...blocks } = state.blocks;
      return { ...state, blocks };
    }
  }
}
