import { setTimeout as sleep } from 'node:timers/promises';
import { MyMedicError, ValidationError } from '../../shared/errors.ts';
import type { RecordedEvent } from '../envelope.ts';
import type { Engine, Sql } from '../engines/engine.ts';
import { EVENT_COLUMNS, toRecordedEvent, toSafeInteger, type StoredRow } from '../event-row.ts';
import type { AppendResult } from '../event-store.ts';
import { readFeedPage } from '../pg-event-store.ts';
import { EVENTS_CHANNEL } from '../append-notifier.ts';
import { cursorAfter, hasReached, type SubscriptionCursor } from './subscription-cursor.ts';

/** First pause before looking again at events the global feed holds back; it doubles up to the poll interval. */
const HELD_BACK_FIRST_RETRY_MS = 20;

export interface SubscriptionOptions {
  /** Durable name: the checkpoint is stored under it and survives restarts. */
  readonly subscriptionId: string;
  /** Follow one tenant (in tenant_seq order); omit to follow every tenant through the global feed. */
  readonly tenantId?: string;
  /**
   * `transactional` (default): the handler runs inside the transaction that moves the checkpoint — its
   * writes and the position commit together (exactly-once effect). `at-least-once`: the handler runs
   * outside any transaction (it may open its own, e.g. to append through the command side) and the
   * checkpoint moves afterwards; after a crash a batch is handled again, so its effects must be idempotent.
   */
  readonly delivery?: 'transactional' | 'at-least-once';
  /** Only these event types reach the handler; the checkpoint still moves past the others. */
  readonly eventTypes?: readonly string[];
  readonly batchSize?: number;
  /** Safety net when a notification is missed or events wait behind a long transaction. */
  readonly pollIntervalMs?: number;
  /**
   * Handles one batch inside the transaction that also moves the checkpoint: its writes and the new position
   * commit together or not at all, so a crash or a redelivery never applies an event twice.
   */
  readonly handle: (events: readonly RecordedEvent[], tx: Sql) => Promise<void>;
  /** Told about a failed batch before it is retried (the batch is rolled back, the checkpoint unmoved). */
  readonly onError?: (error: unknown) => void;
}

/**
 * A catch-up subscription with a durable checkpoint: reads from where it left off, then follows new events,
 * woken by LISTEN/NOTIFY (with polling as a fallback). Only one instance of a subscription id processes at a
 * time: the checkpoint row is locked for the length of each batch.
 */
export class CatchUpSubscription {
  private cursor: SubscriptionCursor;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private readonly waiters = new Set<() => void>();
  private consecutiveFailures = 0;
  /** A notification arrived since the last read began: look again before sleeping. */
  private notified = false;
  lastError: unknown;

