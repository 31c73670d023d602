/**
 * Diffs and fingerprints hash each row's text. Timestamps render in the session's time zone and date style,
 * so both are fixed for the rest of the transaction: equal rows give equal text in any session.
 */
import type { Sql } from '../store/engines/engine.ts';

export async function fixRowTextSettings(tx: Sql): Promise<void> {
  await tx.query("select set_config('timezone', 'UTC', true), set_config('datestyle', 'ISO, YMD', true)");
}
