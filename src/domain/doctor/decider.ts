import { ValidationError } from '../../shared/errors.ts';
import { requireActiveBranch } from '../branch/guards.ts';
import type { Decider } from '../shared/decider.ts';
import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { emit } from '../shared/emit.ts';
import { invalidTransition } from '../shared/invalid-transition.ts';
import { toInstant } from '../shared/payload-schemas.ts';
import { findWindowClash, sortWindows } from './availability.ts';
import { requireAssigned } from './guards.ts';
import { isTimeZone } from './local-time.ts';
import type { DoctorCommand } from './commands.ts';
import {
  doctorAvailabilityUpdated,
  doctorBlockAdded,
  doctorBlockRemoved,
  doctorBranchAssigned,
  doctorOnboarded,
  type DoctorEvent,
} from './events.ts';
import { evolveDoctor, initialDoctorState, type DoctorState, type OnboardedDoctor } from './state.ts';

/**
 * A doctor is onboarded once, assigned to active branches, and publishes weekly availability per assigned branch;
 * windows never overlap across branches. Blocks are added and removed by id.
 */
function decideDoctor(command: DoctorCommand, state: DoctorState): readonly DoctorEvent[] {
  if (command.type === 'OnboardDoctor') {
    if (state.status !== 'none') throw invalidTransition('doctor', state.status, command.type);
    const { doctorId, name, registrationNumber, specialties, timeZone } = command;
    if (!isTimeZone(timeZone)) throw new ValidationError('timeZone', 'is not a time zone this system knows');
    return [
      emit(doctorOnboarded, { doctorId, name, registrationNumber, specialties: [...specialties], timeZone }),
    ];
  }
  const doctor = requireOnboarded(state, command.type);
  switch (command.type) {
    case 'AssignDoctorToBranch':
      requireActiveBranch(command.branch, command.branchId);
      if (doctor.branchIds.includes(command.branchId)) {
        throw new DomainRuleError(
          'DOCTOR_ALREADY_ASSIGNED',
          'the doctor is already assigned to this branch',
          {
            doctorId: doctor.doctorId,
            branchId: command.branchId,
          },
        );
      }
      return [emit(doctorBranchAssigned, { doctorId: doctor.doctorId, branchId: command.branchId })];
    case 'UpdateDoctorAvailability': {
      requireAssigned(doctor, command.branchId);
      const windows = sortWindows(command.windows);
      const clash = findWindowClash(doctor, command.branchId, windows);
      if (clash !== null) {
        throw new DomainRuleError('AVAILABILITY_OVERLAP', 'two availability windows of the doctor overlap', {
          doctorId: doctor.doctorId,
          ...clash,
        });
      }
      return [
        emit(doctorAvailabilityUpdated, { doctorId: doctor.doctorId, branchId: command.branchId, windows }),
      ];
    }
    case 'AddDoctorBlock':
      if (doctor.blocks[command.blockId] !== undefined) {
        throw new DomainRuleError('DOCTOR_BLOCK_EXISTS', 'a block with this id exists', {
          blockId: command.blockId,
        });
      }
      if (command.endsAt.getTime() <= command.now.getTime()) {
        throw new DomainRuleError('DOCTOR_BLOCK_IN_PAST', 'a block must end in the future', {
          blockId: command.blockId,
          endsAt: toInstant(command.endsAt),
        });
      }
      return [
        emit(doctorBlockAdded, {
          doctorId: doctor.doctorId,
          blockId: command.blockId,
          startsAt: toInstant(command.startsAt),
          endsAt: toInstant(command.endsAt),
          reasonCode: command.reasonCode,
        }),
      ];
    case 'RemoveDoctorBlock':
      if (doctor.blocks[command.blockId] === undefined) {
        throw new DomainRuleError('DOCTOR_BLOCK_NOT_FOUND', 'no block with this id', {
          blockId: command.blockId,
        });
      }
      return [emit(doctorBlockRemoved, { doctorId: doctor.doctorId, blockId: command.blockId })];
  }
}

function requireOnboarded(state: DoctorState, command: string): OnboardedDoctor {
  if (state.status !== 'onboarded') throw invalidTransition('doctor', state.status, command);
  return state;
}

export const doctorDecider: Decider<DoctorCommand, DoctorState, DoctorEvent> = {
  initialState: initialDoctorState,
  decide: decideDoctor,
  evolve: evolveDoctor,
};
