import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryPass, Measurement } from './measurement.ts';
import { planWorkloads, type Workload, type WorkloadId } from './plan.ts';
import { reportProjectionWorkload } from './projection-report.ts';

const workload = (id: WorkloadId): Workload => {
  const found = planWorkloads(false).find((candidate) => candidate.id === id);
  assert.ok(found);
  return found;
};

const pass = (variant: HistoryPass['variant'], seconds: number, statements = 0): HistoryPass => ({
  variant,
  events: 100_000,
  seconds,
  statements,
  parked: 0,
});

const rebuild = (passes: HistoryPass[]): Measurement => ({
  samples: [],
  rebuild: {
    history: { events: 100_000, built: false, generatedEventsPerS: 4_000, loadedEventsPerS: 1_500 },
    settleMs: 12,
    passes,
  },
});

describe('reportProjectionWorkload', () => {
  it('reports each pass over the history with its rate and its ratio to the plain read', () => {
    const lines = reportProjectionWorkload(workload('rebuild'), {
      measurement: rebuild([
        pass('read', 2),
        pass('per-projection', 50, 450_000),
        pass('one-pass', 40, 400_000),
      ]),
    });
    assert.deepEqual(
      lines.map((line) => [line.variant, line.events_per_s, line.ratio_vs_read, line.statements_per_event]),
      [
        ['read', 50_000, undefined, 0],
        ['per-projection', 2_000, 0.04, 4.5],
        ['one-pass', 2_500, 0.05, 4],
      ],
    );
    assert.ok(lines.every((line) => line.history_built === false && line.settle_ms === 12));
  });

  it('judges the one-pass rebuild against 50k events/s, and only it', () => {
    const judged = (seconds: number) =>
      reportProjectionWorkload(workload('rebuild'), {
        measurement: rebuild([pass('read', 1), pass('per-projection', seconds), pass('one-pass', seconds)]),
      }).map((line) => line.meets_target);
    assert.deepEqual(judged(2), [undefined, undefined, true]);
    assert.deepEqual(judged(2.5), [undefined, undefined, false]);
  });

  it('reports lag percentiles of the measured appends and judges the p99 against 50 ms', () => {
    const lagsMs = Array.from({ length: 100 }, (_, i) => i + 1);
    const report = (tail: number) =>
      reportProjectionWorkload(workload('subscription-lag'), {
        measurement: {
          samples: [],
          lag: {
            lagsMs: [...lagsMs.slice(0, 99), tail].map((ms) => ms / 2),
            events: 250,
            seconds: 2,
            warmUpEvents: 900,
            parked: 0,
          },
        },
      })[0];
    const line = report(1_000);
    assert.deepEqual(
      [line?.p50_ms, line?.p99_ms, line?.max_ms, line?.appends, line?.appends_per_s, line?.events_per_s],
      [25, 49.5, 500, 100, 50, 125],
    );
    assert.equal(line?.meets_target, true);
    assert.equal(line?.warm_up_events, 900);
    assert.equal(
      reportProjectionWorkload(workload('subscription-lag'), {
        measurement: {
          samples: [],
          lag: { lagsMs: [10, 120], events: 2, seconds: 1, warmUpEvents: 0, parked: 0 },
        },
      })[0]?.meets_target,
      false,
    );
  });

  it('reports a failed or empty measurement as an error line', () => {
    assert.equal(reportProjectionWorkload(workload('rebuild'), { error: 'boom' })[0]?.error, 'boom');
    assert.ok(
      reportProjectionWorkload(workload('subscription-lag'), { measurement: { samples: [] } })[0]?.error,
    );
  });
});
