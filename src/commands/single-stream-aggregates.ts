import { admissionDecider } from '../domain/admission/decider.ts';
import type { AdmissionCommand } from '../domain/admission/commands.ts';
import { branchDecider } from '../domain/branch/decider.ts';
import type { BranchCommand } from '../domain/branch/commands.ts';
import { claimDecider } from '../domain/claim/decider.ts';
import type { ClaimCommand } from '../domain/claim/commands.ts';
import { doctorDecider } from '../domain/doctor/decider.ts';
import type { DoctorCommand } from '../domain/doctor/commands.ts';
import { encounterDecider } from '../domain/encounter/decider.ts';
import type { EncounterCommand } from '../domain/encounter/commands.ts';
import { patientDecider } from '../domain/patient/decider.ts';
import type { PatientCommand } from '../domain/patient/commands.ts';
import { paymentDecider } from '../domain/payment/decider.ts';
import type { PaymentCommand } from '../domain/payment/commands.ts';
import { portalRequestDecider } from '../domain/portal/decider.ts';
import type { PortalRequestCommand } from '../domain/portal/commands.ts';
import { pricingPolicyDecider } from '../domain/pricing-policy/decider.ts';
import type { PricingPolicyCommand } from '../domain/pricing-policy/commands.ts';
import { reconciliationDecider } from '../domain/reconciliation/decider.ts';
import type { ReconciliationCommand } from '../domain/reconciliation/commands.ts';
import { visitDecider } from '../domain/visit/decider.ts';
import type { VisitCommand } from '../domain/visit/commands.ts';
import type { DomainEvent } from '../domain/shared/decider.ts';
import type { Fold } from './command-shell.ts';

/** An aggregate whose every command reads and writes only its own stream. */
export interface SingleStreamAggregate<Command> {
  readonly aggregateType: string;
  readonly decider: Fold<unknown> & {
    readonly decide: (command: Command, state: never) => readonly DomainEvent[];
  };
  /** The stream a command addresses. */
  readonly streamIdOf: (command: Command) => string;
}

function aggregate<Command, State>(
  aggregateType: string,
  decider: Fold<State> & { readonly decide: (command: Command, state: State) => readonly DomainEvent[] },
  streamIdOf: (command: Command) => string,
): SingleStreamAggregate<Command> {
  return { aggregateType, decider: decider as SingleStreamAggregate<Command>['decider'], streamIdOf };
}

/**
 * Every aggregate but Booking (whose decisions span the booking, the doctor's slot ledgers and what they read;
 * see booking-commands.ts), keyed by the envelope's aggregate type.
 */
export const SINGLE_STREAM_AGGREGATES = {
  admission: aggregate('admission', admissionDecider, (command: AdmissionCommand) => command.admissionId),
  branch: aggregate('branch', branchDecider, (command: BranchCommand) => command.branchId),
  claim: aggregate('claim', claimDecider, (command: ClaimCommand) => command.claimId),
  doctor: aggregate('doctor', doctorDecider, (command: DoctorCommand) => command.doctorId),
  encounter: aggregate('encounter', encounterDecider, (command: EncounterCommand) => command.encounterId),
  patient: aggregate('patient', patientDecider, (command: PatientCommand) => command.patientId),
  payment: aggregate('payment', paymentDecider, (command: PaymentCommand) => command.paymentId),
  portal_request: aggregate(
    'portal_request',
    portalRequestDecider,
    (command: PortalRequestCommand) => command.requestId,
  ),
  pricing_policy: aggregate(
    'pricing_policy',
    pricingPolicyDecider,
    (command: PricingPolicyCommand) => command.policyId,
  ),
  reconciliation: aggregate(
    'reconciliation',
    reconciliationDecider,
    (command: ReconciliationCommand) => command.reconciliationId,
  ),
  visit: aggregate('visit', visitDecider, (command: VisitCommand) => command.visitId),
} as const;

export type SingleStreamAggregateType = keyof typeof SINGLE_STREAM_AGGREGATES;

/** The command type each aggregate accepts. */
export type CommandOf<A extends SingleStreamAggregateType> =
  (typeof SINGLE_STREAM_AGGREGATES)[A] extends SingleStreamAggregate<infer Command> ? Command : never;
