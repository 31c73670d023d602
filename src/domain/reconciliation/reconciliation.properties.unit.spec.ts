import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { commandSequences, replay, runCommands, throughStore } from '../shared/testing/decider-harness.ts';
import type { ReconciliationCommand } from './commands.ts';
import { reconciliationDecider } from './decider.ts';
import { events, type ReconciliationEvent } from './events.ts';

const now = fc.date({
  min: new Date('2026-01-01T00:00:00Z'),
  max: new Date('2027-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const reconciliationId = fc.constant('br1:2026-11-27');
const money = fc.record({
  amountMinor: fc.constantFrom(0, 100, 250),
  currency: fc.oneof({ arbitrary: fc.constant('INR'), weight: 9 }, fc.constant('USD')),
});

const open = fc.record({
  type: fc.constant('OpenReconciliation' as const),
  reconciliationId,
  branchId: fc.constant('br1'),
  businessDate: fc.constant('2026-11-27'),
  currency: fc.constant('INR'),
  now,
});
const recordFigures = fc.record({
  type: fc.constant('RecordFigures' as const),
  reconciliationId,
  method: fc.constantFrom('cash' as const, 'upi' as const),
  expected: money,
  collected: money,
  now,
});
const recordVariance = fc.record({
  type: fc.constant('RecordVariance' as const),
  reconciliationId,
  reasonCode: fc.constantFrom('cash_short' as const, 'unexplained' as const),
  now,
});
const settle = fc.record({ type: fc.constant('SettleReconciliation' as const), reconciliationId, now });
const command: fc.Arbitrary<ReconciliationCommand> = fc.oneof(open, recordFigures, recordVariance, settle);
const commands = commandSequences<ReconciliationCommand>(
  [open, recordFigures, recordVariance, settle],
  command,
);

/** The day's state machine, written out independently of the decider, from the events so far. */
function legal(history: readonly ReconciliationEvent[], command: ReconciliationCommand): boolean {
  const types = history.map((event) => event.type);
  const isOpen = types.includes('reconciliation.opened') && !types.includes('reconciliation.settled');
  const latest = new Map<string, { expected: number; collected: number }>();
  let explainedSinceFigures = false;
  for (const event of history) {
    if (event.type === 'reconciliation.figures.recorded') {
      latest.set(event.data.method, {
        expected: event.data.expected.amountMinor,
        collected: event.data.collected.amountMinor,
      });
      explainedSinceFigures = false;
    }
    if (event.type === 'reconciliation.variance.recorded') explainedSinceFigures = true;
  }
  let variance = 0;
  for (const { expected, collected } of latest.values()) variance += collected - expected;
  switch (command.type) {
    case 'OpenReconciliation':
      return history.length === 0;
    case 'RecordFigures':
      return isOpen;
    case 'RecordVariance':
      return isOpen && latest.size > 0 && variance !== 0;
    case 'SettleReconciliation':
      return isOpen && latest.size > 0 && (variance === 0 || explainedSinceFigures);
  }
}

describe('reconciliation decider properties', () => {
  it('replaying the stored events of any command sequence rebuilds the live state', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        const { state, history } = runCommands(reconciliationDecider, sequence);
        assert.deepEqual(
          replay(
            reconciliationDecider,
            history.map((event) => throughStore(events, event)),
          ),
          state,
        );
      }),
    );
  });

  it('accepts no command the state machine forbids, and nothing after settlement', () => {
    fc.assert(
      fc.property(commands, (sequence) => {
        const { outcomes } = runCommands(reconciliationDecider, sequence);
        const history: ReconciliationEvent[] = [];
        for (const outcome of outcomes) {
          if (outcome.refusal === null) assert.ok(legal(history, outcome.command), outcome.command.type);
          history.push(...outcome.events);
        }
        const settledAt = history.findIndex((event) => event.type === 'reconciliation.settled');
        assert.ok(settledAt === -1 || settledAt === history.length - 1, 'no event after settlement');
      }),
    );
  });
});
