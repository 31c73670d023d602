import type { Sql } from './engines/engine.ts';

export const EVENTS_CHANNEL = 'mymedic_events';

/** At most one NOTIFY statement per store in this window; a subscriber hears of an append within it. */
export const NOTIFY_INTERVAL_MS = 25;

/**
 * Wakes subscribers after appends, off the append's own round trip. NOTIFY is not sent from inside the
 * appending transaction: PostgreSQL holds a cluster-wide lock from a notifying transaction's pre-commit
 * through its commit, so notifying appends could not share a WAL flush. Each NOTIFY is a transaction with
 * its own commit, so they are throttled: the first append after a quiet spell is announced at once, later
 * ones are gathered (one notification per tenant) and sent when the window has passed. The deadline is also
 * checked on every call, because a loop of appends on the embedded engine may not yield to timers at all.
 * A lost notification only delays a subscriber until its next poll.
 */
export class AppendNotifier {
  private readonly pending = new Set<string>();
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private sending = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly intervalMs = NOTIFY_INTERVAL_MS,
  ) {}

  notify(tenantId: string): void {
    this.pending.add(tenantId);
    this.schedule();
  }

  private schedule(): void {
    if (this.sending || this.pending.size === 0) return;
    const wait = this.lastSentAt + this.intervalMs - performance.now();
    if (wait <= 0) {
      this.send();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.send(), wait);
      // Pending notifications must not keep a finished process alive.
      this.timer.unref();
    }
  }

  private send(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const tenants = [...this.pending];
    this.pending.clear();
    this.sending = true;
    this.lastSentAt = performance.now();
    this.sql
      .query(
        'select pg_notify($1, tenant_id) from unnest($2::text[]) as tenant_id',
        [EVENTS_CHANNEL, tenants],
        {
          prepareAs: 'mymedic_notify_appends',
        },
      )
      .catch(() => undefined)
      .finally(() => {
        this.sending = false;
        this.schedule();
      });
  }
}
