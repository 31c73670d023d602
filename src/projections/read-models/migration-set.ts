/**
 * Read-model tables that are not built from events, so no rebuild may drop them: today the doctor mobile's own
 * fields on its schedule (doctor-schedule/mobile-fields.ts). Applied after the projections' migrations, which
 * create schema `read`.
 */
import type { MigrationSet } from '../../store/migrate.ts';

export const READ_MODEL_MIGRATIONS: MigrationSet = {
  module: 'read-models',
  directory: new URL('./migrations/', import.meta.url),
};
