/** The tenancy module's schema: tenants, credentials, disclosures, and row-level security on every tenant table. */
import type { MigrationSet } from '../store/migrate.ts';

export const TENANCY_MIGRATIONS: MigrationSet = {
  module: 'tenancy',
  directory: new URL('./migrations/', import.meta.url),
};
