/** The projection runtime's schema: bookkeeping tables in `mymedic` and the `read` schema for read models. */
import type { MigrationSet } from '../store/migrate.ts';

export const PROJECTION_MIGRATIONS: MigrationSet = {
  module: 'projections',
  directory: new URL('./migrations/', import.meta.url),
};
