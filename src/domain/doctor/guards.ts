import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { requireSameInstance } from '../shared/input-state-mismatch.ts';
import type { DoctorState, OnboardedDoctor } from './state.ts';

/** Checks on a doctor's state that other aggregates' decisions (bookings, reschedules) rely on too. */

export function requireDoctor(doctor: DoctorState, doctorId: string): OnboardedDoctor {
  if (doctor.status === 'none') throw new DomainRuleError('DOCTOR_NOT_FOUND', 'no such doctor', { doctorId });
  requireSameInstance('doctor', doctorId, doctor.doctorId);
  return doctor;
}

export function requireAssigned(doctor: OnboardedDoctor, branchId: string): void {
  if (!doctor.branchIds.includes(branchId)) {
    throw new DomainRuleError('DOCTOR_NOT_ASSIGNED_TO_BRANCH', 'the doctor is not assigned to this branch', {
      doctorId: doctor.doctorId,
      branchId,
    });
  }
}
