import { chainLink, contentHash } from '../chain-hash.ts';
import type { Engine } from '../engines/engine.ts';
import { EVENT_COLUMNS, toRecordedEvent, toSafeInteger, type EventRow } from '../event-row.ts';

export interface TenantChainReport {
  readonly tenantId: string;
  readonly eventsChecked: number;
  readonly ok: boolean;
  /** The first tenant_seq whose stored bytes, position or link do not match the chain. */
  readonly firstBadSeq?: number;
  readonly problem?: string;
  /** Hex of the last verified link: keep it elsewhere to detect a later rollback or truncated tail. */
  readonly headHash: string;
}

const PAGE = 2_000;

/**
 * Walks each tenant's hash chain from the first event, recomputing every content hash from the stored
 * columns and every link from its predecessor. Any changed byte, deleted, inserted or reordered event breaks
 * the chain at the first affected tenant_seq; a deleted tail shows as a mismatch with the tenant's head row.
 */
export async function verifyChains(
  engine: Engine,
  options: { tenantId?: string } = {},
): Promise<TenantChainReport[]> {
  const { rows } = await engine.query<{ tenant_id: string }>(
    `select tenant_id from mymedic.tenant_heads where $1::text is null or tenant_id = $1
      union select distinct tenant_id from mymedic.events where $1::text is null or tenant_id = $1
      order by tenant_id`,
    [options.tenantId ?? null],
  );
  const reports: TenantChainReport[] = [];
  for (const { tenant_id } of rows) reports.push(await verifyTenant(engine, tenant_id));
  return reports;
}

async function verifyTenant(engine: Engine, tenantId: string): Promise<TenantChainReport> {
  let previous: Buffer = Buffer.alloc(0);
  let expectedSeq = 1;
  let checked = 0;
  const fail = (seq: number, problem: string): TenantChainReport => ({
    tenantId,
    eventsChecked: checked,
    ok: false,
    firstBadSeq: seq,
    problem,
    headHash: previous.toString('hex'),
  });
  for (let after = 0; ;) {
    const { rows } = await engine.query<EventRow & { chain_hash: Buffer }>(
      `select ${EVENT_COLUMNS}, chain_hash from mymedic.events
        where tenant_id = $1 and tenant_seq > $2 order by tenant_seq limit $3`,
      [tenantId, after, PAGE],
    );
    for (const row of rows) {
      const event = toRecordedEvent(row);
      if (event.tenantSeq !== expectedSeq) {
        return fail(expectedSeq, `tenant_seq ${expectedSeq} is missing (next stored is ${event.tenantSeq})`);
      }
      const link = chainLink(previous, event.tenantSeq, event.version, event.recordedAt, contentHash(event));
      if (!link.equals(row.chain_hash))
        return fail(event.tenantSeq, 'stored event does not match its chain link');
      previous = link;
      expectedSeq++;
      checked++;
    }
    const last = rows.at(-1);
    if (rows.length < PAGE || !last) break;
    after = toSafeInteger(last.tenant_seq);
  }
  const { rows: heads } = await engine.query<{ last_seq: string; last_hash: Buffer }>(
    'select last_seq, last_hash from mymedic.tenant_heads where tenant_id = $1',
    [tenantId],
  );
  const head = heads[0];
  if (!head) return fail(expectedSeq, 'the tenant has events but no chain head');
  if (toSafeInteger(head.last_seq) !== checked || !head.last_hash.equals(previous)) {
    return fail(expectedSeq, `chain head says ${head.last_seq} events; the chain holds ${checked}`);
  }
  return { tenantId, eventsChecked: checked, ok: true, headHash: previous.toString('hex') };
}
