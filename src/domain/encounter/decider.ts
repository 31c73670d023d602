import type { Decider } from '../shared/decider.ts';
import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { emit } from '../shared/emit.ts';
import { invalidTransition } from '../shared/invalid-transition.ts';
import { toInstant } from '../shared/payload-schemas.ts';
import type { EncounterCommand } from './commands.ts';
import {
  carePathUpdated,
  encounterClosed,
  encounterOpened,
  referralOutbound,
  treatmentPlanStarted,
  type EncounterEvent,
} from './events.ts';
import { evolveEncounter, initialEncounterState, type EncounterState } from './state.ts';

/** The encounter: none → open → closed. Clinical signals only while open; plans and referrals unique by id. */
function decideEncounter(command: EncounterCommand, state: EncounterState): readonly EncounterEvent[] {
  const { encounterId, now } = command;
  switch (command.type) {
    case 'OpenEncounter': {
      if (state.status !== 'none') throw invalidTransition('encounter', state.status, command.type);
      const { patientId, doctorId, branchId, setting, visitId, admissionId } = command;
      const missing =
        (setting === 'opd' || setting === 'tele') && visitId === null
          ? 'visitId'
          : setting === 'ipd' && admissionId === null
            ? 'admissionId'
            : null;
      if (missing !== null) {
        throw new DomainRuleError(
          'ENCOUNTER_CONTEXT_MISSING',
          `a ${setting} encounter needs its ${missing}`,
          {
            setting,
            field: missing,
          },
        );
      }
      return [
        emit(encounterOpened, {
          encounterId,
          patientId,
          doctorId,
          branchId,
          setting,
          visitId,
          admissionId,
          openedAt: toInstant(now),
        }),
      ];
    }
    case 'StartTreatmentPlan': {
      const patientId = requireOpen(state, command.type);
      const { planId, planCode, summary } = command;
      if (state.planIds.includes(planId)) {
        throw new DomainRuleError('TREATMENT_PLAN_DUPLICATE', 'a plan with this id was already started', {
          planId,
        });
      }
      return [
        emit(treatmentPlanStarted, {
          encounterId,
          patientId,
          planId,
          planCode,
          summary,
          startedAt: toInstant(now),
        }),
      ];
    }
    case 'UpdateCarePath': {
      const patientId = requireOpen(state, command.type);
      const { carePathId, step, note } = command;
      return [
        emit(carePathUpdated, { encounterId, patientId, carePathId, step, note, updatedAt: toInstant(now) }),
      ];
    }
    case 'ReferOut': {
      const patientId = requireOpen(state, command.type);
      const { referralId, toProvider, specialty, urgency, reason } = command;
      if (state.referralIds.includes(referralId)) {
        throw new DomainRuleError('REFERRAL_DUPLICATE', 'a referral with this id exists', { referralId });
      }
      return [
        emit(referralOutbound, {
          encounterId,
          patientId,
          referralId,
          toProvider,
          specialty,
          urgency,
          reason,
          referredAt: toInstant(now),
        }),
      ];
    }
    case 'CloseEncounter': {
      const patientId = requireOpen(state, command.type);
      return [
        emit(encounterClosed, { encounterId, patientId, summary: command.summary, closedAt: toInstant(now) }),
      ];
    }
  }
}

/** Returns the encounter's patient, whose key encrypts the clinical text. */
function requireOpen(state: EncounterState, command: string): string {
  if (state.status !== 'open' || state.patientId === null)
    throw invalidTransition('encounter', state.status, command);
  return state.patientId;
}

export const encounterDecider: Decider<EncounterCommand, EncounterState, EncounterEvent> = {
  initialState: initialEncounterState,
  decide: decideEncounter,
  evolve: evolveEncounter,
};
