/**
 * The database roles a MyMedic connection switches to per transaction. Both are created by the migrations;
 * the login role (owner and migrator) must be allowed to SET ROLE to them.
 */

/** The request path: sees and writes only the tenant set in the transaction (row-level security). */
export const APP_ROLE = 'mymedic_app';

/** Background workers and operator commands: every tenant, through an explicit all-rows policy. */
export const WORKER_ROLE = 'mymedic_worker';

export type DatabaseRole = typeof APP_ROLE | typeof WORKER_ROLE;
