/** The compliance module's schema: patient data keys, the erasure audit and legal holds. */
import type { MigrationSet } from '../store/migrate.ts';

export const COMPLIANCE_MIGRATIONS: MigrationSet = {
  module: 'compliance',
  directory: new URL('./migrations/', import.meta.url),
};
