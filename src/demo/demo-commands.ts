/**
 * The simulation's door to the command side: every command goes through `CommandService` (never a raw event),
 * with metadata derived from the seed — the simulated time, and event ids from the seed and a counter (or, for
 * the steps a process manager would take, the ids that process manager would use) — so one seed always writes
 * the same history. A business-rule refusal is an answer to count, not a failure; any other error is.
 */
import type { CommandMetadata } from '../commands/command-metadata.ts';
import type { CommandResult, CommandService } from '../commands/command-service.ts';
import type { RoutedEvent } from '../commands/command-shell.ts';
import { deterministicUuid } from '../commands/deterministic-id.ts';
import type { CommandOf, SingleStreamAggregateType } from '../commands/single-stream-aggregates.ts';
import type { BookingCommand } from '../domain/booking/commands.ts';
import { DomainRuleError } from '../domain/shared/domain-rule-error.ts';
import { MyMedicError } from '../shared/errors.ts';
import type { Actor } from '../store/envelope.ts';
import type { Scheduler } from './scheduler.ts';
import type { Tally } from './tally.ts';
import type { World } from './world.ts';

/** Who sends a command and which flow it belongs to; the ids its events will get. */
export interface Step {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string;
  readonly eventIdFor: (index: number) => string;
}

export interface Accepted {
  readonly ok: true;
  readonly step: Step;
  readonly events: readonly RoutedEvent[];
}

export type Outcome = Accepted | { readonly ok: false; readonly code: string };

/** The id of the first event of `type` the command appended. */
export function eventIdOf(accepted: Accepted, type: string): string {
  return accepted.step.eventIdFor(indexOf(accepted, type));
}

/** The payload of the first event of `type` the command appended, as the decider emitted it. */
export function dataOf<T>(accepted: Accepted, type: string): T {
  return accepted.events[indexOf(accepted, type)]!.data as T;
}

function indexOf(accepted: Accepted, type: string): number {
  const index = accepted.events.findIndex((event) => event.type === type);
  // The flows ask only for events their command always appends: a miss is a bug in the simulation.
  if (index < 0) throw new MyMedicError('DEMO_EVENT_MISSING', `the command appended no ${type}`, { type });
  return index;
}

export class DemoCommands {
  private counter = 0;

  constructor(
    private readonly service: CommandService,
    private readonly tenantId: string,
    private readonly seed: number,
    private readonly clock: Scheduler,
    private readonly world: World,
    private readonly tally: Tally,
  ) {}

  /** A step of the simulation's own: a fresh request id as causation, event ids from the counter. */
  step(actor: Actor, correlationId: string, causationId?: string): Step {
    const serial = String(this.counter++);
    return {
      actor,
      correlationId,
      causationId: causationId ?? this.id('request', serial),
      eventIdFor: (index) => this.id('event', serial, String(index)),
    };
  }

  /**
   * The step a process manager would take reacting to the `causeType` event of `cause`: its actor, the
   * cause's correlation, and the event ids it would derive, so the process manager, run later over this
   * history, finds its work already done.
   */
  reaction(manager: string, cause: Accepted, causeType: string, stepName: string): Step {
    const causeEventId = eventIdOf(cause, causeType);
    return {
      actor: { id: `process-manager.${manager}`, kind: 'system', role: 'process_manager' },
      correlationId: cause.step.correlationId,
      causationId: causeEventId,
      eventIdFor: (index) => deterministicUuid(manager, causeEventId, stepName, String(index)),
    };
  }

  /** A correlation id for a business flow named by `key` (a booking, an admission ...). */
  flow(key: string): string {
    return this.id('flow', key);
  }

  execute<A extends SingleStreamAggregateType>(
    aggregateType: A,
    command: CommandOf<A>,
    step: Step,
  ): Promise<Outcome> {
    return this.run(commandTypeOf(command), step, (metadata) =>
      this.service.execute(aggregateType, command, metadata),
    );
  }

  book(command: BookingCommand, step: Step): Promise<Outcome> {
    return this.run(command.type, step, (metadata) => this.service.book(command, metadata));
  }

  private async run(
    commandType: string,
    step: Step,
    send: (metadata: CommandMetadata) => Promise<CommandResult>,
  ): Promise<Outcome> {
    const metadata: CommandMetadata = {
      tenantId: this.tenantId,
      actor: step.actor,
      correlationId: step.correlationId,
      causationId: step.causationId,
      now: this.clock.now(),
      eventIdFor: step.eventIdFor,
    };
    try {
      const result = await send(metadata);
      this.world.apply(result.events);
      this.tally.accepted(commandType, result.events);
      return { ok: true, step, events: result.events };
    } catch (error) {
      if (!(error instanceof DomainRuleError)) throw error;
      this.tally.refused(error.code);
      return { ok: false, code: error.code };
    }
  }

  private id(...parts: readonly string[]): string {
    return deterministicUuid('mymedic-demo', String(this.seed), this.tenantId, ...parts);
  }
}

function commandTypeOf(command: unknown): string {
  return (command as { type: string }).type;
}
