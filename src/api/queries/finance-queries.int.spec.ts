/**
 * payments_view and reconciliation_view over HTTP on both engines, from the finance history (tenant A; every
 * figure of it is known) and a clinic without payments that uses the same ids (tenant B): answers equal the
 * query API's, each payment's patient is disclosed (and no one else), a patient sees only their own payments,
 * bad input is a 400 naming the field, roles without the permission get 403, and B's keys never see A.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { writeFinanceHistory } from '../../analytics/testing/finance-history.ts';
import {
  paymentById,
  paymentHistory,
  paymentsOfBooking,
} from '../../projections/read-models/payments/payments-queries.ts';
import { paymentsView } from '../../projections/read-models/payments/payments-view.ts';
import {
  branchDay,
  branchDays,
  chainRollup,
} from '../../projections/read-models/reconciliation/reconciliation-queries.ts';
import { reconciliationView } from '../../projections/read-models/reconciliation/reconciliation-view.ts';
import { buildSmallClinic } from '../../projections/read-models/testing/schedule-scenario.ts';
import { describeEachEngine } from '../../store/testing/test-engines.ts';
import { buildReadModels, openQueryTestbed, type QueryTestbed } from './testing/query-testbed.ts';

const A = 'finance-a';
const B = 'finance-b';
const PERIOD = 'from=2026-12-01&to=2026-12-15';
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describeEachEngine('finance read models over HTTP', (db) => {
  let testbed: QueryTestbed;

  before(async () => {
    const engine = db().engine;
    testbed = await openQueryTestbed(engine, [A, B]);
    const a = await writeFinanceHistory(engine, A);
    const b = await buildSmallClinic(engine, B);
    await buildReadModels(engine, [paymentsView, reconciliationView], [a.last, b.last]);
  });
  after(() => testbed.close());

  it('answers a payment with its lifecycle and its version as ETag, disclosing its patient', async () => {
    const response = await testbed.get(A, 'finance', '/v1/payments/pay-1');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['etag'], '"4"');
    const query = { tenantId: A, paymentId: 'pay-1' };
    assert.deepEqual(response.json(), {
      payment: asJson(await paymentById(db().engine, query)),
      history: asJson(await paymentHistory(db().engine, query)),
    });
    assert.equal(response.json().payment.status, 'balance_paid');
    assert.deepEqual(await testbed.disclosed(response), ['pt-1']);

    const missing = await testbed.get(A, 'finance', '/v1/payments/pay-99');
    assert.deepEqual([missing.statusCode, missing.json().code], [404, 'NOT_FOUND']);
    assert.deepEqual(await testbed.disclosed(missing), []);
  });

  it("lists a booking's payments and the open refunds and disputes with whose they are", async () => {
    const ofBooking = await testbed.get(A, 'front_desk', '/v1/bookings/bk-7/payments');
    assert.deepEqual(ofBooking.json(), {
      bookingId: 'bk-7',
      payments: asJson(await paymentsOfBooking(db().engine, { tenantId: A, bookingId: 'bk-7' })),
    });
    assert.deepEqual(await testbed.disclosed(ofBooking), ['pt-1']);
    const unpaid = await testbed.get(A, 'front_desk', '/v1/bookings/bk-3/payments');
    assert.deepEqual(unpaid.json().payments, []);
    assert.deepEqual(await testbed.disclosed(unpaid), []);

    const refunds = await testbed.get(A, 'finance', '/v1/refunds/open');
    assert.deepEqual(refunds.json().refunds, [
      {
        paymentId: 'pay-5',
        refundId: 'r-5',
        branchId: 'br-2',
        amountMinor: 5_000,
        currency: 'INR',
        reasonCode: 'goodwill',
        requestedAt: '2026-12-08T06:00:00.000Z',
        patientId: 'pt-3',
      },
    ]);
    assert.deepEqual(await testbed.disclosed(refunds), ['pt-3']);
    const disputes = await testbed.get(A, 'auditor', '/v1/disputes/open?branchId=br-2');
    assert.deepEqual(
      disputes
        .json()
        .disputes.map((dispute: { disputeId: string; patientId: string }) => [
          dispute.disputeId,
          dispute.patientId,
        ]),
      [['d-6', 'pt-3']],
    );
    const otherBranch = await testbed.get(A, 'finance', '/v1/disputes/open?branchId=br-1');
    assert.deepEqual(otherBranch.json().disputes, []);
    assert.deepEqual(await testbed.disclosed(otherBranch), []);
  });

  it('shows a patient only their own payments; another patient’s is not found', async () => {
    const asPatient = (patientId: string, url: string) =>
      testbed.get(A, 'patient', url, { actorId: patientId });
    const own = await asPatient('pt-1', '/v1/payments/pay-1');
    assert.equal(own.statusCode, 200);
    assert.deepEqual(await testbed.disclosed(own), ['pt-1']);

    const others = await asPatient('pt-1', '/v1/payments/pay-2');
    assert.deepEqual([others.statusCode, others.json().code], [404, 'NOT_FOUND']);
    assert.doesNotMatch(others.body, /pt-2|20000|card/);
    assert.deepEqual(await testbed.disclosed(others), []);

    const othersBooking = await asPatient('pt-1', '/v1/bookings/bk-2/payments');
    assert.deepEqual(othersBooking.json().payments, []);
    assert.deepEqual((await asPatient('pt-1', '/v1/refunds/open')).json().refunds, []);
    assert.deepEqual((await asPatient('pt-1', '/v1/disputes/open')).json().disputes, []);
    const theirs = await asPatient('pt-3', '/v1/refunds/open');
    assert.deepEqual(
      theirs.json().refunds.map((refund: { refundId: string }) => refund.refundId),
      ['r-5'],
    );
    assert.deepEqual(await testbed.disclosed(theirs), ['pt-3']);
  });

  it("answers a branch's business day, the branch days of a period and the chain roll-up", async () => {
    const day = await testbed.get(A, 'finance', '/v1/branches/br-1/reconciliation?date=2026-12-07');
    assert.equal(day.statusCode, 200);
    const expected = await branchDay(db().engine, {
      tenantId: A,
      branchId: 'br-1',
      businessDate: '2026-12-07',
    });
    assert.deepEqual(day.json(), {
      branchId: 'br-1',
      businessDate: '2026-12-07',
      currencies: asJson(expected),
    });
    assert.deepEqual(day.json().currencies[0].figures, [
      { method: 'card', expectedMinor: 60_000, collectedMinor: 60_000 },
      { method: 'cash', expectedMinor: 10_000, collectedMinor: 9_500 },
    ]);

    const days = await testbed.get(A, 'auditor', `/v1/reconciliation/branch-days?${PERIOD}`);
    const period = { tenantId: A, from: '2026-12-01', to: '2026-12-15' };
    assert.deepEqual(days.json().days, asJson(await branchDays(db().engine, period)));
    assert.equal(days.json().days.length, 10);
    const oneBranch = await testbed.get(
      A,
      'finance',
      `/v1/reconciliation/branch-days?${PERIOD}&branchId=br-2`,
    );
    assert.ok(oneBranch.json().days.every((entry: { branchId: string }) => entry.branchId === 'br-2'));

    const chain = await testbed.get(A, 'finance', `/v1/reconciliation/chain?${PERIOD}&by=period`);
    assert.deepEqual(chain.json().rows, asJson(await chainRollup(db().engine, { ...period, by: 'period' })));
    assert.deepEqual(
      [chain.json().rows[0].expectedMinor, chain.json().rows[0].collectedMinor],
      [185_000, 184_500],
    );
    const perDay = await testbed.get(A, 'finance', `/v1/reconciliation/chain?${PERIOD}`);
    assert.equal(perDay.json().by, 'day');
    assert.equal(perDay.json().rows.length, 8);
    for (const response of [day, days, chain]) assert.deepEqual(await testbed.disclosed(response), []);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const cases: [url: string, field: string][] = [
      ['/v1/payments/pay%201', 'paymentId'],
      ['/v1/payments/pay-1?paymentId=pay-2', 'paymentId'],
      ['/v1/refunds/open?branchId=', 'branchId'],
      ['/v1/branches/br-1/reconciliation', 'date'],
      ['/v1/branches/br-1/reconciliation?date=2026-12-32', 'date'],
      ['/v1/reconciliation/branch-days?from=2026-12-15&to=2026-12-01', 'to'],
      ['/v1/reconciliation/branch-days?from=2026-01-01&to=2026-12-31', 'to'],
      ['/v1/reconciliation/chain?from=2026-12-01', 'to'],
      ['/v1/reconciliation/chain?from=2025-01-01&to=2026-12-31', 'to'],
      [`/v1/reconciliation/chain?${PERIOD}&by=week`, 'by'],
    ];
    for (const [url, field] of cases) {
      const response = await testbed.get(A, 'auditor', url);
      assert.equal(response.statusCode, 400, url);
      assert.deepEqual([response.json().code, response.json().field], ['VALIDATION_FAILED', field], url);
    }
  });

  it('refuses roles without the permission with 403', async () => {
    const cases: [
      role: 'doctor' | 'tenant_admin' | 'front_desk' | 'patient',
      url: string,
      permission: string,
    ][] = [
      ['doctor', '/v1/payments/pay-1', 'payments:read'],
      ['tenant_admin', '/v1/refunds/open', 'payments:read'],
      ['front_desk', '/v1/reconciliation/chain?' + PERIOD, 'reconciliation:read'],
      ['patient', '/v1/branches/br-1/reconciliation?date=2026-12-07', 'reconciliation:read'],
    ];
    for (const [role, url, permission] of cases) {
      const response = await testbed.get(A, role, url);
      assert.equal(response.statusCode, 403, `${role} ${url}`);
      assert.deepEqual([response.json().code, response.json().permission], ['PERMISSION_DENIED', permission]);
      assert.deepEqual(await testbed.disclosed(response), []);
    }
  });

  it("gives tenant B's keys nothing of A's payments and days, whatever ids they name", async () => {
    for (const url of ['/v1/payments/pay-1', '/v1/payments/pay-5']) {
      const response = await testbed.get(B, 'finance', url);
      assert.deepEqual([response.statusCode, response.json().code], [404, 'NOT_FOUND'], url);
    }
    const empty: [url: string, list: string][] = [
      ['/v1/bookings/bk-1/payments', 'payments'],
      ['/v1/refunds/open', 'refunds'],
      ['/v1/disputes/open?branchId=br-2', 'disputes'],
      ['/v1/branches/br-1/reconciliation?date=2026-12-07', 'currencies'],
      [`/v1/reconciliation/branch-days?${PERIOD}`, 'days'],
      [`/v1/reconciliation/chain?${PERIOD}&by=period`, 'rows'],
    ];
    for (const [url, list] of empty) {
      const response = await testbed.get(B, 'auditor', url);
      assert.equal(response.statusCode, 200, url);
      assert.deepEqual(response.json()[list], [], url);
      assert.deepEqual(await testbed.disclosed(response), [], url);
    }
  });
});
