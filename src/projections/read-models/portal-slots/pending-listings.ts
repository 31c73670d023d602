/**
 * The (doctor, date) listings a build held in memory has still to list. A rebuild into an empty shadow need not
 * list a doctor's date each time a page of events changes it: a listing is a function of the final states, so
 * listing every noted (doctor, date) once, when the build ends, gives the same rows — and a date touched on
 * fifty pages is listed once instead of fifty times.
 */
import type { BuildMemory } from '../shared/resident-table.ts';

export class PendingListings implements BuildMemory {
  /** Tenant id → doctor id → dates. */
  private readonly listings = new Map<string, Map<string, Set<string>>>();
  /** Changes since the last commit, to undo: [added or removed, tenant, doctor, date]. */
  private journal: ['added' | 'removed', string, string, string][] = [];

  note(tenantId: string, doctorId: string, dates: Iterable<string>): void {
    const doctors = this.doctorsOf(tenantId);
    let noted = doctors.get(doctorId);
    if (noted === undefined) doctors.set(doctorId, (noted = new Set()));
    for (const date of dates) {
      if (noted.has(date)) continue;
      noted.add(date);
      this.journal.push(['added', tenantId, doctorId, date]);
    }
  }

  /** Forgets the tenant's dates before `before`: they left the horizon, and their rows would be dropped. */
  dropBefore(tenantId: string, before: string): void {
    for (const [doctorId, dates] of this.listings.get(tenantId) ?? []) {
      for (const date of dates) {
        if (date >= before) continue;
        dates.delete(date);
        this.journal.push(['removed', tenantId, doctorId, date]);
      }
    }
  }

  /** Takes what is pending, by tenant, leaving nothing. */
  take(): Map<string, Map<string, Set<string>>> {
    const taken = new Map(this.listings);
    this.listings.clear();
    this.journal = [];
    return taken;
  }

  commit(): void {
    this.journal = [];
  }

  rollback(): void {
    for (const [change, tenantId, doctorId, date] of this.journal.reverse()) {
      const dates = this.doctorsOf(tenantId).get(doctorId);
      if (change === 'added') dates?.delete(date);
      else dates?.add(date);
    }
    this.journal = [];
  }

  private doctorsOf(tenantId: string): Map<string, Set<string>> {
    let doctors = this.listings.get(tenantId);
    if (doctors === undefined) this.listings.set(tenantId, (doctors = new Map()));
    return doctors;
  }
}
