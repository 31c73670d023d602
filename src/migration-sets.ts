import type { MigrationSet } from './store/migrate.ts';
import { STORE_MIGRATIONS } from './store/migrate.ts';
import { COMPLIANCE_MIGRATIONS } from './compliance/migration-set.ts';

/** Every module's schema, in dependency order. `mymedic migrate` and start-up apply them all. */
export const ALL_MIGRATIONS: readonly MigrationSet[] = [STORE_MIGRATIONS, COMPLIANCE_MIGRATIONS];
