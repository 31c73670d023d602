/**
 * Engines that run every statement inside a transaction that has first switched to a database role and set
 * the tenant locally (`set_config(…, true)`), so the setting dies with the transaction and can never leak to
 * the next user of a pooled connection. `new PgEventStore(tenantScopedEngine(engine, 'acme'))` is a store
 * that sees and writes only acme's rows, whatever its queries say.
 */
import type { Engine, QueryOptions, QueryResult, Sql } from '../store/engines/engine.ts';
import { MyMedicError } from '../shared/errors.ts';
import { APP_ROLE, WORKER_ROLE, type DatabaseRole } from './database-roles.ts';
import { requireTenantId } from './identifiers.ts';

/** The GUC every tenant policy compares `tenant_id` with. */
export const TENANT_SETTING = 'mymedic.tenant_id';

/**
 * Statements that would end the scoped transaction (after which the connection is back to the login role
 * with no tenant) or change the role or settings for the session. Savepoints stay allowed. This guards
 * against mistakes, not against hostile SQL: values are always bound parameters, and FORCEd row-level
 * security binds the owner too, so only a superuser login could still escape.
 */
const SCOPE_ESCAPE =
  /^\s*(begin|start|commit|end|abort|reset|discard|set|rollback(?!\s+(work\s+|transaction\s+)?to\b))\b/i;

/**
 * An engine for one tenant's request path: role `mymedic_app`, `mymedic.tenant_id` = tenantId.
 *
 * @example
 * const store = new PgEventStore(tenantScopedEngine(engine, principal.tenantId));
 * @throws ValidationError when tenantId is not a valid identifier.
 */
export function tenantScopedEngine(base: Engine, tenantId: string): Engine {
  requireTenantId(tenantId);
  return new ScopedEngine(base, APP_ROLE, tenantId);
}

/**
 * An engine that sees every tenant (role `mymedic_worker`): for projections, process managers, the global
 * feed, credential lookup before the tenant is known, and operator commands.
 */
export function allTenantsEngine(base: Engine): Engine {
  return new ScopedEngine(base, WORKER_ROLE, '');
}

class ScopedEngine implements Engine {
  readonly kind: Engine['kind'];
  readonly location: string;
  private readonly begin: string;

  constructor(
    private readonly base: Engine,
    role: DatabaseRole,
    tenantId: string,
  ) {
    this.kind = base.kind;
    this.location = base.location;
    // BEGIN and the scope in one round trip. A multi-statement query takes no parameters; the role is a
    // constant and the tenant id a checked identifier (no quote can occur), quoted all the same.
    this.begin = `begin; select set_config('role', ${literal(role)}, true), set_config('${TENANT_SETTING}', ${literal(tenantId)}, true)`;
  }

  query<R = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<QueryResult<R>> {
    return this.transaction((sql) => sql.query<R>(text, params, options));
  }

  /** Scoped settings only live inside a transaction, so a scoped connection is always one. */
  withConnection<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.transaction(work);
  }

  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.base.withConnection(async (sql) => {
      await sql.query(this.begin);
      try {
        const result = await work(guarded(sql));
        await sql.query('commit');
        return result;
      } catch (error) {
        await sql.query('rollback').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Notifications carry no rows (the store's carry a tenant id), so they pass through unscoped. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    return this.base.listen(channel, onNotify);
  }

  /** A scope borrows the base engine's connections; whoever opened the base engine closes it. */
  async close(): Promise<void> {}
}

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function guarded(sql: Sql): Sql {
  return {
    query: (text, params, options) => {
      if (SCOPE_ESCAPE.test(text)) {
        throw new MyMedicError(
          'SCOPE_ESCAPE_REFUSED',
          'a scoped transaction may not end itself or change the role or session settings',
          { statement: text.trim().split(/\s+/, 1)[0] },
        );
      }
      return sql.query(text, params, options);
    },
  };
}
