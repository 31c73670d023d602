/**
 * Tenants: a clinic, a chain or a hospital, the unit of isolation. Created by an operator (see
 * `mymedic tenant create`), through the all-tenants scope, since the tenant does not exist yet.
 */
import type { Sql } from '../store/engines/engine.ts';
import { labelSchema } from './credentials/credential-schemas.ts';
import { TenantExistsError } from './errors.ts';
import { requireTenantId } from './identifiers.ts';
import { parseWith } from './zod-validation.ts';

export interface Tenant {
  readonly tenantId: string;
  readonly name: string;
  readonly createdAt: Date;
}

/**
 * @throws ValidationError for a bad id or name; TenantExistsError.
 */
export async function createTenant(sql: Sql, tenantId: string, name: string): Promise<Tenant> {
  requireTenantId(tenantId);
  const checkedName = parseWith(labelSchema, name, 'name');
  const { rows } = await sql.query<{ created_at: Date }>(
    `insert into mymedic.tenants (tenant_id, name) values ($1, $2)
       on conflict (tenant_id) do nothing returning created_at`,
    [tenantId, checkedName],
  );
  const created = rows[0];
  if (!created) throw new TenantExistsError(tenantId);
  return { tenantId, name: checkedName, createdAt: created.created_at };
}
