import type { MigrationSet } from '../store/migrate.ts';

export const PROCESS_MANAGER_MIGRATIONS: MigrationSet = {
  module: 'process-managers',
  directory: new URL('./migrations/', import.meta.url),
};
