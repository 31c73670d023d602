import type { ConsultationPrice } from './events.ts';

/** Commands on a pricing policy. The first change creates the policy; versions are numbered by the domain. */
export type PricingPolicyCommand = {
  readonly type: 'ChangePricingRule';
  readonly policyId: string;
  readonly effectiveFrom: Date;
  readonly currency: string;
  readonly cancellationWindowMinutes: number;
  readonly prices: readonly ConsultationPrice[];
  readonly now: Date;
};
