/**
 * The warehouse's conformed dimensions: dates (one row per business day any fact refers to), tenants,
 * branches, doctors and patients (pseudonymous keys only). Fact handlers call `ensureDates` and
 * `seePatient` for the keys they write, so every fact joins to its dimension rows.
 */
import { branchAdded, branchRemoved } from '../../../domain/branch/events.ts';
import { doctorBranchAssigned, doctorOnboarded } from '../../../domain/doctor/events.ts';
import { patientRegistered } from '../../../domain/patient/events.ts';
import { businessDateOf } from '../reconciliation/business-day.ts';
import { handle, type WarehouseHandler } from './warehouse-rows.ts';

export interface WarehouseContext {
  /** The pseudonymous key of a tenant's patient (never the id itself). */
  readonly patientKey: (tenantId: string, patientId: string) => string;
}

export function dimensionHandlers(context: WarehouseContext): WarehouseHandler[] {
  return [
    handle(
      branchAdded,
      (p, event) => [
        ['wh_dim_branch', [event.tenantId, p.branchId]],
        ['wh_dim_tenant', [event.tenantId]],
      ],
      (p, event, rows) => {
        const date = businessDateOf(event.occurredAt);
        rows.table('wh_dim_branch').insert({
          tenant_id: event.tenantId,
          branch_id: p.branchId,
          branch_name: p.name,
          pricing_policy_id: p.pricingPolicyId,
          added_date: date,
          removed_date: null,
          removal_reason: null,
        });
        const tenants = rows.table('wh_dim_tenant');
        const tenant = tenants.get([event.tenantId]);
        if (tenant === undefined) {
          tenants.insert({
            tenant_id: event.tenantId,
            first_branch_date: date,
            branches_added: 1,
            branches_removed: 0,
          });
        } else {
          tenants.update([event.tenantId], { branches_added: (tenant['branches_added'] as number) + 1 });
        }
        rows.ensureDates(event.tenantId, [date]);
      },
    ),
    handle(
      branchRemoved,
      (p, event) => [
        ['wh_dim_branch', [event.tenantId, p.branchId]],
        ['wh_dim_tenant', [event.tenantId]],
      ],
      (p, event, rows) => {
        const date = businessDateOf(event.occurredAt);
        rows.table('wh_dim_branch').update([event.tenantId, p.branchId], {
          removed_date: date,
          removal_reason: p.reasonCode,
        });
        const tenants = rows.table('wh_dim_tenant');
        const tenant = tenants.get([event.tenantId]);
        if (tenant !== undefined) {
          tenants.update([event.tenantId], { branches_removed: (tenant['branches_removed'] as number) + 1 });
        }
        rows.ensureDates(event.tenantId, [date]);
      },
    ),
    handle(
      doctorOnboarded,
      (p, event) => [['wh_dim_doctor', [event.tenantId, p.doctorId]]],
      (p, event, rows) => {
        const date = businessDateOf(event.occurredAt);
        rows.table('wh_dim_doctor').insert({
          tenant_id: event.tenantId,
          doctor_id: p.doctorId,
          doctor_name: p.name,
          specialties: p.specialties,
          time_zone: p.timeZone,
          onboarded_date: date,
          branch_ids: [],
        });
        rows.ensureDates(event.tenantId, [date]);
      },
    ),
    handle(
      doctorBranchAssigned,
      (p, event) => [['wh_dim_doctor', [event.tenantId, p.doctorId]]],
      (p, event, rows) => {
        const doctors = rows.table('wh_dim_doctor');
        const doctor = doctors.get([event.tenantId, p.doctorId]);
        const branchIds = (doctor?.['branch_ids'] ?? []) as readonly string[];
        if (doctor !== undefined && !branchIds.includes(p.branchId)) {
          doctors.update([event.tenantId, p.doctorId], { branch_ids: [...branchIds, p.branchId] });
        }
      },
    ),
    handle(
      patientRegistered,
      (p, event) => [['wh_dim_patient', [event.tenantId, context.patientKey(event.tenantId, p.patientId)]]],
      (p, event, rows) => {
        const date = businessDateOf(event.occurredAt);
        const key = [event.tenantId, context.patientKey(event.tenantId, p.patientId)];
        const patients = rows.table('wh_dim_patient');
        if (!patients.update(key, { registered_date: date })) {
          patients.insert({
            tenant_id: key[0],
            patient_key: key[1],
            registered_date: date,
            first_seen_date: date,
          });
        }
        rows.ensureDates(event.tenantId, [date]);
      },
    ),
  ];
}
