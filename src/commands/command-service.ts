import { PatientKeyring, type MasterKeys } from '../compliance/index.ts';
import type { BookingCommand } from '../domain/booking/commands.ts';
import { eventRegistry } from '../domain/catalogue/event-registry.ts';
import type { Engine } from '../store/engines/engine.ts';
import type { EventStore } from '../store/event-store.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { executeBookingCommand } from './booking-commands.ts';
import type { CommandMetadata } from './command-metadata.ts';
import { CommandShell, type Decision, type Fold, type UnitOfWork } from './command-shell.ts';
import type { DomainEvent } from '../domain/shared/decider.ts';
import { EventCodec } from './event-codec.ts';
import {
  SINGLE_STREAM_AGGREGATES,
  type CommandOf,
  type SingleStreamAggregate,
  type SingleStreamAggregateType,
} from './single-stream-aggregates.ts';

export type CommandResult = Decision & { readonly version: number };

/** The store and keyring one attempt of a command works with, e.g. both inside one transaction. */
export interface CommandScope {
  readonly store: EventStore;
  readonly keyring: PatientKeyring;
}

/** Runs `work` with a scope of its own and ends the scope (commits, or rolls back on a throw) after it. */
export type ScopedUnitOfWork = <T>(work: (scope: CommandScope) => Promise<T>) => Promise<T>;

/**
 * The command side in one place: every aggregate's commands, executed load → decide → append. Callers (the
 * HTTP API, process managers, the demo generator) pass the command and its metadata; an `expectedVersion`
 * (from `If-Match`) pins the version they saw.
 */
export class CommandService {
  readonly shell: CommandShell;

  /**
   * `store` and `keyring` serve `state` and any command run without `unitOfWork`; with it, every attempt of
   * a command runs in a scope of its own (the HTTP API: one transaction of the caller's tenant per attempt).
   */
  constructor(store: EventStore, keyring: PatientKeyring, unitOfWork?: ScopedUnitOfWork) {
    const shellOf = (scope: CommandScope) =>
      new CommandShell(scope.store, new EventCodec(eventRegistry, scope.keyring));
    const attemptInScope: UnitOfWork | undefined =
      unitOfWork && ((attempt) => unitOfWork((scope) => attempt(shellOf(scope))));
    this.shell = new CommandShell(store, new EventCodec(eventRegistry, keyring), attemptInScope);
  }

  static open(engine: Engine, masterKeys: MasterKeys): CommandService {
    return new CommandService(new PgEventStore(engine), new PatientKeyring(engine, masterKeys));
  }

  execute<A extends SingleStreamAggregateType>(
    aggregateType: A,
    command: CommandOf<A>,
    metadata: CommandMetadata,
    expectedVersion?: number,
  ): Promise<CommandResult> {
    // The table pairs each aggregate type with its own command type; TypeScript cannot follow that through a
    // generic index, so the pairing is restated once here.
    const aggregate = SINGLE_STREAM_AGGREGATES[aggregateType] as unknown as SingleStreamAggregate<
      CommandOf<A>
    >;
    const stream = {
      tenantId: metadata.tenantId,
      aggregateType: aggregate.aggregateType,
      aggregateId: aggregate.streamIdOf(command),
    };
    const decider = aggregate.decider as Fold<unknown> & {
      readonly decide: (command: CommandOf<A>, state: unknown) => readonly DomainEvent[];
    };
    return this.shell.execute(decider, stream, command, metadata, expectedVersion);
  }

  book(command: BookingCommand, metadata: CommandMetadata, expectedVersion?: number): Promise<CommandResult> {
    return executeBookingCommand(this.shell, command, metadata, expectedVersion);
  }

  /** An aggregate's current state, for commands that carry another aggregate's state (e.g. a doctor's branch). */
  async state<A extends SingleStreamAggregateType>(tenantId: string, aggregateType: A, aggregateId: string) {
    const aggregate = SINGLE_STREAM_AGGREGATES[aggregateType];
    const loaded = await this.shell.load(
      { tenantId, aggregateType: aggregate.aggregateType, aggregateId },
      aggregate.decider,
    );
    return loaded;
  }
}
