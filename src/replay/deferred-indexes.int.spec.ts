import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Sql } from '../store/engines/engine.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { loadWithoutIndexes } from './deferred-indexes.ts';

describeEachEngine('loading a table without its indexes', (db) => {
  let tables = 0;
  async function table(): Promise<string> {
    const name = `public.deferred_${++tables}`;
    await db().engine.query(`create table ${name} (tenant_id text, id text, ref text, amount bigint,
      primary key (tenant_id, id), unique (tenant_id, ref))`);
    await db().engine.query(`create index on ${name} (amount) where amount > 0`);
    return name;
  }
  const indexes = async (name: string, sql: Sql = db().engine) =>
    (
      await sql.query<{ definition: string }>(
        `select pg_get_indexdef(indexrelid) as definition from pg_index where indrelid = $1::regclass
          order by 1`,
        [name],
      )
    ).rows.map((row) => row.definition);

  it('loads with no index in place and ends with every index and constraint as before', async () => {
    const name = await table();
    const before = await indexes(name);
    assert.equal(before.length, 3);
    await db().engine.transaction((tx) =>
      loadWithoutIndexes(tx, name, async () => {
        assert.deepEqual(await indexes(name, tx), []);
        await tx.query(
          `insert into ${name} select 't1', 'id' || n, 'ref' || n, n from generate_series(1, 50) n`,
        );
      }),
    );
    assert.deepEqual(await indexes(name), before);
    await assert.rejects(
      db().engine.query(`insert into ${name} values ('t1', 'id1', 'other', 1)`),
      /duplicate key/,
    );
    await assert.rejects(
      db().engine.query(`insert into ${name} values ('t1', 'other', 'ref1', 1)`),
      /duplicate key/,
    );
  });

  it('leaves the table as it was when the load fails', async () => {
    const name = await table();
    const before = await indexes(name);
    await assert.rejects(
      db().engine.transaction((tx) =>
        loadWithoutIndexes(tx, name, async () => {
          await tx.query(`insert into ${name} values ('t1', 'a', 'r', 1), ('t1', 'a', 's', 2)`);
        }),
      ),
      /duplicate key|could not create unique index/,
    );
    assert.deepEqual(await indexes(name), before);
    assert.deepEqual((await db().engine.query(`select * from ${name}`)).rows, []);
  });
});
