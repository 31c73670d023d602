/**
 * What the demo generator counts while it runs: events appended by type, commands accepted by type, commands
 * refused by the business rule's code, and the few outcomes the BI questions (seed §12) are about, so a
 * report can show the rates the history was tuned to.
 */
import type { RoutedEvent } from '../commands/command-shell.ts';

export type Outcome =
  | 'booking'
  | 'late_cancellation'
  | 'deposit_paid'
  | 'booked_arrival'
  | 'no_show'
  /** Tele visits long enough before the period's end for their follow-up to have happened in it. */
  | 'tele_visit'
  | 'tele_converted'
  /** Follow-ups due long enough before the period's end to have been kept in it. */
  | 'follow_up_due'
  | 'follow_up_kept';

export class Tally {
  readonly eventsByType = new Map<string, number>();
  readonly acceptedByCommand = new Map<string, number>();
  readonly refusedByCode = new Map<string, number>();
  readonly outcomes = new Map<Outcome, number>();
  events = 0;

  accepted(commandType: string, events: readonly RoutedEvent[]): void {
    bump(this.acceptedByCommand, commandType);
    for (const event of events) bump(this.eventsByType, event.type);
    this.events += events.length;
  }

  refused(code: string): void {
    bump(this.refusedByCode, code);
  }

  count(outcome: Outcome): void {
    bump(this.outcomes, outcome);
  }

  outcome(outcome: Outcome): number {
    return this.outcomes.get(outcome) ?? 0;
  }

  /** Adds another tally's counts to this one (tenants count apart, the report adds them up). */
  add(other: Tally): void {
    for (const [key, count] of other.eventsByType) bump(this.eventsByType, key, count);
    for (const [key, count] of other.acceptedByCommand) bump(this.acceptedByCommand, key, count);
    for (const [key, count] of other.refusedByCode) bump(this.refusedByCode, key, count);
    for (const [key, count] of other.outcomes) bump(this.outcomes, key, count);
    this.events += other.events;
  }
}

function bump<K>(counts: Map<K, number>, key: K, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}
