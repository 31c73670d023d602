/** The patient portal's question to portal_slots_view: "which slots can I book on this date, and at what price". */
import type { Money } from '../../../domain/shared/money.ts';
import { priceFor, ruleAt } from '../../../domain/pricing-policy/applicable-rule.ts';
import { consultationTypeSchema, type ConsultationPrice } from '../../../domain/pricing-policy/events.ts';
import { initialPricingPolicyState, type PricingPolicyState } from '../../../domain/pricing-policy/state.ts';
import { ValidationError } from '../../../shared/errors.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { TableNames } from '../../projection.ts';
import { liveTableNames } from '../../table-names.ts';
import { optionalId, requireDate, requireInstant, requireTenantId } from '../shared/query-input.ts';
import { isoOf } from '../shared/sql-values.ts';
import { selectHorizon, type Horizon } from './horizon.ts';
import { portalSlotsTables, portalSlotsView } from './portal-slots-projection.ts';
import { loadStates } from './scheduling-states.ts';

export interface PortalSlotsQuery {
  readonly tenantId: string;
  /** The doctor's local date, YYYY-MM-DD. */
  readonly date: string;
  readonly branchId?: string;
  readonly doctorId?: string;
  /** Only slots priced for this consultation type, with that price alone. */
  readonly consultationType?: string;
  /** The moment the patient asks (default: now): slots already started are left out, prices are those in force. */
  readonly now?: Date;
}

export interface SlotPricing {
  readonly policyId: string;
  readonly version: number;
  readonly effectiveFrom: string;
  readonly cancellationWindowMinutes: number;
  readonly options: readonly { consultationType: string; price: Money; deposit: Money }[];
}

export interface PortalSlot {
  readonly doctorId: string;
  readonly doctorName: string;
  readonly branchId: string;
  readonly branchName: string;
  readonly date: string;
  readonly start: string;
  readonly end: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly timeZone: string;
  readonly pricing: SlotPricing;
}

export interface PortalSlots {
  readonly tenantId: string;
  readonly date: string;
  /** The dates the model lists; a date outside it has no slots listed yet (null: the tenant has no history). */
  readonly horizon: Horizon | null;
  readonly slots: readonly PortalSlot[];
}

interface SlotRow {
  doctor_id: string;
  doctor_name: string;
  branch_id: string;
  branch_name: string;
  date: string;
  start_time: string;
  end_time: string;
  starts_at: Date;
  ends_at: Date;
  time_zone: string;
  pricing_policy_id: string;
}

/**
 * Bookable slots in time order. A slot whose branch's policy has no version in force, or does not price the
 * asked consultation type, cannot be booked and is left out.
 *
 * @example
 * const { slots } = await portalSlots(engine, { tenantId, branchId: 'br-1', date: '2026-12-07' });
 * @throws ValidationError for malformed input.
 */
export async function portalSlots(
  sql: Sql,
  query: PortalSlotsQuery,
  tables: TableNames = liveTableNames(portalSlotsView),
): Promise<PortalSlots> {
  const tenantId = requireTenantId(query.tenantId);
  const date = requireDate(query.date);
  const branchId = optionalId(query.branchId, 'branchId');
  const doctorId = optionalId(query.doctorId, 'doctorId');
  const consultationType = optionalConsultationType(query.consultationType);
  const now = query.now === undefined ? new Date() : requireInstant(query.now, 'now');
  const t = portalSlotsTables(tables);

  const { rows } = await sql.query<SlotRow>(
    `select doctor_id, doctor_name, branch_id, branch_name, date, start_time, end_time, starts_at, ends_at,
        time_zone, pricing_policy_id
      from ${t.slots}
      where tenant_id = $1 and date = $2 and starts_at > $3
        and ($4::text is null or branch_id = $4) and ($5::text is null or doctor_id = $5)
      order by starts_at, doctor_id, branch_id`,
    [tenantId, date, now, branchId, doctorId],
  );
  const policyIds = [...new Set(rows.map((row) => row.pricing_policy_id))];
  const policies = await loadStates<PricingPolicyState>(sql, t.states, tenantId, 'pricing_policy', policyIds);
  const pricing = new Map(
    policyIds.map((policyId) => [
      policyId,
      pricingAt(policyId, policies.get(policyId) ?? initialPricingPolicyState(), now, consultationType),
    ]),
  );
  const slots = rows.flatMap((row): PortalSlot[] => {
    const slotPricing = pricing.get(row.pricing_policy_id);
    if (slotPricing === undefined || slotPricing === null) return [];
    return [
      {
        doctorId: row.doctor_id,
        doctorName: row.doctor_name,
        branchId: row.branch_id,
        branchName: row.branch_name,
        date: row.date,
        start: row.start_time,
        end: row.end_time,
        startsAt: isoOf(row.starts_at),
        endsAt: isoOf(row.ends_at),
        timeZone: row.time_zone,
        pricing: slotPricing,
      },
    ];
  });
  return { tenantId, date, horizon: await selectHorizon(sql, t.horizon, tenantId), slots };
}

/** The policy version in force at `now` and its prices (of one type, if asked); null when nothing is bookable. */
function pricingAt(
  policyId: string,
  policy: PricingPolicyState,
  now: Date,
  consultationType: string | null,
): SlotPricing | null {
  const rule = ruleAt(policy, now);
  if (rule === null) return null;
  const entries: readonly ConsultationPrice[] =
    consultationType === null
      ? rule.prices
      : [priceFor(rule, consultationType)].filter((entry) => entry !== null);
  if (entries.length === 0) return null;
  return {
    policyId,
    version: rule.version,
    effectiveFrom: rule.effectiveFrom,
    cancellationWindowMinutes: rule.cancellationWindowMinutes,
    options: entries.map(({ consultationType: type, price, deposit }) => ({
      consultationType: type,
      price,
      deposit,
    })),
  };
}

function optionalConsultationType(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (!consultationTypeSchema.safeParse(value).success) {
    throw new ValidationError('consultationType', 'must be a snake_case code');
  }
  return value as string;
}
