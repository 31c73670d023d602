/**
 * GET /v1/warehouse/tables/:table — one warehouse table of the caller's tenant streamed as NDJSON (one JSON
 * object per row, in primary-key order; instants in UTC, money in minor units), the lines `exportWarehouse`
 * writes to `<table>.ndjson`, for a warehouse loader (`JSONEachRow`, `NEWLINE_DELIMITED_JSON`). Patients
 * appear only as pseudonymous keys, so the stream discloses no patient and records no disclosure.
 *
 * The rows are read a page at a time, each page in a short transaction of its own (keyset on the primary
 * key): a slow client never holds a transaction open, which on the embedded engine would stall every other
 * request. Each row is therefore as of when its page was read; a row is never sent twice or skipped, but rows
 * the projection changes during the download may show either state. The first page is read before anything
 * is sent, so a refused or failed request still answers with a problem document; a failure later cuts the
 * chunked response short (the missing final chunk tells the client).
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import { analyticsTables } from '../../analytics/analytics-query.ts';
import { WAREHOUSE_PROJECTION } from '../../projections/read-models/warehouse/warehouse-projections.ts';
import {
  WAREHOUSE_SPECS,
  WAREHOUSE_TABLES,
  type WarehouseTable,
} from '../../projections/read-models/warehouse/warehouse-tables.ts';
import { defineApiRoute, type ApiRoute } from '../api-route.ts';
import type { RequestContext } from '../request-context.ts';
import { awaitTenantPosition, minTenantSeqSchema } from './read-your-writes.ts';

const URL = '/v1/warehouse/tables/:table';

interface Page {
  readonly text: string;
  /** The last row's key, to continue after; null when this was the last page. */
  readonly after: readonly string[] | null;
}

/** @param pageRows rows per page (per transaction). */
export function warehouseTableRoute(pageRows = 1_000): ApiRoute {
  return {
    method: 'GET',
    url: URL,
    register(app, services) {
      defineApiRoute({
        method: 'GET',
        url: URL,
        summary: 'A warehouse table of the tenant, streamed as NDJSON',
        tags: ['analytics'],
        permission: 'analytics:read',
        params: z.strictObject({ table: z.enum(WAREHOUSE_TABLES) }),
        querystring: z.strictObject({ minTenantSeq: minTenantSeqSchema }),
        responses: {
          200: z.string().describe('application/x-ndjson: one JSON object per row, in primary-key order'),
        },
        async handler({ params, query }, ctx, reply) {
          if (query.minTenantSeq !== undefined) {
            const readModels = [WAREHOUSE_PROJECTION];
            await awaitTenantPosition(services.projections, ctx, reply, readModels, query.minTenantSeq);
          }
          const first = await readPage(ctx, params.table, null, pageRows);
          return reply
            .type('application/x-ndjson')
            .header('content-disposition', `attachment; filename="${params.table}.ndjson"`)
            .send(Readable.from(pages(ctx, params.table, first, pageRows)));
        },
      }).register(app, services);
    },
  };
}

async function* pages(
  ctx: RequestContext,
  table: WarehouseTable,
  first: Page,
  pageRows: number,
): AsyncGenerator<string> {
  let page = first;
  for (;;) {
    if (page.text !== '') yield page.text;
    if (page.after === null) return;
    page = await readPage(ctx, table, page.after, pageRows);
  }
}

async function readPage(
  ctx: RequestContext,
  table: WarehouseTable,
  after: readonly string[] | null,
  pageRows: number,
): Promise<Page> {
  // The whole primary key, tenant first (a table keyed by the tenant alone has one row per tenant).
  const key = WAREHOUSE_SPECS[table].key;
  const columns = key.map((column) => `r.${column}`).join(', ');
  const keyText = key.map((column, index) => `r.${column}::text as k${index}`).join(', ');
  const resume = after === null ? '' : `and (${columns}) > (${key.map((_, i) => `$${i + 3}`).join(', ')})`;
  const rows = await ctx.transaction(async ({ sql }) => {
    // As exportWarehouse does: instants in UTC, so the same rows are always the same bytes.
    await sql.query(`select set_config('TimeZone', 'UTC', true)`);
    const result = await sql.query<Record<string, string>>(
      `select row_to_json(r)::text as line, ${keyText} from ${analyticsTables()[table]} r
        where r.tenant_id = $1 ${resume} order by ${columns} limit $2`,
      [ctx.tenantId, pageRows, ...(after ?? [])],
    );
    return result.rows;
  });
  const last = rows.at(-1);
  return {
    text: rows.map((row) => `${row['line']}\n`).join(''),
    after: last && rows.length === pageRows ? key.map((_, index) => last[`k${index}`]!) : null,
  };
}
