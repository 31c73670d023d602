/**
 * Master key rotation: rewraps every data key still wrapped under a previous master key with the current
 * one. Data keys, and so every stored ciphertext, stay as they are. Once the report shows nothing left under
 * a retired key and no backup still needs it, destroy that key: that is what finally shreds the wrapped keys
 * that old backups still hold. This is the one cross-tenant maintenance pass of the module.
 */
import type { Engine } from '../store/engines/engine.ts';
import type { MasterKeys } from './master-key.ts';
import { rewrap, type WrappedKeyRow } from './wrapped-keys.ts';

export interface RotationReport {
  readonly rewrapped: number;
  /** Rows still not under the current key, by master key id: wrapped under a key that was not supplied. */
  readonly remaining: Readonly<Record<string, number>>;
}

/**
 * @example
 * // MYMEDIC_MASTER_KEY=<new>  MYMEDIC_PREVIOUS_MASTER_KEYS=<old>
 * const report = await rotateMasterKey(engine, await loadMasterKeys());
 * if (Object.keys(report.remaining).length === 0) console.warn('old master key may be destroyed after backups age out');
 */
export async function rotateMasterKey(
  engine: Engine,
  masterKeys: MasterKeys,
  options: { readonly batchSize?: number } = {},
): Promise<RotationReport> {
  const batchSize = options.batchSize ?? 500;
  const previousIds = masterKeys.previous.map((key) => key.id);
  let rewrapped = 0;
  for (;;) {
    // Short transactions, each locking one batch, so erasures and first uses are not held up for long.
    const done = await engine.transaction(async (sql) => {
      const { rows } = await sql.query<WrappedKeyRow>(
        `select tenant_id, patient_id, key_id, master_key_id, wrap_iv, wrapped_key from mymedic.patient_keys
         where master_key_id = any($1::text[]) order by tenant_id, patient_id limit $2 for update`,
        [previousIds, batchSize],
      );
      for (const row of rows) {
        const { iv, ct } = rewrap(masterKeys, row, masterKeys.current);
        await sql.query(
          `update mymedic.patient_keys set master_key_id = $4, wrap_iv = $5, wrapped_key = $6, rewrapped_at = now()
           where tenant_id = $1 and patient_id = $2 and key_id = $3`,
          [row.tenant_id, row.patient_id, row.key_id, masterKeys.current.id, iv, ct],
        );
      }
      return rows.length;
    });
    rewrapped += done;
    if (done < batchSize) break;
  }
  const { rows } = await engine.query<{ master_key_id: string; count: string }>(
    `select master_key_id, count(*) as count from mymedic.patient_keys where master_key_id <> $1 group by 1`,
    [masterKeys.current.id],
  );
  return {
    rewrapped,
    remaining: Object.fromEntries(rows.map((row) => [row.master_key_id, Number(row.count)])),
  };
}
