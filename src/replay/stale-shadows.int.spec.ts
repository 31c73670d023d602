/**
 * Shadows left by a replay that died are found by their stale claim and dropped with their bookkeeping; a
 * replay still running renews its claim and is left alone.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { PgEventStore } from '../store/pg-event-store.ts';
import { freshStream, newEvents } from '../store/testing/event-factory.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { installProjection } from '../projections/projection-state.ts';
import { counterProjection } from '../projections/testing/test-projections.ts';
import { waitUntilInFeed } from '../projections/testing/feed-visibility.ts';
import { UpcasterRegistry } from '../projections/upcaster-registry.ts';
import { replayProjection } from './replay-projection.ts';
import { runReplayCli } from './replay-cli.ts';
import { createShadow, dropStaleShadows } from './shadow.ts';

describeEachEngine('stale shadows', (db) => {
  const tablesNamed = async (pattern: string) =>
    (
      await db().engine.query<{ name: string }>(
        `select table_schema || '.' || table_name as name from information_schema.tables
          where table_schema = 'read' and table_name like $1 order by 1`,
        [pattern],
      )
    ).rows.map((row) => row.name);
  const claims = async (projection: string) =>
    (
      await db().engine.query<{ target: string }>(
        'select target from mymedic.projection_shadows where projection = $1 order by target',
        [projection],
      )
    ).rows.map((row) => row.target);

  it('claims a shadow while the replay builds it, renews the claim after every page and lets go at the end', async () => {
    const projection = counterProjection('claimed');
    const appended = await new PgEventStore(db().engine).appendToStream(
      freshStream(),
      'no_stream',
      newEvents(6),
    );
    await waitUntilInFeed(db().engine, appended);
    const renewals: string[] = [];
    await replayProjection(db().engine, projection, {
      batchSize: 2,
      onProgress: async (progress) => {
        if (progress.phase !== 'build') return;
        const { rows } = await db().engine.query<{ renewed_at: Date }>(
          'select renewed_at from mymedic.projection_shadows where projection = $1',
          [projection.name],
        );
        assert.equal(rows.length, 1);
        renewals.push((rows[0] as { renewed_at: Date }).renewed_at.toISOString());
      },
    });
    assert.ok(renewals.length >= 3, String(renewals.length));
    assert.equal(new Set(renewals).size, renewals.length, 'every page renews the claim');
    assert.deepEqual(await claims(projection.name), []);
  });

  it('drops the tables, positions and claims of stale shadows and keeps fresh ones', async () => {
    const projection = counterProjection('stale');
    await installProjection(db().engine, projection);
    const dead = await createShadow(db().engine, projection);
    const running = await createShadow(db().engine, projection);
    await db().engine.query(
      `update mymedic.projection_shadows set renewed_at = now() - interval '2 hours' where target = $1`,
      [dead.target],
    );
    await db().engine.query(
      `insert into mymedic.projection_positions (target, tenant_id, last_tenant_seq, last_recorded_at)
        values ($1, 't-stale', 3, now())`,
      [dead.target],
    );
    assert.deepEqual(await dropStaleShadows(db().engine, ['someone_else'], 60_000), []);
    assert.deepEqual(await dropStaleShadows(db().engine, [projection.name], 3_600_000), [dead.target]);
    assert.deepEqual(await tablesNamed('counter_stale__s%'), [`read.counter_stale__s${running.id}`]);
    assert.deepEqual(await claims(projection.name), [running.target]);
    const { rows } = await db().engine.query('select * from mymedic.projection_positions where target = $1', [
      dead.target,
    ]);
    assert.deepEqual(rows, []);
    assert.deepEqual(await tablesNamed('counter_stale'), ['read.counter_stale']);
  });

  it('mymedic replay --drop-stale-shadows reports what it dropped', async () => {
    const projection = counterProjection('stalecli');
    await installProjection(db().engine, projection);
    const dead = await createShadow(db().engine, projection);
    await db().engine.query(
      `update mymedic.projection_shadows set renewed_at = now() - interval '3 minutes' where target = $1`,
      [dead.target],
    );
    const cli = async (args: string[]) => {
      const stdout: string[] = [];
      const stderr: string[] = [];
      const code = await runReplayCli(args, {
        engine: db().engine,
        projections: [projection],
        upcasters: new UpcasterRegistry(),
        stdout: (line) => stdout.push(line),
        stderr: (line) => stderr.push(line),
      });
      return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
    };
    assert.deepEqual(await cli(['all', '--drop-stale-shadows']), {
      code: 0,
      stdout: 'no stale shadows',
      stderr: '',
    });
    assert.equal((await cli(['all', '--drop-stale-shadows', '--stale-after', '0'])).code, 2);
    assert.deepEqual(await cli(['all', '--drop-stale-shadows', '--stale-after', '2']), {
      code: 0,
      stdout: `dropped ${dead.target}`,
      stderr: '',
    });
    assert.deepEqual(await tablesNamed('counter_stalecli__s%'), []);
  });
});
