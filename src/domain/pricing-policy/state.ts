import type { PricingPolicyEvent, PricingRule } from './events.ts';

/** Every version of the policy, oldest first (version n at index n - 1). */
export type PricingPolicyState =
  | { readonly status: 'none' }
  | { readonly status: 'active'; readonly policyId: string; readonly rules: readonly PricingRule[] };

export const initialPricingPolicyState = (): PricingPolicyState => ({ status: 'none' });

export function evolvePricingPolicy(
  state: PricingPolicyState,
  event: PricingPolicyEvent,
): PricingPolicyState {
  const rules = state.status === 'active' ? state.rules : [];
  return { status: 'active', policyId: event.data.policyId, rules: [...rules, event.data] };
}
