import type { Decider } from '../shared/decider.ts';
import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { emit } from '../shared/emit.ts';
import { invalidTransition } from '../shared/invalid-transition.ts';
import { toInstant } from '../shared/payload-schemas.ts';
import type { VisitCommand } from './commands.ts';
import {
  followUpCompleted,
  followUpScheduled,
  visitArrived,
  visitCompleted,
  visitNoShowRecorded,
  visitStarted,
  type VisitEvent,
} from './events.ts';
import { evolveVisit, initialVisitState, type VisitState, type VisitStatus } from './state.ts';

/**
 * The visit state machine: none → arrived → started → completed, or none → no_show. Follow-ups hang off a
 * completed visit only, and each is completed once.
 */
function decideVisit(command: VisitCommand, state: VisitState): readonly VisitEvent[] {
  switch (command.type) {
    case 'RecordArrival': {
      requireStatus(state, 'none', command.type);
      const { visitId, bookingId, patientId, doctorId, branchId, tele, now } = command;
      return [
        emit(visitArrived, {
          visitId,
          bookingId,
          patientId,
          doctorId,
          branchId,
          tele,
          arrivedAt: toInstant(now),
        }),
      ];
    }
    case 'RecordNoShow': {
      requireStatus(state, 'none', command.type);
      const { visitId, bookingId, patientId, doctorId, branchId, slotStartsAt, now } = command;
      return [
        emit(visitNoShowRecorded, {
          visitId,
          bookingId,
          patientId,
          doctorId,
          branchId,
          slotStartsAt,
          recordedAt: toInstant(now),
        }),
      ];
    }
    case 'StartVisit':
      requireStatus(state, 'arrived', command.type);
      return [emit(visitStarted, { visitId: command.visitId, startedAt: toInstant(command.now) })];
    case 'CompleteVisit':
      requireStatus(state, 'started', command.type);
      return [
        emit(visitCompleted, {
          visitId: command.visitId,
          patientId: partyOf(state).patientId,
          completedAt: toInstant(command.now),
          notes: command.notes,
        }),
      ];
    case 'ScheduleFollowUp': {
      requireStatus(state, 'completed', command.type);
      if (state.followUps[command.followUpId] !== undefined) {
        throw new DomainRuleError('FOLLOWUP_ALREADY_SCHEDULED', 'a follow-up with this id exists', {
          followUpId: command.followUpId,
        });
      }
      return [
        emit(followUpScheduled, {
          visitId: command.visitId,
          followUpId: command.followUpId,
          ...partyOf(state),
          dueOn: command.dueOn,
          reason: command.reason,
          scheduledAt: toInstant(command.now),
        }),
      ];
    }
    case 'CompleteFollowUp': {
      const followUp = state.followUps[command.followUpId];
      if (followUp === undefined) {
        throw new DomainRuleError('FOLLOWUP_NOT_FOUND', 'no follow-up with this id was scheduled', {
          followUpId: command.followUpId,
        });
      }
      if (followUp === 'completed') {
        throw new DomainRuleError('FOLLOWUP_ALREADY_COMPLETED', 'the follow-up is already completed', {
          followUpId: command.followUpId,
        });
      }
      return [
        emit(followUpCompleted, {
          visitId: command.visitId,
          followUpId: command.followUpId,
          fulfilledByVisitId: command.fulfilledByVisitId,
          completedAt: toInstant(command.now),
        }),
      ];
    }
  }
}

function requireStatus(state: VisitState, expected: VisitStatus, command: string): void {
  if (state.status !== expected) throw invalidTransition('visit', state.status, command);
}

function partyOf(state: VisitState): NonNullable<VisitState['party']> {
  // Every status that reaches here came through visit.arrived, which sets the party.
  if (state.party === null) throw invalidTransition('visit', state.status, 'partyOf');
  return state.party;
}

export const visitDecider: Decider<VisitCommand, VisitState, VisitEvent> = {
  initialState: initialVisitState,
  decide: decideVisit,
  evolve: evolveVisit,
};
