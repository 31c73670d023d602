import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { KEY_SEPARATOR, ResidentTable } from './resident-table.ts';

const keyOf = (parts: readonly string[]) => parts.join(KEY_SEPARATOR);

it('finds rows by key prefix and undoes uncommitted changes, as a map of rows would', () => {
  const part = fc.constantFrom('a', 'b', 'c');
  const key = fc.tuple(part, part, part);
  const change = fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key, value: fc.integer() }),
    fc.record({ kind: fc.constant('delete' as const), key }),
    fc.record({ kind: fc.constant('commit' as const) }),
    fc.record({ kind: fc.constant('rollback' as const) }),
    fc.record({
      kind: fc.constant('under' as const),
      prefix: fc.array(part, { minLength: 1, maxLength: 3 }),
    }),
  );
  fc.assert(
    fc.property(fc.array(change, { maxLength: 60 }), (changes) => {
      const table = new ResidentTable('t');
      let model = new Map<string, number>();
      let committed = new Map<string, number>();
      for (const step of changes) {
        if (step.kind === 'set') {
          table.set(keyOf(step.key), { value: step.value });
          model.set(keyOf(step.key), step.value);
        } else if (step.kind === 'delete') {
          table.delete(keyOf(step.key));
          model.delete(keyOf(step.key));
        } else if (step.kind === 'commit') {
          table.commit();
          committed = new Map(model);
        } else if (step.kind === 'rollback') {
          table.rollback();
          model = new Map(committed);
        } else {
          const prefix = keyOf(step.prefix);
          const expected = [...model]
            .filter(([k]) => k === prefix || k.startsWith(prefix + KEY_SEPARATOR))
            .map(([, value]) => value)
            .sort();
          const found = table
            .under(prefix, step.prefix.length)
            .map((row) => row['value'] as number)
            .sort();
          assert.deepEqual(found, expected);
        }
        assert.equal(table.size, model.size);
      }
      for (const [k, value] of model) assert.deepEqual(table.get(k), { value });
    }),
  );
});
