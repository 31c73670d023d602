import type { MigrationSet } from './store/migrate.ts';
import { STORE_MIGRATIONS } from './store/migrate.ts';
import { COMPLIANCE_MIGRATIONS } from './compliance/migration-set.ts';
import { TENANCY_MIGRATIONS } from './tenancy/migration-set.ts';
import { PROJECTION_MIGRATIONS } from './projections/migration-set.ts';
import { PROCESS_MANAGER_MIGRATIONS } from './process-managers/migration-set.ts';
import { READ_MODEL_MIGRATIONS } from './projections/read-models/migration-set.ts';

/** Every module's schema, in dependency order. `mymedic migrate` and start-up apply them all. */
export const ALL_MIGRATIONS: readonly MigrationSet[] = [
  STORE_MIGRATIONS,
  COMPLIANCE_MIGRATIONS,
  TENANCY_MIGRATIONS,
  PROJECTION_MIGRATIONS,
  PROCESS_MANAGER_MIGRATIONS,
  READ_MODEL_MIGRATIONS,
];
