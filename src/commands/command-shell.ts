import type { DomainEvent } from '../domain/shared/decider.ts';
import { MyMedicError } from '../shared/errors.ts';
import type { NewEvent, StreamId } from '../store/envelope.ts';
import { ConcurrencyError } from '../store/errors.ts';
import type { AppendResult, EventStore, StreamWrite } from '../store/event-store.ts';
import { isBranchBound } from './branch-bound-aggregates.ts';
import type { CommandMetadata } from './command-metadata.ts';
import type { EventCodec } from './event-codec.ts';

/** How to rebuild one aggregate's state from its events. */
export interface Fold<State> {
  readonly initialState: () => State;
  readonly evolve: (state: State, event: never) => State;
}

export interface StreamRef {
  readonly aggregateType: string;
  readonly aggregateId: string;
}

/** A domain event plus the stream it goes to (decisions spanning several aggregates route their events). */
export type RoutedEvent = DomainEvent & { readonly stream: StreamRef };

export interface LoadedStream<State> {
  readonly stream: StreamId;
  readonly state: State;
  /** The version the state was built from: the expected version of the append that follows. */
  readonly version: number;
  /**
   * The branch a branch-bound stream belongs to (the latest one its events named), else null. Later events of
   * the stream inherit it when their payload names none, so a payment's refund lands in its branch's slice.
   */
  readonly branchId: string | null;
}

export interface Decision {
  readonly events: readonly RoutedEvent[];
  /** Undefined when the decision produced no events and nothing was appended. */
  readonly appended?: AppendResult;
}

const DEFAULT_RETRIES = 3;

/**
 * Runs one attempt of a command (its loads, decision and append) on a shell of its own, e.g. one whose store
 * works inside a transaction that commits when the attempt returns: one round of BEGIN/COMMIT per command
 * instead of one per stream read. A conflict aborts such a transaction, so every retry is a unit of its own.
 */
export type UnitOfWork = <T>(attempt: (shell: CommandShell) => Promise<T>) => Promise<T>;

/**
 * The imperative shell around the pure domain: load → decide → append with the expected version of every
 * stream the decision read. On a conflict the whole decision is re-run on fresh state — safe, because
 * `decide` is pure — unless the caller pinned an expected version (an HTTP `If-Match`), which is then
 * reported, never silently merged.
 */
export class CommandShell {
  private readonly unitOfWork: UnitOfWork;

  /** Without `unitOfWork`, every attempt runs on this shell's own store and codec. */
  constructor(
    readonly store: EventStore,
    readonly codec: EventCodec,
    unitOfWork?: UnitOfWork,
  ) {
    this.unitOfWork = unitOfWork ?? ((attempt) => attempt(this));
  }

  async load<State>(stream: StreamId, fold: Fold<State>): Promise<LoadedStream<State>> {
    let state = fold.initialState();
    let version = 0;
    let branchId: string | null = null;
    const evolve = fold.evolve as (state: State, event: DomainEvent) => State;
    for await (const recorded of this.store.readStream(stream)) {
      state = evolve(state, await this.codec.toDomainEvent(recorded));
      version = recorded.version;
      if (isBranchBound(stream.aggregateType)) branchId = recorded.branchId ?? branchId;
    }
    return { stream, state, version, branchId };
  }

  /**
   * Appends the decision's events, each to its stream, atomically; every loaded stream is checked at the
   * version it was loaded at, written to or not (a booking re-checks the doctor it read).
   */
  async append(
    metadata: CommandMetadata,
    loaded: readonly LoadedStream<unknown>[],
    events: readonly RoutedEvent[],
  ): Promise<AppendResult | undefined> {
    if (events.length === 0) return undefined;
    const writes = loaded.map((input) => ({
      stream: input.stream,
      expectedVersion: input.version,
      branchId: input.branchId,
      events: [] as Promise<NewEvent>[],
    }));
    events.forEach((event, index) => {
      const write = writes.find(
        (candidate) =>
          candidate.stream.aggregateType === event.stream.aggregateType &&
          candidate.stream.aggregateId === event.stream.aggregateId,
      );
      if (!write) {
        throw new MyMedicError(
          'STREAM_NOT_LOADED',
          `${event.type} goes to a stream the decision did not read`,
          {
            aggregateType: event.stream.aggregateType,
            aggregateId: event.stream.aggregateId,
          },
        );
      }
      const { stream: _stream, ...domainEvent } = event;
      write.events.push(this.codec.toNewEvent(domainEvent, metadata, index, write.branchId));
    });
    const resolved: StreamWrite[] = await Promise.all(
      writes.map(async ({ stream, expectedVersion, events: pending }) => ({
        stream,
        expectedVersion,
        events: await Promise.all(pending),
      })),
    );
    return this.store.appendMulti(metadata.tenantId, resolved);
  }

  /**
   * Runs `attempt` (which loads, decides and appends on the shell it is given) in a unit of work, and re-runs
   * it in a fresh one on a concurrency conflict, at most `retries` times.
   */
  async retrying<T>(attempt: (shell: CommandShell) => Promise<T>, retries = DEFAULT_RETRIES): Promise<T> {
    for (let tries = 0; ; tries++) {
      try {
        return await this.unitOfWork(attempt);
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || tries >= retries) throw error;
      }
    }
  }

  /**
   * The common case: one aggregate, one stream. `expectedVersion` pins the version the caller saw (no retry
   * then); without it, conflicts are retried on fresh state.
   */
  async execute<Command, State>(
    decider: Fold<State> & { readonly decide: (command: Command, state: State) => readonly DomainEvent[] },
    stream: StreamId,
    command: Command,
    metadata: CommandMetadata,
    expectedVersion?: number,
  ): Promise<Decision & { readonly version: number }> {
    return this.retrying(
      async (shell) => {
        const loaded = await shell.load(stream, decider);
        if (expectedVersion !== undefined && loaded.version !== expectedVersion) {
          throw new ConcurrencyError(stream, expectedVersion, loaded.version);
        }
        const events = decider.decide(command, loaded.state).map((event) => ({ ...event, stream }));
        const appended = await shell.append(metadata, [loaded], events);
        return {
          events,
          ...(appended ? { appended } : {}),
          version: appended?.versions[0] ?? loaded.version,
        };
      },
      expectedVersion === undefined ? DEFAULT_RETRIES : 0,
    );
  }
}
