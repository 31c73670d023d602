/**
 * RowBuffer keeps the meaning of the statements it stands for: what it writes back leaves the table as the
 * equivalent INSERT / UPDATE / DELETE statements would have, one at a time.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MyMedicError } from '../../../shared/errors.ts';
import { describeEachEngine } from '../../../store/testing/test-engines.ts';
import { tableRows } from '../../testing/table-rows.ts';
import { RowBuffer, type Row } from './row-buffer.ts';

interface Slot extends Row {
  readonly tenant_id: string;
  readonly booking_id: string;
  readonly starts_at: Date | string;
  readonly status: string;
  readonly minutes: number | null;
  readonly late: boolean | null;
}

describeEachEngine('RowBuffer', (db) => {
  let tables = 0;
  async function table(): Promise<{ name: string; rows: () => RowBuffer<Slot> }> {
    const name = `public.row_buffer_${++tables}`;
    await db().engine.query(`create table ${name} (tenant_id text, booking_id text, starts_at timestamptz,
      status text not null, minutes integer, late boolean, primary key (tenant_id, booking_id, starts_at))`);
    await db().engine.query(
      `insert into ${name} values ('t1', 'b1', '2026-12-01T04:30:00Z', 'booked', null, null),
        ('t1', 'b1', '2026-12-02T04:30:00Z', 'booked', 5, false), ('t1', 'b2', '2026-12-01T05:00:00Z', 'booked', null, null),
        ('t2', 'b1', '2026-12-01T04:30:00Z', 'booked', null, null)`,
    );
    const rows = () =>
      new RowBuffer<Slot>(
        name,
        {
          tenant_id: 'text',
          booking_id: 'text',
          starts_at: 'timestamptz',
          status: 'text',
          minutes: 'integer',
          late: 'boolean',
        },
        ['tenant_id', 'booking_id', 'starts_at'],
      );
    return { name, rows };
  }

  it('writes back what the equivalent statements would have left', async () => {
    const { name, rows } = await table();
    const buffer = rows();
    await buffer.load(db().engine, [
      ['t1', 'b1'],
      ['t1', 'b3'],
    ]);
    assert.equal(buffer.where(['t1', 'b1']).length, 2);
    // The same instant as a Date (loaded) and as text with an offset (from an event) is one key.
    assert.equal(
      buffer.update(['t1', 'b1', '2026-12-01T10:00:00+05:30'], { status: 'cancelled', late: true }),
      true,
    );
    assert.equal(buffer.update(['t1', 'b3', '2026-12-01T04:30:00Z'], { status: 'cancelled' }), false);
    buffer.delete(['t1', 'b1', '2026-12-02T04:30:00.000Z']);
    buffer.insert({
      tenant_id: 't1',
      booking_id: 'b3',
      starts_at: '2026-12-03T04:30:00Z',
      status: 'booked',
      minutes: 15,
      late: null,
    });
    buffer.insert({
      tenant_id: 't1',
      booking_id: 'b3',
      starts_at: '2026-12-04T04:30:00Z',
      status: 'booked',
      minutes: null,
      late: null,
    });
    buffer.delete(['t1', 'b3', '2026-12-04T04:30:00Z']);
    await db().engine.transaction((tx) => buffer.flush(tx));

    const { name: expected } = await table();
    await db().engine.query(`update ${expected} set status = 'cancelled', late = true
      where tenant_id = 't1' and booking_id = 'b1' and starts_at = '2026-12-01T10:00:00+05:30'`);
    await db().engine.query(
      `delete from ${expected} where tenant_id = 't1' and booking_id = 'b1' and starts_at = '2026-12-02T04:30:00Z'`,
    );
    await db().engine.query(
      `insert into ${expected} values ('t1', 'b3', '2026-12-03T04:30:00Z', 'booked', 15, null)`,
    );
    assert.deepEqual(await tableRows(db().engine, name), await tableRows(db().engine, expected));

    // A second batch starts from what the first wrote.
    const next = rows();
    await next.load(db().engine, [['t1', 'b3', '2026-12-03T04:30:00Z']]);
    assert.equal(next.get(['t1', 'b3', '2026-12-03T04:30:00Z'])?.minutes, 15);
  });

  it('refuses a key that is taken, and rows it was not asked to load', async () => {
    const { rows } = await table();
    const buffer = rows();
    await buffer.load(db().engine, [['t1', 'b1']]);
    assert.throws(
      () =>
        buffer.insert({
          tenant_id: 't1',
          booking_id: 'b1',
          starts_at: new Date('2026-12-01T04:30:00Z'),
          status: 'x',
          minutes: null,
          late: null,
        }),
      (error: unknown) => error instanceof MyMedicError && error.code === 'READ_MODEL_DUPLICATE_ROW',
    );
    assert.throws(
      () => buffer.get(['t1', 'b2', '2026-12-01T05:00:00Z']),
      (error: unknown) => error instanceof MyMedicError && error.code === 'READ_MODEL_ROWS_NOT_LOADED',
    );
    assert.throws(() => buffer.where(['t2']), MyMedicError);
  });
});
