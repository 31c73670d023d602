import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  definitionProblems,
  given,
  replay,
  runCommands,
  throughStore,
} from '../shared/testing/decider-harness.ts';
import { priceFor, ruleAt } from './applicable-rule.ts';
import type { PricingPolicyCommand } from './commands.ts';
import { pricingPolicyDecider } from './decider.ts';
import { events, type PricingPolicyEvent } from './events.ts';

const at = (iso: string) => new Date(iso);
const inr = (amountMinor: number) => ({ amountMinor, currency: 'INR' });

const change = (overrides: Partial<PricingPolicyCommand> = {}): PricingPolicyCommand => ({
  type: 'ChangePricingRule',
  policyId: 'pp-1',
  effectiveFrom: at('2026-11-01T00:00:00Z'),
  currency: 'INR',
  cancellationWindowMinutes: 1440,
  prices: [{ consultationType: 'in_person', price: inr(80_000), deposit: inr(20_000) }],
  now: at('2026-11-01T00:00:00Z'),
  ...overrides,
});

const history = (...commands: PricingPolicyCommand[]): PricingPolicyEvent[] =>
  runCommands(pricingPolicyDecider, commands).history;

describe('pricing policy', () => {
  it('has well-formed events', () => {
    assert.deepEqual(definitionProblems(events, 'pricing_policy'), []);
  });

  it('numbers each change as a new version of the whole rule set', () => {
    assert.deepEqual(given(pricingPolicyDecider, []).when(change()), [
      {
        type: 'pricing.rule.changed',
        data: {
          policyId: 'pp-1',
          version: 1,
          effectiveFrom: '2026-11-01T00:00:00.000Z',
          currency: 'INR',
          cancellationWindowMinutes: 1440,
          prices: [{ consultationType: 'in_person', price: inr(80_000), deposit: inr(20_000) }],
        },
      },
    ]);
    const second = given(pricingPolicyDecider, history(change())).when(
      change({ effectiveFrom: at('2026-12-01T00:00:00Z') }),
    );
    assert.equal(second[0]?.data.version, 2);
  });

  it('refuses backdating, a change of currency, and malformed price lists', () => {
    assert.throws(() => given(pricingPolicyDecider, []).when(change({ now: at('2026-11-02T00:00:00Z') })), {
      code: 'PRICING_RULE_BACKDATED',
    });
    const usd = { amountMinor: 1_000, currency: 'USD' };
    assert.throws(
      () =>
        given(pricingPolicyDecider, history(change())).when(
          change({ currency: 'USD', prices: [{ consultationType: 'tele', price: usd, deposit: usd }] }),
        ),
      { code: 'CURRENCY_MISMATCH' },
    );
    const invalid: PricingPolicyCommand['prices'][] = [
      [{ consultationType: 'in_person', price: inr(100), deposit: inr(200) }],
      [{ consultationType: 'in_person', price: inr(-1), deposit: inr(0) }],
      [{ consultationType: 'in_person', price: inr(100), deposit: { amountMinor: 10, currency: 'USD' } }],
      [
        { consultationType: 'in_person', price: inr(100), deposit: inr(0) },
        { consultationType: 'in_person', price: inr(200), deposit: inr(0) },
      ],
      [{ consultationType: 'In Person', price: inr(100), deposit: inr(0) }],
      [],
    ];
    for (const prices of invalid) {
      assert.throws(
        () => given(pricingPolicyDecider, []).when(change({ prices })),
        { code: 'VALIDATION_FAILED' },
        JSON.stringify(prices),
      );
    }
  });

  it('answers which version applies at an instant: the newest one already in force', () => {
    const state = replay(
      pricingPolicyDecider,
      history(
        change(),
        change({ effectiveFrom: at('2027-01-01T00:00:00Z'), now: at('2026-11-10T00:00:00Z') }),
        // Decided later, effective earlier: supersedes the January version too.
        change({
          effectiveFrom: at('2026-12-15T00:00:00Z'),
          now: at('2026-11-20T00:00:00Z'),
          cancellationWindowMinutes: 60,
        }),
      ),
    );
    const versionAt = (iso: string) => ruleAt(state, at(iso))?.version ?? null;
    assert.equal(versionAt('2026-10-31T23:59:59Z'), null);
    assert.equal(versionAt('2026-11-01T00:00:00Z'), 1);
    assert.equal(versionAt('2026-12-14T23:59:59Z'), 1);
    assert.equal(versionAt('2026-12-15T00:00:00Z'), 3);
    assert.equal(versionAt('2027-02-01T00:00:00Z'), 3);
    const rule = ruleAt(state, at('2026-11-05T00:00:00Z'));
    assert.deepEqual(rule && priceFor(rule, 'in_person')?.deposit, inr(20_000));
    assert.equal(rule && priceFor(rule, 'tele'), null);
  });

  it('never changes the answer for an instant already past, and replays to the same state', () => {
    const stepArb = fc.record({
      advance: fc.integer({ min: 0, max: 30 * 24 * 60 }),
      delay: fc.integer({ min: -60, max: 60 * 24 * 60 }),
      window: fc.integer({ min: 0, max: 2880 }),
    });
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 12 }), (steps) => {
        let nowMs = Date.parse('2026-11-01T00:00:00Z');
        const commands = steps.map(({ advance, delay, window }) => {
          nowMs += advance * 60_000;
          return change({
            now: new Date(nowMs),
            effectiveFrom: new Date(nowMs + delay * 60_000),
            cancellationWindowMinutes: window,
          });
        });
        const run = runCommands(pricingPolicyDecider, commands);
        for (const outcome of run.outcomes) {
          // Backdating is the only refusal here.
          assert.equal(outcome.refusal === null, outcome.command.effectiveFrom >= outcome.command.now);
          // A change may start at the moment it is decided, so "past" is any instant strictly before that.
          const justBefore = new Date(outcome.command.now.getTime() - 1);
          assert.deepEqual(
            ruleAt(run.state, justBefore),
            ruleAt(outcome.before, justBefore),
            'history was rewritten',
          );
        }
        assert.deepEqual(
          replay(
            pricingPolicyDecider,
            run.history.map((event) => throughStore(events, event)),
          ),
          run.state,
        );
        // The oracle: the highest version whose effectiveFrom has passed.
        for (const probe of commands.map((command) => command.effectiveFrom)) {
          const expected = run.history
            .filter((event) => Date.parse(event.data.effectiveFrom) <= probe.getTime())
            .at(-1);
          assert.equal(ruleAt(run.state, probe)?.version, expected?.data.version);
        }
      }),
    );
  });
});
