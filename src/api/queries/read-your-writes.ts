/**
 * Read-your-writes for query routes. A command's append has a position in its tenant's log (`tenant_seq`); a
 * client that just wrote passes that position as `minTenantSeq`, and the query first waits until every read
 * model it reads has processed the tenant's log that far. A read model that does not catch up within the wait
 * answers 503 PROJECTION_BEHIND with Retry-After rather than a state older than the caller's own write.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { MyMedicError, ValidationError } from '../../shared/errors.ts';
import { toSafeInteger } from '../../store/event-row.ts';
import type { AppendResult } from '../../store/event-store.ts';
import type { ApiServices } from '../api-route.ts';
import type { RequestContext } from '../request-context.ts';

/** How long a query waits for its read models before answering 503 (a UI request should not hang longer). */
export const READ_YOUR_WRITES_WAIT_MS = 5_000;

export const minTenantSeqSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(Number.MAX_SAFE_INTEGER)
  .optional()
  .describe(
    'read-your-writes: wait (up to 5 s) until the read model has processed the tenant log up to this ' +
      'tenant_seq (a command answer gives it), else 503 PROJECTION_BEHIND with Retry-After',
  );

type Reason = 'timeout' | 'not_running' | 'parked';

/** Seconds a client should wait before asking again: a timeout clears soon; the others need an operator. */
const RETRY_AFTER_SECONDS: Readonly<Record<Reason, number>> = { timeout: 1, not_running: 30, parked: 30 };

/** The runtime's refusals that mean "not caught up", by the reason a client is told. */
const REASON_OF_CODE: Readonly<Record<string, Reason>> = {
  SUBSCRIPTION_WAIT_TIMEOUT: 'timeout',
  PROJECTION_NOT_RUNNING: 'not_running',
  PROJECTION_EVENTS_PARKED: 'parked',
};

/**
 * Resolves once each of `readModels` has processed the caller's tenant log through `minTenantSeq`.
 * @throws ValidationError naming `minTenantSeq` when the tenant's log does not reach that far.
 * @throws MyMedicError PROJECTION_BEHIND (503; Retry-After set on `reply`) when they do not catch up in time,
 *   are not running in this process, or parked the event.
 */
export async function awaitTenantPosition(
  runtime: ApiServices['projections'],
  ctx: RequestContext,
  reply: FastifyReply,
  readModels: readonly string[],
  minTenantSeq: number,
): Promise<void> {
  const append = await appendAt(ctx, minTenantSeq);
  const behind = (reason: Reason): MyMedicError => {
    reply.header('retry-after', String(RETRY_AFTER_SECONDS[reason]));
    return new MyMedicError(
      'PROJECTION_BEHIND',
      `the read model has not processed tenant_seq ${minTenantSeq}`,
      {
        projections: readModels,
        minTenantSeq,
        reason,
      },
    );
  };
  if (runtime === undefined) throw behind('not_running');
  try {
    await runtime.waitFor(append, { projections: readModels, timeoutMs: READ_YOUR_WRITES_WAIT_MS });
  } catch (error) {
    const reason = error instanceof MyMedicError ? REASON_OF_CODE[error.code] : undefined;
    throw reason ? behind(reason) : error;
  }
}

/**
 * The event at the tenant position, as the append result the runtime waits for. The global feed delivers each
 * tenant's events in tenant_seq order, so a read model past this event is past every earlier one of the tenant.
 */
async function appendAt(ctx: RequestContext, tenantSeq: number): Promise<AppendResult> {
  const { rows } = await ctx.engine.query<{
    tx_id: string;
    global_position: string;
    version: number;
    recorded_at: Date;
  }>(
    `select tx_id::text as tx_id, global_position, version, recorded_at
      from mymedic.events where tenant_id = $1 and tenant_seq = $2`,
    [ctx.tenantId, tenantSeq],
  );
  const row = rows[0];
  if (!row) throw new ValidationError('minTenantSeq', "is beyond the tenant's last event", { in: 'query' });
  return {
    versions: [row.version],
    firstTenantSeq: tenantSeq,
    lastTenantSeq: tenantSeq,
    globalPositions: [toSafeInteger(row.global_position)],
    txId: toSafeInteger(row.tx_id),
    recordedAt: row.recorded_at,
    idempotentReplay: false,
  };
}
