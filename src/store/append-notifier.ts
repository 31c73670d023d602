import type { Sql } from './engines/engine.ts';

export const EVENTS_CHANNEL = 'mymedic_events';

/**
 * Wakes subscribers after appends. NOTIFY is sent from its own short statement after the append, not from
 * inside the appending transaction: PostgreSQL holds a cluster-wide lock from a notifying transaction's
 * pre-commit through its commit, which would stop concurrent appends from sharing a WAL flush. Appends of
 * the same tick are coalesced into one notification per tenant. A lost notification only delays a
 * subscriber until its next poll.
 */
export class AppendNotifier {
  private readonly pending = new Set<string>();
  private scheduled = false;

  constructor(private readonly sql: Sql) {}

  notify(tenantId: string): void {
    this.pending.add(tenantId);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const tenants = [...this.pending];
      this.pending.clear();
      this.sql
        .query('select pg_notify($1, tenant_id) from unnest($2::text[]) as tenant_id', [EVENTS_CHANNEL, tenants])
        .catch(() => undefined);
    });
  }
}
