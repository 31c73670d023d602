/**
 * Concrete names of read-model tables. Live tables are `read.<logical name>`, so readers query stable names;
 * a rebuild writes to shadow tables `read.<logical name>__s<rebuild id>` and renames them into place.
 */
import { ValidationError } from '../shared/errors.ts';
import type { Projection, TableNames } from './projection.ts';

export const READ_SCHEMA = 'read';

const PROJECTION_NAME = /^[a-z][a-z0-9_]{0,62}$/;
// Short enough that the shadow name (+ "__s" + 8 characters) and the names PostgreSQL derives for indexes
// stay under its 63-byte identifier limit.
const TABLE_NAME = /^[a-z][a-z0-9_]{0,39}$/;
const COLUMN_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const REBUILD_ID = /^[a-z0-9]{8}$/;

export function liveTableNames(projection: Projection): TableNames {
  return Object.fromEntries(projection.tables.map((table) => [table, `${READ_SCHEMA}.${table}`]));
}

export function shadowTableNames(projection: Projection, rebuildId: string): TableNames {
  if (!REBUILD_ID.test(rebuildId))
    throw new ValidationError('rebuildId', 'must be 8 lowercase letters or digits');
  return Object.fromEntries(
    projection.tables.map((table) => [table, `${READ_SCHEMA}.${table}__s${rebuildId}`]),
  );
}

/** The unqualified part of a concrete name (what ALTER TABLE ... RENAME TO takes). */
export function unqualified(concrete: string): string {
  return concrete.slice(concrete.indexOf('.') + 1);
}

/** The concrete name of a logical table; throws if the projection has no such table. */
export function tableOf(tables: TableNames, logical: string): string {
  const concrete = tables[logical];
  if (concrete === undefined) throw new ValidationError('table', `no table ${logical}`);
  return concrete;
}

/**
 * Checks what the runtime relies on before it touches a database: well-formed, unique names, and no two
 * projections sharing a table.
 */
export function validateProjections(projections: readonly Projection[]): void {
  const names = new Set<string>();
  const owners = new Map<string, string>();
  projections.forEach((projection, index) => {
    const field = `projections.${index}`;
    if (!PROJECTION_NAME.test(projection.name)) {
      throw new ValidationError(`${field}.name`, 'must be lowercase letters, digits and _ (max 63)');
    }
    if (names.has(projection.name)) throw new ValidationError(`${field}.name`, 'registered twice');
    names.add(projection.name);
    if (!Number.isSafeInteger(projection.version) || projection.version < 1) {
      throw new ValidationError(`${field}.version`, 'must be a positive integer');
    }
    if (projection.tables.length === 0) throw new ValidationError(`${field}.tables`, 'at least one table');
    for (const table of projection.tables) {
      // A double underscore is reserved for shadow tables' suffix.
      if (!TABLE_NAME.test(table) || table.includes('__')) {
        throw new ValidationError(
          `${field}.tables`,
          'names must be lowercase letters, digits and single _ (max 40)',
          {
            table,
          },
        );
      }
      const owner = owners.get(table);
      if (owner !== undefined) {
        throw new ValidationError(`${field}.tables`, `table ${table} already belongs to ${owner}`, { table });
      }
      owners.set(table, projection.name);
    }
    for (const column of Object.values(projection.sliceColumns ?? {})) {
      if (!COLUMN_NAME.test(column)) {
        throw new ValidationError(
          `${field}.sliceColumns`,
          'must name columns in lowercase letters, digits and _',
        );
      }
    }
  });
}
