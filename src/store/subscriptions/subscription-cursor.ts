import type { AppendResult, GlobalCursor } from '../event-store.ts';
import type { RecordedEvent } from '../envelope.ts';

/**
 * Where a subscription stands. A tenant-scoped subscription follows the tenant's gapless `tenant_seq`; an
 * all-tenants subscription follows the global feed's (tx_id, global_position) pair.
 */
export type SubscriptionCursor =
  | { readonly scope: 'tenant'; readonly tenantSeq: number }
  | { readonly scope: 'all'; readonly feed: GlobalCursor };

export function cursorAfter(cursor: SubscriptionCursor, event: RecordedEvent): SubscriptionCursor {
  return cursor.scope === 'tenant'
    ? { scope: 'tenant', tenantSeq: event.tenantSeq }
    : { scope: 'all', feed: { txId: event.txId, globalPosition: event.globalPosition } };
}

/** True once the subscription has processed every event of the given append. */
export function hasReached(cursor: SubscriptionCursor, append: AppendResult): boolean {
  if (cursor.scope === 'tenant') return cursor.tenantSeq >= append.lastTenantSeq;
  const lastPosition = Math.max(...append.globalPositions);
  return (
    cursor.feed.txId > append.txId ||
    (cursor.feed.txId === append.txId && cursor.feed.globalPosition >= lastPosition)
  );
}
