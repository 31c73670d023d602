/**
 * Counts the statements every node-postgres client sends (all three systems, PGlite included, speak through
 * it): statements per append is the round-trip count, the first suspect when a store is slower than its ceiling.
 * Installed once per measuring child process, which measures nothing else.
 */
import pg from 'pg';

let sent = 0;
let installed = false;

export function installQueryCounter(): void {
  if (installed) return;
  installed = true;
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = prototype.query;
  prototype.query = function countedQuery(this: unknown, ...args: unknown[]) {
    sent++;
    return query.apply(this, args);
  };
}

export function queriesSent(): number {
  return sent;
}
