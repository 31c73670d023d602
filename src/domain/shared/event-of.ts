import type { DomainEvent } from './decider.ts';
import type { EventDefinition, PayloadOf } from './event-definition.ts';

/** The domain event (`{ type, data }`) an event definition describes; unions of these type a decider. */
export type EventOf<D extends EventDefinition> = DomainEvent<D['type'], PayloadOf<D>>;
