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
  let checked = 0;
  const fail = (seq: number, problem: string): TenantChainReport => ({
    tenantId,
    eventsChecked: checked,
    ok: false,
    firstBadSeq: seq,
    problem,
    headHash: previous.toString('hex'),
  });
  // Appends may commit while the walk runs: walk to the end, then read the head; if the head moved past
  // what was walked, walk the new events and look again. Events never change, so only the tail can move.
  for (;;) {
    for (;;) {
      const { rows } = await engine.query<EventRow & { chain_hash: Buffer }>(
        `select ${EVENT_COLUMNS}, chain_hash from mymedic.events
          where tenant_id = $1 and tenant_seq > $2 order by tenant_seq limit $3`,
        [tenantId, checked, PAGE],
      );
      for (const row of rows) {
        const event = toRecordedEvent(row);
        if (event.tenantSeq !== checked + 1) {
          return fail(
            checked + 1,
            `tenant_seq ${checked + 1} is missing (next stored is ${event.tenantSeq})`,
          );
        }
        const link = chainLink(
          previous,
          event.tenantSeq,
          event.version,
          event.recordedAt,
          contentHash(event),
        );
        if (!link.equals(row.chain_hash))
          return fail(event.tenantSeq, 'stored event does not match its chain link');
        previous = link;
        checked++;
      }
      if (rows.length < PAGE) break;
    }
    const { rows: heads } = await engine.query<{ last_seq: string; last_hash: Buffer }>(
      'select last_seq, last_hash from mymedic.tenant_heads where tenant_id = $1',
      [tenantId],
    );
    const head = heads[0];
    if (!head) return fail(checked > 0 ? 1 : 0, 'the tenant has events but no chain head');
    const headSeq = toSafeInteger(head.last_seq);
    if (headSeq > checked) {
      const { rows: beyond } = await engine.query<{ n: string }>(
        'select count(*) as n from mymedic.events where tenant_id = $1 and tenant_seq > $2',
        [tenantId, checked],
      );
      if (Number(beyond[0]?.n ?? 0) > 0) continue;
      return fail(checked + 1, `chain head says ${headSeq} events; the chain holds ${checked}`);
    }
    if (headSeq < checked) {
      return fail(headSeq + 1, `events beyond the chain head (${headSeq}) were inserted`);
    }
    if (!head.last_hash.equals(previous)) return fail(checked, 'the chain head does not match the last link');
    return { tenantId, eventsChecked: checked, ok: true, headHash: previous.toString('hex') };
  }
}
