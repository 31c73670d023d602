/**
 * Row-level security for tables created at run time (read models in schema `read`): the same policies as
 * every tenant table the migrations create, from the one SQL definition `mymedic.enable_tenant_isolation`.
 */
import { ValidationError } from '../shared/errors.ts';
import type { Sql } from '../store/engines/engine.ts';
import { APP_ROLE, WORKER_ROLE } from './database-roles.ts';

const QUALIFIED_NAME = /^([a-z_][a-z0-9_]{0,62})\.([a-z_][a-z0-9_]{0,62})$/;

/**
 * Makes a table that has a `tenant_id text not null` column tenant-isolated: RLS enabled and forced, rows of
 * the transaction's tenant only (`mymedic.tenant_id`), all rows for `mymedic_worker`. The request path
 * (`mymedic_app`) may read it; workers may write it. Idempotent; run it as the table's owner, after creating
 * the table and before the first request reads it.
 *
 * @example
 * await tx.query('create table read.payments_view (tenant_id text not null, ...)');
 * await enableTenantIsolation(tx, 'read.payments_view');
 * @throws ValidationError when the name is not `schema.table` in lower-case unquoted identifiers.
 */
export async function enableTenantIsolation(sql: Sql, qualifiedTableName: string): Promise<void> {
  const match = QUALIFIED_NAME.exec(qualifiedTableName);
  if (!match) {
    throw new ValidationError(
      'qualifiedTableName',
      'must be schema.table in lower-case unquoted identifiers',
      {
        value: qualifiedTableName,
      },
    );
  }
  // Both parts matched a strict pattern, so they are safe to splice into DDL (which takes no parameters).
  const [, schema, table] = match;
  await sql.query('select mymedic.enable_tenant_isolation($1::regclass)', [qualifiedTableName]);
  await sql.query(`grant usage on schema ${schema} to ${APP_ROLE}, ${WORKER_ROLE}`);
  await sql.query(`grant select on ${schema}.${table} to ${APP_ROLE}`);
  await sql.query(`grant select, insert, update, delete on ${schema}.${table} to ${WORKER_ROLE}`);
}
