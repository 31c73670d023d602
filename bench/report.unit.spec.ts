import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Measurement } from './measurement.ts';
import { planWorkloads, type Workload, type WorkloadId } from './plan.ts';
import { reportWorkload } from './report.ts';
import { meetsTarget } from './targets.ts';

const workload = (id: WorkloadId): Workload => {
  const found = planWorkloads(false).find((candidate) => candidate.id === id);
  assert.ok(found);
  return found;
};

/** Runs that read `events` events in the given numbers of seconds. */
const runs = (events: number, ...seconds: number[]): Measurement[] =>
  seconds.map((s, i) => ({
    samples: [{ events, seconds: s, ops: events, queries: events * (i + 1), p50Ms: i + 1 }],
  }));

describe('reportWorkload', () => {
  it('reports the median run and its own latency and round trips', () => {
    const [raw] = reportWorkload(workload('single-appends'), [
      { system: 'raw', measurements: runs(3_000, 1, 2, 1.5) },
    ]);
    assert.equal(raw?.events_per_s, 2_000);
    assert.deepEqual(raw?.samples_events_per_s, [3_000, 1_500, 2_000]);
    assert.equal(raw?.p50_ms, 3);
    assert.equal(raw?.queries_per_op, 3);
  });

  it('compares with the baselines of the same run and judges MyMedic against its target', () => {
    const lines = reportWorkload(workload('single-appends'), [
      { system: 'raw', measurements: runs(3_000, 1) },
      { system: 'emmett', measurements: runs(3_000, 3) },
      { system: 'mymedic', measurements: runs(3_000, 1.2) },
    ]);
    const [raw, emmett, mymedic] = lines;
    assert.equal(raw?.ratio_vs_raw, undefined);
    assert.equal(emmett?.ratio_vs_raw, 0.33);
    assert.equal(emmett?.target, undefined);
    assert.equal(mymedic?.ratio_vs_raw, 0.83);
    assert.equal(mymedic?.ratio_vs_emmett, 2.5);
    assert.equal(mymedic?.target, '>= 2x emmett, >= 0.8x raw');
    assert.equal(mymedic?.meets_target, true);
  });

  it('fails a target whose baseline could not be measured, and reports the failure', () => {
    const [emmett, mymedic] = reportWorkload(workload('batch-appends'), [
      { system: 'emmett', error: 'connection refused' },
      { system: 'mymedic', measurements: runs(30_000, 1) },
    ]);
    assert.equal(emmett?.error, 'connection refused');
    assert.equal(mymedic?.ratio_vs_emmett, undefined);
    assert.equal(mymedic?.meets_target, false);
  });

  it('carries the log audit, and a single missed event fails the whole-log target however fast', () => {
    const measurements: Measurement[] = [
      {
        samples: [{ events: 100_000, seconds: 0.25, ops: 1, queries: 100 }],
        audit: { stored: 100_000, seen: 100_000, missed: 1, duplicated: 1, settleMs: 12.4 },
      },
    ];
    const [mymedic] = reportWorkload(workload('read-log'), [{ system: 'mymedic', measurements }]);
    assert.equal(mymedic?.events_per_s, 400_000);
    assert.equal(mymedic?.settle_ms, 12);
    assert.equal(mymedic?.missed, 1);
    assert.equal(mymedic?.duplicated, 1);
    assert.equal(mymedic?.meets_target, false);
  });

  it('counts events the timed whole-log read skipped as missed too', () => {
    const measurements: Measurement[] = [
      {
        samples: [{ events: 99_999, seconds: 0.25, ops: 1, queries: 100, missed: 1, duplicated: 0 }],
        audit: { stored: 100_000, seen: 100_000, missed: 0, duplicated: 0 },
      },
    ];
    const [mymedic] = reportWorkload(workload('read-log'), [{ system: 'mymedic', measurements }]);
    assert.equal(mymedic?.missed, 0);
    assert.equal(mymedic?.read_missed, 1);
    assert.equal(mymedic?.meets_target, false);
  });

  it('sets no target on the embedded engine', () => {
    const [mymedic] = reportWorkload(workload('embedded-single-appends'), [
      { system: 'mymedic', measurements: runs(1_000, 1) },
    ]);
    assert.equal(mymedic?.target, undefined);
    assert.equal(mymedic?.meets_target, undefined);
  });
});

describe('meetsTarget', () => {
  it('needs every bound to hold', () => {
    const target = { minRatioVsEmmett: 2, minRatioVsRaw: 0.8 };
    assert.equal(meetsTarget(target, { eventsPerS: 1, ratioVsEmmett: 2, ratioVsRaw: 0.8 }), true);
    assert.equal(meetsTarget(target, { eventsPerS: 1, ratioVsEmmett: 1.99, ratioVsRaw: 0.9 }), false);
    assert.equal(meetsTarget(target, { eventsPerS: 1, ratioVsEmmett: 3, ratioVsRaw: 0.79 }), false);
    assert.equal(
      meetsTarget({ minEventsPerS: 200_000, maxMissed: 0 }, { eventsPerS: 199_999, missed: 0 }),
      false,
    );
    assert.equal(meetsTarget({ minEventsPerS: 200_000, maxMissed: 0 }, { eventsPerS: 200_000 }), false);
  });
});