  constructor(
    private readonly engine: Engine,
    private readonly options: SubscriptionOptions,
  ) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(options.subscriptionId)) {
      throw new ValidationError('subscriptionId', 'must be 1-128 characters of letters, digits and _ . : -');
    }
    this.cursor = options.tenantId
      ? { scope: 'tenant', tenantSeq: 0 }
      : { scope: 'all', feed: { txId: 0, globalPosition: 0 } };
  }

  get position(): SubscriptionCursor {
    return this.cursor;
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.engine.query(
      'insert into mymedic.subscription_checkpoints (subscription_id) values ($1) on conflict do nothing',
      [this.options.subscriptionId],
    );
    this.unlisten = await this.engine.listen(EVENTS_CHANNEL, (tenantId) => {
      if (this.options.tenantId && tenantId !== this.options.tenantId) return;
      this.notified = true;
      this.wake?.();
    });
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.unlisten?.();
    this.unlisten = undefined;
  }

  /** Resolves once every event of `append` has been handled (read-your-writes for a caller). */
  async waitFor(append: AppendResult, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!hasReached(this.cursor, append)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new MyMedicError(
          'SUBSCRIPTION_WAIT_TIMEOUT',
          `${this.options.subscriptionId} did not catch up in time`,
          {
            subscriptionId: this.options.subscriptionId,
            timeoutMs,
          },
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 100));
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
  }

  /** Processes batches until nothing is left; returns how many events were read. For tests and replays. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const read = await this.processBatch();
      total += read;
      if (read === 0) return total;
    }
  }

  private async run(): Promise<void> {
    const pollMs = this.options.pollIntervalMs ?? 1_000;
    let heldBackMs = HELD_BACK_FIRST_RETRY_MS;
    while (this.running) {
      let read: number;
      try {
        read = await this.processBatch();
        this.consecutiveFailures = 0;
        if (read === 0 && this.running && (await this.eventsHeldBack())) {
          // Committed events wait behind a transaction still running elsewhere on the server; the
          // notification of their append has been used up, so look again soon rather than at the next poll.
          await this.idle(Math.min(heldBackMs, pollMs));
          heldBackMs *= 2;
          continue;
        }
      } catch (error) {
        this.lastError = error;
        this.consecutiveFailures++;
        this.options.onError?.(error);
        await sleep(Math.min(5_000, 50 * 2 ** Math.min(this.consecutiveFailures, 7)));
        continue;
      }
      heldBackMs = HELD_BACK_FIRST_RETRY_MS;
      if (read === 0 && this.running) await this.idle(pollMs);
    }
  }

  /** Whether the global feed has events after the cursor that the feed does not serve yet. */
  private async eventsHeldBack(): Promise<boolean> {
    if (this.cursor.scope !== 'all') return false;
    const { rows } = await this.engine.query<{ held: boolean }>(
      `select exists (select 1 from mymedic.events
        where (tx_id, global_position) > ($1::text::xid8, $2::bigint)) as held`,
      [String(this.cursor.feed.txId), this.cursor.feed.globalPosition],
    );
    return rows[0]?.held === true;
  }

  private idle(timeoutMs: number): Promise<void> {
    if (this.notified) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.wake = finish;
    });
  }

  private async processBatch(): Promise<number> {
    this.notified = false;
    const read =
      this.options.delivery === 'at-least-once'
        ? await this.processOutsideTransaction()
        : await this.engine.transaction(async (tx) => {
            const cursor = await this.readCheckpoint(tx, { lock: true });
            return this.processPage(tx, cursor, tx);
          });
    if (read === 0) return 0;
    this.cursor = read.next;
    for (const waiter of this.waiters) waiter();
    this.waiters.clear();
    return read.count;
  }

  private async processOutsideTransaction(): Promise<0 | { count: number; next: SubscriptionCursor }> {
    const cursor = await this.readCheckpoint(this.engine, { lock: false });
    const read = await this.processPage(this.engine, cursor, this.engine);
    // Another instance moved the checkpoint meanwhile: its position wins, this batch's effects were
    // idempotent by contract, and the next round starts from the stored position.
    return read;
  }

  private async processPage(
    sql: Sql,
    cursor: SubscriptionCursor,
    handlerSql: Sql,
  ): Promise<0 | { count: number; next: SubscriptionCursor }> {
    this.cursor = cursor;
    const rows = await this.readPage(sql, cursor);
    if (rows.length === 0) return 0;
    const events = rows.map(toRecordedEvent);
    const wanted = this.options.eventTypes;
    const selected = wanted ? events.filter((event) => wanted.includes(event.eventType)) : events;
    if (selected.length > 0) await this.options.handle(selected, handlerSql);
    const next = cursorAfter(cursor, events.at(-1)!);
    await this.saveCheckpoint(sql, next, cursor);
    return { count: rows.length, next };
  }

  private async readCheckpoint(sql: Sql, { lock }: { lock: boolean }): Promise<SubscriptionCursor> {
    const { rows } = await sql.query<{ tx_id: string; global_position: string; tenant_seq: string }>(
      `select tx_id::text as tx_id, global_position, tenant_seq from mymedic.subscription_checkpoints
        where subscription_id = $1 ${lock ? 'for update' : ''}`,
      [this.options.subscriptionId],
    );
    const row = rows[0];
    if (!row)
      throw new MyMedicError('SUBSCRIPTION_NOT_STARTED', 'checkpoint row missing; call start() first');
    return this.options.tenantId
      ? { scope: 'tenant', tenantSeq: toSafeInteger(row.tenant_seq) }
      : {
          scope: 'all',
          feed: { txId: toSafeInteger(row.tx_id), globalPosition: toSafeInteger(row.global_position) },
        };
  }

  private async readPage(tx: Sql, cursor: SubscriptionCursor): Promise<StoredRow[]> {
    const limit = this.options.batchSize ?? 500;
    if (cursor.scope === 'all') return readFeedPage(tx, cursor.feed, limit);
    const { rows } = await tx.query<StoredRow>(
      `select ${EVENT_COLUMNS} from mymedic.events where tenant_id = $1 and tenant_seq > $2
        order by tenant_seq limit $3`,
      [this.options.tenantId, cursor.tenantSeq, limit],
      { prepareAs: 'mymedic_tenant_log_page', arrayRows: true },
    );
    return rows;
  }

  /** Compare-and-set: moves the checkpoint only from the position this batch started at. */
  private async saveCheckpoint(
    sql: Sql,
    next: SubscriptionCursor,
    previous: SubscriptionCursor,
  ): Promise<void> {
    if (next.scope === 'tenant' && previous.scope === 'tenant') {
      await sql.query(
        `update mymedic.subscription_checkpoints set tenant_seq = $2, updated_at = now()
          where subscription_id = $1 and tenant_seq = $3`,
        [this.options.subscriptionId, next.tenantSeq, previous.tenantSeq],
      );
    } else if (next.scope === 'all' && previous.scope === 'all') {
      await sql.query(
        `update mymedic.subscription_checkpoints set tx_id = $2::text::xid8, global_position = $3, updated_at = now()
          where subscription_id = $1 and tx_id = $4::text::xid8 and global_position = $5`,
        [
          this.options.subscriptionId,
          String(next.feed.txId),
          next.feed.globalPosition,
          String(previous.feed.txId),
          previous.feed.globalPosition,
        ],
      );
    }
  }
}
