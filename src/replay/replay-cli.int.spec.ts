import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PgEventStore } from '../store/pg-event-store.ts';
import { freshStream, newEvent, newEvents } from '../store/testing/event-factory.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { counterProjection, streamLastProjection } from '../projections/testing/test-projections.ts';
import { UpcasterRegistry } from '../projections/upcaster-registry.ts';
import type { Projection } from '../projections/projection.ts';
import { waitUntilInFeed } from '../projections/testing/feed-visibility.ts';
import { runReplayCli } from './replay-cli.ts';

describeEachEngine('mymedic replay (command logic)', (db) => {
  let broken = true;
  const projections: Projection[] = [
    counterProjection('cli', {
      failOn: (payload) => broken && (payload as { poison?: boolean }).poison === true,
    }),
    streamLastProjection('cli'),
  ];
  const tenant = freshStream().tenantId;

  async function cli(args: string[], registry = projections) {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runReplayCli(args, {
      engine: db().engine,
      projections: registry,
      upcasters: new UpcasterRegistry(),
      stdout: (line) => stdout.push(line),
      stderr: (line) => stderr.push(line),
      progressIntervalMs: 0,
    });
    return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
  }

  it('refuses bad usage with exit code 2, and has nothing to do without projections', async () => {
    for (const args of [
      [],
      ['nosuch'],
      ['all', '--from', 'yesterday'],
      ['stream_last_cli', '--branch', 'b1'],
      ['all', '--bogus'],
      ['all', '--time', 'later'],
    ]) {
      const result = await cli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /usage: mymedic replay/);
    }
    const empty = await cli(['all'], []);
    assert.equal(empty.code, 0);
    assert.match(empty.stderr, /no projections are registered/);
  });

  it('rebuilds every projection, with progress on stderr and a report on stdout', async () => {
    const appended = await new PgEventStore(db().engine).appendToStream(
      freshStream(tenant),
      'no_stream',
      newEvents(12, { branchId: 'b1' }),
    );
    await waitUntilInFeed(db().engine, appended);
    const result = await cli(['all', '--batch-size', '4']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /counter_cli v1 full: swapped, generation 2/);
    assert.match(result.stdout, /stream_last_cli v1 full: swapped/);
    assert.match(result.stdout, /events: 12 read, 12 applied, 0 skipped, 0 parked/);
    assert.match(result.stderr, /stream_last_cli: 8\/12 events \(66%\), \d+ events\/s, ETA/);
    assert.match(result.stderr, /final catch-up/);
    // One read of the log for both: their progress lines interleave page by page.
    const lines = result.stderr.split('\n');
    assert.ok(
      lines.findIndex((line) => line.startsWith('stream_last_cli:')) <
        lines.findLastIndex((line) => line.startsWith('counter_cli:')),
      result.stderr,
    );
  });

  it('verifies live against a fresh rebuild and exits 1 on drift; dry runs report the difference', async () => {
    assert.equal((await cli(['all', '--verify'])).code, 0);
    await db().engine.query("update read.stream_last_cli set chain = 'drift' where tenant_id = $1", [tenant]);
    const drift = await cli(['stream_last_cli', '--verify', '--tenant', tenant]);
    assert.equal(drift.code, 1);
    assert.match(
      drift.stdout,
      new RegExp(`DRIFT in 1 tenant\\(s\\)\\n    tenant ${tenant}: live [0-9a-f]{64} rebuilt [0-9a-f]{64}`),
    );
    const dry = await cli(['stream_last_cli', '--dry-run', '--tenant', tenant, '--json']);
    assert.equal(dry.code, 0);
    const report = JSON.parse(dry.stdout) as { outcome: string; diff: { changed: number }[] };
    assert.equal(report.outcome, 'dry-run');
    assert.equal(report.diff[0]?.changed, 1);
    assert.equal((await cli(['stream_last_cli', '--tenant', tenant])).code, 0);
    assert.equal((await cli(['stream_last_cli', '--verify'])).code, 0);
  });

  it('lists and retries parked events, refuses to swap a rebuild that parked some, and shows lag', async () => {
    await waitUntilInFeed(
      db().engine,
      await new PgEventStore(db().engine).appendToStream(freshStream(tenant), 'no_stream', [
        newEvent({ payload: { poison: true } }),
      ]),
    );
    const refused = await cli(['counter_cli']);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /not-swapped/);
    assert.match(refused.stdout, /parked: tenant .* seq 13 test\.happened: Error: refused event 13/);
    assert.equal((await cli(['counter_cli', '--allow-parked'])).code, 0);

    const listed = await cli(['counter_cli', '--parked']);
    assert.match(
      listed.stdout,
      /counter_cli #\d+ tenant .* seq 13 test\.happened event [0-9a-f-]{36}: Error: refused event 13/,
    );
    assert.equal((await cli(['counter_cli', '--retry-parked'])).code, 1);
    broken = false;
    const retried = await cli(['counter_cli', '--retry-parked', '--tenant', tenant]);
    assert.equal(retried.code, 0);
    assert.match(retried.stdout, /1 retried, 1 applied, 0 still parked/);

    const status = await cli(['counter_cli', '--status']);
    assert.match(
      status.stdout,
      /counter_cli v1 \(tables v1, generation \d+\): 0 events behind, 0 ms behind, last applied \S+, 0 parked/,
    );
  });
});
