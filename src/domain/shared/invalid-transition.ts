import { DomainRuleError } from './domain-rule-error.ts';

/**
 * The one refusal every state machine shares: this command is not allowed in the aggregate's current status.
 * A single code keeps the API's mapping simple; the facts say which aggregate, status and command.
 */
export function invalidTransition(aggregateType: string, status: string, command: string): DomainRuleError {
  return new DomainRuleError(
    'INVALID_TRANSITION',
    `${command} is not allowed on a ${status} ${aggregateType}`,
    {
      aggregateType,
      status,
      command,
    },
  );
}
