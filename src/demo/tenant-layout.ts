/**
 * The shape of one demo tenant, drawn from its random stream before anything is written: a chain of clinics
 * (or, for the first tenant, a hospital campus with OPD clinics and wards), its pricing policies, doctors with
 * weekly shifts (some at two branches) and the per-doctor and per-branch habits that make the BI questions
 * (seed §12) interesting: no-show rates that differ by doctor, reconciliation variance that differs by branch.
 */
import type { AvailabilityWindow } from '../domain/doctor/events.ts';
import type { Random } from './random.ts';
import { doctorName, LOCALITIES, SPECIALTIES } from './synthetic-text.ts';

export type TenantKind = 'hospital' | 'chain';

export interface PolicyPlan {
  readonly policyId: string;
  /** Minor units (paise) per consultation type; the deposit of `tele` is its whole price (prepaid). */
  readonly prices: Readonly<Record<ConsultationType, { readonly price: number; readonly deposit: number }>>;
  readonly cancellationWindowMinutes: number;
  /** Relative rise of every price in the version that takes effect mid-period. */
  readonly midPeriodRise: number;
}

export const CONSULTATION_TYPES = ['in_person', 'tele', 'follow_up'] as const;
export type ConsultationType = (typeof CONSULTATION_TYPES)[number];

export interface BranchPlan {
  readonly branchId: string;
  readonly name: string;
  readonly policyId: string;
  /** Chance that a business day's cash does not match what was expected. */
  readonly varianceRate: number;
  readonly hasWards: boolean;
  /** Day index on which the branch is removed, if it is. */
  readonly closesOnDay: number | null;
}

export interface Shift {
  readonly branchId: string;
  readonly windows: readonly AvailabilityWindow[];
}

export interface DoctorPlan {
  readonly doctorId: string;
  readonly name: string;
  readonly registrationNumber: string;
  readonly specialties: readonly string[];
  readonly shifts: readonly Shift[];
  readonly noShowRate: number;
  /** Day index on which the doctor is onboarded (0: at set-up). */
  readonly joinsOnDay: number;
}

export interface WardPlan {
  readonly wardId: string;
  readonly beds: readonly string[];
}

export interface TenantLayout {
  readonly tenantId: string;
  readonly kind: TenantKind;
  readonly name: string;
  readonly policies: readonly PolicyPlan[];
  readonly branches: readonly BranchPlan[];
  readonly doctors: readonly DoctorPlan[];
  readonly wards: readonly WardPlan[];
  readonly payers: readonly string[];
  /** Chance that a patient asked to come back books the follow-up. */
  readonly followUpBooking: number;
}

const PAYERS = ['star-demo-health', 'medi-assist-demo-tpa', 'care-demo-insurance'];
const MON_TO_SAT = [1, 2, 3, 4, 5, 6];

export function planTenant(random: Random, tenantId: string, index: number, days: number): TenantLayout {
  const kind: TenantKind = index === 0 ? 'hospital' : 'chain';
  const policies =
    kind === 'hospital'
      ? [policy(random, 'pp-opd', 1.2)]
      : [policy(random, 'pp-standard', 1), policy(random, 'pp-premium', 1.4)];
  // The first chain always has a fourth branch, the one that closes late in the period.
  const branchCount = kind === 'hospital' ? 3 : index === 1 ? 4 : random.int(3, 4);
  const localities = shuffled(random, LOCALITIES).slice(0, branchCount);
  const branches = localities.map((locality, i): BranchPlan => {
    const campus = kind === 'hospital' && i === 0;
    return {
      branchId: `br-${i + 1}`,
      name: `${locality} ${campus ? 'Hospital Campus' : 'Clinic'}`,
      policyId: policies[i === 0 ? policies.length - 1 : 0]!.policyId,
      varianceRate: random.between(0.05, 0.35),
      hasWards: campus,
      closesOnDay:
        kind === 'chain' && branchCount === 4 && i === 3 && days >= 8 ? Math.floor(days * 0.75) : null,
    };
  });
  const doctors: DoctorPlan[] = [];
  const nextDoctor = (shifts: Shift[], joinsOnDay: number) => {
    const serial = doctors.length + 1;
    doctors.push({
      doctorId: `dr-${serial}`,
      name: doctorName(random),
      registrationNumber: `DEMO-KMC-${100_000 + random.int(0, 899_999)}`,
      specialties: [random.pick(SPECIALTIES)],
      shifts,
      noShowRate: random.between(0.05, 0.2),
      joinsOnDay,
    });
  };
  branches.forEach((branch, i) => {
    for (let n = random.int(2, 3); n > 0; n--) {
      const shifts: Shift[] = [{ branchId: branch.branchId, windows: morning(random) }];
      const other = branches[(i + 1) % branches.length]!;
      if (random.chance(0.4)) shifts.push({ branchId: other.branchId, windows: evening(random) });
      nextDoctor(shifts, 0);
    }
  });
  // A doctor who joins a third of the way in: governance events in the middle of the period too.
  nextDoctor(
    [{ branchId: branches[0]!.branchId, windows: evening(random) }],
    Math.max(1, Math.floor(days / 3)),
  );
  const wards: WardPlan[] =
    kind === 'hospital' ? [ward('ward-general', 12), ward('ward-surgical', 8), ward('ward-icu', 4)] : [];
  return {
    tenantId,
    kind,
    name: kind === 'hospital' ? 'Demo Sunrise Hospital' : `Demo Care Clinics ${index}`,
    policies,
    branches,
    doctors,
    wards,
    payers: PAYERS,
    followUpBooking: random.between(0.72, 0.9),
  };
}

function policy(random: Random, policyId: string, level: number): PolicyPlan {
  const rupees = (amount: number) => Math.round(amount * level) * 100;
  const inPerson = rupees(random.int(6, 10) * 100);
  const tele = rupees(random.int(4, 6) * 100);
  return {
    policyId,
    prices: {
      in_person: { price: inPerson, deposit: Math.round(inPerson / 400) * 100 },
      tele: { price: tele, deposit: tele },
      follow_up: { price: Math.round(inPerson / 200) * 100, deposit: Math.round(inPerson / 800) * 100 },
    },
    cancellationWindowMinutes: random.pick([12 * 60, 24 * 60]),
    midPeriodRise: random.between(0.08, 0.15),
  };
}

function morning(random: Random): AvailabilityWindow[] {
  const start = random.pick(['08:30', '09:00', '10:00']);
  const end = start === '10:00' ? '14:00' : '13:00';
  const slotMinutes = random.pick([15, 15, 20]);
  const weekdays = random.chance(0.3) ? [...MON_TO_SAT, 7] : MON_TO_SAT;
  return weekdays.map((weekday) => ({ weekday, start, end, slotMinutes }));
}

function evening(random: Random): AvailabilityWindow[] {
  const weekdays = random.pick([
    [1, 3, 5],
    [2, 4, 6],
    [1, 2, 3, 4, 5],
  ]);
  return weekdays.map((weekday) => ({ weekday, start: '16:00', end: '20:00', slotMinutes: 15 }));
}

function ward(wardId: string, beds: number): WardPlan {
  return {
    wardId,
    beds: Array.from({ length: beds }, (_, i) => `${wardId}-bed-${String(i + 1).padStart(2, '0')}`),
  };
}

function shuffled<T>(random: Random, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}
