import type { CommandService } from '../commands/command-service.ts';
import { deterministicUuid } from '../commands/deterministic-id.ts';
import type { Engine } from '../store/engines/engine.ts';
import type { Actor, RecordedEvent } from '../store/envelope.ts';
import { CatchUpSubscription } from '../store/subscriptions/catch-up-subscription.ts';
import type { AppendResult } from '../store/event-store.ts';
import type { ProcessManager, ReactionContext } from './process-manager.ts';

/**
 * Runs process managers as at-least-once subscriptions over every tenant: a reaction appends through the
 * command side in transactions of its own, then the checkpoint moves. A crash in between redelivers the
 * cause, and the reaction's derived event ids make the repeat a no-op. Replaying projections never
 * touches these checkpoints, so history is never re-fired.
 */
export class ProcessManagerRunner {
  private readonly subscriptions: CatchUpSubscription[];

  constructor(
    private readonly engine: Engine,
    private readonly commands: CommandService,
    managers: readonly ProcessManager[],
    options: { pollIntervalMs?: number; onError?: (manager: string, error: unknown) => void } = {},
  ) {
    this.subscriptions = managers.map(
      (manager) =>
        new CatchUpSubscription(engine, {
          subscriptionId: `process-manager:${manager.name}`,
          delivery: 'at-least-once',
          eventTypes: manager.eventTypes,
          ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
          onError: (error) => options.onError?.(manager.name, error),
          handle: async (events) => {
            for (const cause of events) await manager.react(await this.contextFor(manager, cause));
          },
        }),
    );
  }

  async start(): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.stop()));
  }

  /** Resolves once every process manager has reacted to (or skipped) the given append. */
  async waitFor(append: AppendResult, timeoutMs = 30_000): Promise<void> {
    await Promise.all(this.subscriptions.map((subscription) => subscription.waitFor(append, timeoutMs)));
  }

  private async contextFor(manager: ProcessManager, cause: RecordedEvent): Promise<ReactionContext> {
    const actor: Actor = { id: `process-manager.${manager.name}`, kind: 'system', role: 'process_manager' };
    const eventId = (step: string, index: number) =>
      deterministicUuid(manager.name, cause.eventId, step, String(index));
    return {
      cause,
      event: await this.commands.shell.codec.toDomainEvent(cause),
      commands: this.commands,
      engine: this.engine,
      metadata: (step) => ({
        tenantId: cause.tenantId,
        actor,
        correlationId: cause.correlationId ?? cause.eventId,
        causationId: cause.eventId,
        now: cause.occurredAt,
        eventIdFor: (index) => eventId(step, index),
      }),
      stepDone: async (step) => {
        const { rows } = await this.engine.query(
          'select 1 from mymedic.events where tenant_id = $1 and event_id = $2',
          [cause.tenantId, eventId(step, 0)],
        );
        return rows.length > 0;
      },
    };
  }
}
