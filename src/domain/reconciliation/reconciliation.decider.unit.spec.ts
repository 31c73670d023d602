import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definitionProblems, given } from '../shared/testing/decider-harness.ts';
import type { ReconciliationCommand } from './commands.ts';
import { reconciliationDecider } from './decider.ts';
import { events, type ReconciliationEvent } from './events.ts';
import { reconciliationIdOf } from './reconciliation-id.ts';

const now = new Date('2026-11-27T16:00:00.000Z');
const at = now.toISOString();
const id = reconciliationIdOf('br1', '2026-11-27');
const inr = (amountMinor: number) => ({ amountMinor, currency: 'INR' });

const open: ReconciliationCommand = {
  type: 'OpenReconciliation',
  reconciliationId: id,
  branchId: 'br1',
  businessDate: '2026-11-27',
  currency: 'INR',
  now,
};
const opened: ReconciliationEvent = {
  type: 'reconciliation.opened',
  data: {
    reconciliationId: 'br1:2026-11-27',
    branchId: 'br1',
    businessDate: '2026-11-27',
    currency: 'INR',
    openedAt: at,
  },
};
const figures = (method: 'cash' | 'upi', expected: number, collected: number): ReconciliationEvent => ({
  type: 'reconciliation.figures.recorded',
  data: { reconciliationId: id, method, expected: inr(expected), collected: inr(collected), recordedAt: at },
});
const explain: ReconciliationCommand = {
  type: 'RecordVariance',
  reconciliationId: id,
  reasonCode: 'cash_short',
  now,
};
const settle: ReconciliationCommand = { type: 'SettleReconciliation', reconciliationId: id, now };

describe('reconciliation decider', () => {
  it('registers its events', () => {
    assert.deepEqual(definitionProblems(events, 'reconciliation'), []);
  });

  it('opens one branch day under the id <branchId>:<YYYY-MM-DD>', () => {
    assert.deepEqual(given(reconciliationDecider, []).when(open), [opened]);
    assert.throws(
      () => given(reconciliationDecider, []).when({ ...open, reconciliationId: 'br1:2026-11-28' }),
      {
        code: 'VALIDATION_FAILED',
        facts: { field: 'reconciliationId', reconciliationId: 'br1:2026-11-28' },
      },
    );
    assert.throws(() => given(reconciliationDecider, [opened]).when(open), { code: 'INVALID_TRANSITION' });
  });

  it('records figures per method in the day’s currency', () => {
    const recordCash = {
      type: 'RecordFigures',
      reconciliationId: id,
      method: 'cash',
      expected: inr(500_000),
      collected: inr(480_000),
      now,
    } as const;
    assert.deepEqual(given(reconciliationDecider, [opened]).when(recordCash), [
      figures('cash', 500_000, 480_000),
    ]);
    assert.throws(
      () =>
        given(reconciliationDecider, [opened]).when({
          ...recordCash,
          collected: { amountMinor: 1, currency: 'USD' },
        }),
      { code: 'CURRENCY_MISMATCH', facts: { field: 'collected', expected: 'INR', actual: 'USD' } },
    );
    assert.throws(() => given(reconciliationDecider, [opened]).when({ ...recordCash, expected: inr(-1) }), {
      code: 'VALIDATION_FAILED',
    });
    assert.throws(() => given(reconciliationDecider, []).when(recordCash), { code: 'INVALID_TRANSITION' });
  });

  it('records the variance computed from the figures, collected − expected over all methods', () => {
    const history = [opened, figures('cash', 500_000, 480_000), figures('upi', 200_000, 205_000)];
    assert.deepEqual(given(reconciliationDecider, history).when(explain), [
      {
        type: 'reconciliation.variance.recorded',
        data: { reconciliationId: id, variance: inr(-15_000), reasonCode: 'cash_short', recordedAt: at },
      },
    ]);
  });

  it('refuses a variance without figures or when the figures balance', () => {
    assert.throws(() => given(reconciliationDecider, [opened]).when(explain), {
      code: 'RECONCILIATION_NO_FIGURES',
    });
    assert.throws(() => given(reconciliationDecider, [opened, figures('cash', 100, 100)]).when(explain), {
      code: 'RECONCILIATION_NO_VARIANCE',
    });
  });

  it('settles a balanced day with its totals', () => {
    assert.deepEqual(given(reconciliationDecider, [opened, figures('upi', 100, 100)]).when(settle), [
      {
        type: 'reconciliation.settled',
        data: {
          reconciliationId: id,
          branchId: 'br1',
          businessDate: '2026-11-27',
          expected: inr(100),
          collected: inr(100),
          variance: inr(0),
          varianceReasonCode: null,
          settledAt: at,
        },
      },
    ]);
  });

  it('settles a day with a variance only once it is explained, and a recount makes the explanation stale', () => {
    const withVariance = [opened, figures('cash', 500, 400)];
    assert.throws(() => given(reconciliationDecider, withVariance).when(settle), {
      code: 'RECONCILIATION_VARIANCE_UNEXPLAINED',
      facts: { reconciliationId: id, varianceMinor: -100, currency: 'INR' },
    });
    const explained = [...withVariance, ...given(reconciliationDecider, withVariance).when(explain)];
    const [settled] = given(reconciliationDecider, explained).when(settle);
    assert.equal(settled?.type === 'reconciliation.settled' && settled.data.varianceReasonCode, 'cash_short');
    assert.throws(
      () => given(reconciliationDecider, [...explained, figures('cash', 500, 450)]).when(settle),
      {
        code: 'RECONCILIATION_VARIANCE_UNEXPLAINED',
      },
    );
  });

  it('refuses every change after settlement', () => {
    const settled = [opened, figures('upi', 1, 1)];
    const history = [...settled, ...given(reconciliationDecider, settled).when(settle)];
    for (const command of [open, settle, explain]) {
      assert.throws(() => given(reconciliationDecider, history).when(command), {
        code: 'INVALID_TRANSITION',
        facts: { aggregateType: 'reconciliation', status: 'settled', command: command.type },
      });
    }
  });
});
