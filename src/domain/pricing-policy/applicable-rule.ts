import type { ConsultationPrice, PricingRule } from './events.ts';
import type { PricingPolicyState } from './state.ts';

/**
 * Which version of the policy applies at instant `at`: the newest version already in force then. A newer version
 * supersedes older ones from its effectiveFrom onward, even one scheduled to start later than itself. Since no
 * version may start before it was decided, the answer for a past instant never changes afterwards.
 */
export function ruleAt(state: PricingPolicyState, at: Date): PricingRule | null {
  if (state.status !== 'active') return null;
  const atMs = at.getTime();
  for (let index = state.rules.length - 1; index >= 0; index -= 1) {
    const rule = state.rules[index];
    if (rule !== undefined && Date.parse(rule.effectiveFrom) <= atMs) return rule;
  }
  return null;
}

export function priceFor(rule: PricingRule, consultationType: string): ConsultationPrice | null {
  return rule.prices.find((entry) => entry.consultationType === consultationType) ?? null;
}
