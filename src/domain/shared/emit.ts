import { ValidationError } from '../../shared/errors.ts';
import type { EventDefinition, PayloadOf } from './event-definition.ts';
import type { EventOf } from './event-of.ts';

/**
 * Builds a domain event and checks its payload against the registered schema, so a decider never emits what the
 * catalogue would refuse: a malformed field becomes a ValidationError naming the payload path (never its value,
 * which may be patient data).
 */
export function emit<D extends EventDefinition>(definition: D, data: PayloadOf<D>): EventOf<D> {
  const result = definition.schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue === undefined || issue.path.length === 0 ? '(payload)' : issue.path.join('.');
    throw new ValidationError(field, issue?.message ?? 'invalid', { eventType: definition.type });
  }
  return { type: definition.type, data: result.data as PayloadOf<D> };
}
