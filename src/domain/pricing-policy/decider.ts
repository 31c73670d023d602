import type { Decider } from '../shared/decider.ts';
import { DomainRuleError } from '../shared/domain-rule-error.ts';
import { emit } from '../shared/emit.ts';
import { toInstant } from '../shared/payload-schemas.ts';
import type { PricingPolicyCommand } from './commands.ts';
import { pricingRuleChanged, type PricingPolicyEvent } from './events.ts';
import { evolvePricingPolicy, initialPricingPolicyState, type PricingPolicyState } from './state.ts';

/**
 * Effective-dated pricing. A change may start now or later, never earlier: bookings already priced by the
 * version in force keep a true record of what applied. A policy keeps the currency of its first version.
 */
function decidePricingPolicy(
  command: PricingPolicyCommand,
  state: PricingPolicyState,
): readonly PricingPolicyEvent[] {
  if (command.effectiveFrom.getTime() < command.now.getTime()) {
    throw new DomainRuleError(
      'PRICING_RULE_BACKDATED',
      'a pricing rule cannot take effect before it is decided',
      {
        policyId: command.policyId,
        effectiveFrom: toInstant(command.effectiveFrom),
        now: toInstant(command.now),
      },
    );
  }
  const first = state.status === 'active' ? state.rules[0] : undefined;
  if (first !== undefined && first.currency !== command.currency) {
    throw new DomainRuleError('CURRENCY_MISMATCH', `the policy is priced in ${first.currency}`, {
      policyId: command.policyId,
      expected: first.currency,
      actual: command.currency,
    });
  }
  return [
    emit(pricingRuleChanged, {
      policyId: command.policyId,
      version: state.status === 'active' ? state.rules.length + 1 : 1,
      effectiveFrom: toInstant(command.effectiveFrom),
      currency: command.currency,
      cancellationWindowMinutes: command.cancellationWindowMinutes,
      prices: [...command.prices],
    }),
  ];
}

export const pricingPolicyDecider: Decider<PricingPolicyCommand, PricingPolicyState, PricingPolicyEvent> = {
  initialState: initialPricingPolicyState,
  decide: decidePricingPolicy,
  evolve: evolvePricingPolicy,
};
