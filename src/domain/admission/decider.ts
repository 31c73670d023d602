import type { Decider } from '../shared/decider.ts';
import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { emit } from '../shared/emit.ts';
import { invalidTransition } from '../shared/invalid-transition.ts';
import { toInstant } from '../shared/payload-schemas.ts';
import { orderToFulfil, requireNewOrder } from './adt-orders.ts';
import type { AdmissionCommand } from './commands.ts';
import {
  admissionAdmitted,
  admissionDischarged,
  admissionTransferred,
  adtOrderSubmitted,
  type AdmissionEvent,
  type Location,
} from './events.ts';
import { evolveAdmission, initialAdmissionState, type AdmissionState } from './state.ts';

/**
 * The admission state machine: (admit order) → admitted → transferred* → discharged, final. Transfer and
 * discharge orders are accepted only while admitted; an admit order only before.
 */
function decideAdmission(command: AdmissionCommand, state: AdmissionState): readonly AdmissionEvent[] {
  const { admissionId, now } = command;
  switch (command.type) {
    case 'SubmitAdtOrder': {
      const { order, orderId } = command;
      if (order.kind === 'admit' && state.status !== 'none') {
        throw invalidTransition('admission', state.status, command.type);
      }
      const patientId =
        order.kind === 'admit' ? order.patientId : requireAdmitted(state, command.type).patientId;
      requireNewOrder(state, orderId, order.kind);
      return [
        emit(adtOrderSubmitted, {
          admissionId,
          orderId,
          kind: order.kind,
          patientId,
          orderedBy: command.orderedBy,
          encounterId: command.encounterId,
          toWardId: order.kind === 'transfer' ? order.toWardId : null,
          reason: command.reason,
          submittedAt: toInstant(now),
        }),
      ];
    }
    case 'AdmitPatient': {
      if (state.status !== 'none') throw invalidTransition('admission', state.status, command.type);
      if (state.patientId !== null && state.patientId !== command.patientId) {
        throw new DomainRuleError('ADMISSION_PATIENT_MISMATCH', 'the admit order is for another patient', {
          admissionId,
        });
      }
      orderToFulfil(state, command.orderId, 'admit');
      const { patientId, branchId, attendingDoctorId, location, orderId, admittingDiagnosis } = command;
      return [
        emit(admissionAdmitted, {
          admissionId,
          patientId,
          branchId,
          attendingDoctorId,
          location,
          orderId,
          admittingDiagnosis,
          admittedAt: toInstant(now),
        }),
      ];
    }
    case 'TransferPatient': {
      const { patientId, location: from } = requireAdmitted(state, command.type);
      const { to, orderId, reason } = command;
      if (to.wardId === from.wardId && to.bedId === from.bedId) {
        throw new DomainRuleError('TRANSFER_TO_SAME_BED', 'the patient already lies in this bed', {
          admissionId,
          ...to,
        });
      }
      const order = orderToFulfil(state, orderId, 'transfer');
      if (order !== null && order.toWardId !== to.wardId) {
        throw new DomainRuleError('ADT_ORDER_TARGET_MISMATCH', 'the transfer order names another ward', {
          orderId,
          orderedWardId: order.toWardId,
          wardId: to.wardId,
        });
      }
      return [
        emit(admissionTransferred, {
          admissionId,
          patientId,
          from,
          to,
          orderId,
          reason,
          transferredAt: toInstant(now),
        }),
      ];
    }
    case 'DischargePatient': {
      const { patientId, location: from } = requireAdmitted(state, command.type);
      const { disposition, orderId, summary } = command;
      orderToFulfil(state, orderId, 'discharge');
      return [
        emit(admissionDischarged, {
          admissionId,
          patientId,
          from,
          disposition,
          orderId,
          summary,
          dischargedAt: toInstant(now),
        }),
      ];
    }
  }
}

function requireAdmitted(state: AdmissionState, command: string): { patientId: string; location: Location } {
  if (state.status !== 'admitted' || state.patientId === null || state.location === null) {
    throw invalidTransition('admission', state.status, command);
  }
  return { patientId: state.patientId, location: state.location };
}

export const admissionDecider: Decider<AdmissionCommand, AdmissionState, AdmissionEvent> = {
  initialState: initialAdmissionState,
  decide: decideAdmission,
  evolve: evolveAdmission,
};
