/**
 * The BI questions and the warehouse export over HTTP on both engines, from the finance history (tenant A)
 * and a small clinic with the same ids (tenant B): each question answers as its function does, the NDJSON
 * stream is byte for byte the file export (across pages), patients appear only as pseudonymous keys and
 * nothing is disclosed, bad input is a 400 naming the field, roles without `analytics:read` get 403, and
 * B's keys never see A.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { Period } from '../../analytics/analytics-query.ts';
import { branchVariance } from '../../analytics/branch-variance.ts';
import { cancellationLeakage } from '../../analytics/cancellation-leakage.ts';
import { depositCapture } from '../../analytics/deposit-capture.ts';
import { exportWarehouse } from '../../analytics/export-warehouse.ts';
import { followUpAdherence } from '../../analytics/follow-up-adherence.ts';
import { noShowRateByDoctor } from '../../analytics/no-show-rate.ts';
import { teleConversion } from '../../analytics/tele-conversion.ts';
import { writeFinanceHistory } from '../../analytics/testing/finance-history.ts';
import { buildSmallClinic } from '../../projections/read-models/testing/schedule-scenario.ts';
import { warehouseProjections } from '../../projections/read-models/warehouse/warehouse-projections.ts';
import { WAREHOUSE_TABLES } from '../../projections/read-models/warehouse/warehouse-tables.ts';
import type { Sql } from '../../store/engines/engine.ts';
import { describeEachEngine } from '../../store/testing/test-engines.ts';
import { buildReadModels, openQueryTestbed, type QueryTestbed } from './testing/query-testbed.ts';
import { warehouseTableRoute } from './warehouse-export.ts';

const A = 'bi-http-a';
const B = 'bi-http-b';
const DECEMBER = 'from=2026-12-01&to=2026-12-31';

const QUESTIONS: [slug: string, ask: (sql: Sql, period: Period) => Promise<unknown>][] = [
  ['cancellation-leakage', cancellationLeakage],
  ['deposit-capture', depositCapture],
  ['no-show-rate', noShowRateByDoctor],
  ['branch-variance', branchVariance],
  ['tele-conversion', teleConversion],
  ['follow-up-adherence', (sql, period) => followUpAdherence(sql, { ...period, asOf: '2026-12-31' })],
];

describeEachEngine('BI questions and the warehouse export over HTTP', (db) => {
  let testbed: QueryTestbed;
  /** The export route in pages of 3 rows, so that every table spans several pages. */
  let paged: QueryTestbed;

  before(async () => {
    const engine = db().engine;
    testbed = await openQueryTestbed(engine, [A, B]);
    paged = await openQueryTestbed(engine, [], { routes: [warehouseTableRoute(3)] });
    const a = await writeFinanceHistory(engine, A);
    const b = await buildSmallClinic(engine, B);
    await buildReadModels(engine, [warehouseProjections], [a.last, b.last]);
  });
  after(async () => {
    await testbed.close();
    await paged.close();
  });

  it('answers each BI question as its function does, disclosing no one', async () => {
    const period = { tenantId: A, from: '2026-12-01', to: '2026-12-31' };
    for (const [slug, ask] of QUESTIONS) {
      const asOf = slug === 'follow-up-adherence' ? '&asOf=2026-12-31' : '';
      const response = await testbed.get(A, 'finance', `/v1/analytics/${slug}?${DECEMBER}${asOf}`);
      assert.equal(response.statusCode, 200, slug);
      assert.deepEqual(response.json(), {
        from: period.from,
        to: period.to,
        rows: await ask(db().engine, period),
      });
      assert.deepEqual(await testbed.disclosed(response), [], slug);
    }
    const leakage = (
      await testbed.get(A, 'tenant_admin', `/v1/analytics/cancellation-leakage?${DECEMBER}`)
    ).json();
    assert.deepEqual(
      leakage.rows.map((row: { branchId: string; lateCancellations: number }) => [
        row.branchId,
        row.lateCancellations,
      ]),
      [
        ['br-1', 2],
        ['br-2', 0],
      ],
    );
    const open = await testbed.get(A, 'integration', '/v1/analytics/deposit-capture');
    assert.deepEqual(open.json(), {
      from: null,
      to: null,
      rows: await depositCapture(db().engine, { tenantId: A }),
    });
    // Only bk-6 has its slot after 12-07.
    const auditor = await testbed.get(A, 'auditor', '/v1/analytics/no-show-rate?from=2026-12-08');
    assert.deepEqual(auditor.json().rows, [
      { doctorId: 'dr-2', doctorName: 'Dr. Kiran Rao', appointments: 1, noShows: 0, noShowRate: 0 },
    ]);
  });

  it('streams each warehouse table as NDJSON, the same bytes as the file export, with pseudonymous keys', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mymedic-http-export-'));
    try {
      const report = await exportWarehouse(db().engine, { tenantId: A, format: 'ndjson', directory });
      for (const table of WAREHOUSE_TABLES) {
        const response = await paged.get(A, 'integration', `/v1/warehouse/tables/${table}`);
        assert.equal(response.statusCode, 200, table);
        assert.match(String(response.headers['content-type']), /^application\/x-ndjson/);
        assert.equal(response.body, await readFile(join(directory, `${table}.ndjson`), 'utf8'), table);
        assert.equal(response.body.split('\n').length - 1, report.files.find((f) => f.table === table)?.rows);
        assert.doesNotMatch(response.body, /pt-\d|Asha|Ravi|Lata/, `${table} names no patient`);
        assert.deepEqual(await paged.disclosed(response), []);
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
    const bookings = await testbed.get(A, 'auditor', '/v1/warehouse/tables/wh_fact_booking');
    const lines = bookings.body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((row) => row['booking_id']),
      ['bk-1', 'bk-2', 'bk-3', 'bk-4', 'bk-5', 'bk-6', 'bk-7'],
    );
    assert.ok(lines.every((row) => /^[0-9a-f]{64}$/.test(String(row['patient_key']))));
  });

  it("gives tenant B's keys B's warehouse only", async () => {
    for (const table of ['wh_fact_booking', 'wh_dim_patient', 'wh_fact_payment'] as const) {
      const response = await paged.get(B, 'integration', `/v1/warehouse/tables/${table}`);
      assert.equal(response.statusCode, 200);
      const rows = response.body
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.ok(
        rows.every((row) => row['tenant_id'] === B),
        table,
      );
      assert.equal(rows.length, { wh_fact_booking: 1, wh_dim_patient: 1, wh_fact_payment: 0 }[table], table);
    }
    for (const [slug] of QUESTIONS) {
      const asOf = slug === 'follow-up-adherence' ? '&asOf=2026-12-31' : '';
      const response = await testbed.get(B, 'finance', `/v1/analytics/${slug}?${DECEMBER}${asOf}`);
      assert.doesNotMatch(response.body, /br-2|dr-2|Koramangala/, slug);
    }
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const cases: [url: string, field: string, location: string][] = [
      ['/v1/analytics/deposit-capture?from=2026-13-01', 'from', 'query'],
      ['/v1/analytics/deposit-capture?from=2026-12-31&to=2026-12-01', 'to', 'query'],
      [`/v1/analytics/follow-up-adherence?${DECEMBER}`, 'asOf', 'query'],
      [`/v1/analytics/no-show-rate?${DECEMBER}&tenantId=${B}`, 'tenantId', 'query'],
      ['/v1/warehouse/tables/events', 'table', 'params'],
      ['/v1/warehouse/tables/wh_fact_booking?limit=10', 'limit', 'query'],
    ];
    for (const [url, field, location] of cases) {
      const response = await testbed.get(A, 'auditor', url);
      assert.equal(response.statusCode, 400, url);
      assert.deepEqual(
        [response.json().code, response.json().field, response.json().in],
        ['VALIDATION_FAILED', field, location],
      );
    }
  });

  it('refuses roles without analytics:read with 403', async () => {
    for (const role of ['front_desk', 'doctor', 'patient'] as const) {
      for (const url of [`/v1/analytics/branch-variance?${DECEMBER}`, '/v1/warehouse/tables/wh_dim_date']) {
        const response = await testbed.get(A, role, url);
        assert.equal(response.statusCode, 403, `${role} ${url}`);
        assert.deepEqual(
          [response.json().code, response.json().permission],
          ['PERMISSION_DENIED', 'analytics:read'],
        );
      }
    }
  });
});
