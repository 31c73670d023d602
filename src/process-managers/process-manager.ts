import type { CommandMetadata } from '../commands/command-metadata.ts';
import type { CommandService } from '../commands/command-service.ts';
import type { DomainEvent } from '../domain/shared/decider.ts';
import type { Engine } from '../store/engines/engine.ts';
import type { RecordedEvent } from '../store/envelope.ts';

/**
 * What a reaction gets: the cause (with its payload decrypted), the command side, and metadata for each of
 * its steps. Step metadata is derived from the cause — correlation kept, causation = the cause's event id,
 * time = the cause's business time, event ids a function of (process manager, cause, step) — so reacting to
 * the same event twice appends the same events, which the store answers as an idempotent retry.
 */
export interface ReactionContext {
  readonly cause: RecordedEvent;
  readonly event: DomainEvent;
  readonly commands: CommandService;
  readonly engine: Engine;
  metadata(step: string): CommandMetadata;
  /** True when the step already appended its first event (a redelivery after a crash). */
  stepDone(step: string): Promise<boolean>;
}

/** A reaction between aggregates (portal request → booking, late cancellation → forfeit, ...). */
export interface ProcessManager {
  readonly name: string;
  readonly eventTypes: readonly string[];
  react(context: ReactionContext): Promise<void>;
}
