/**
 * What a handler gets to work with: the caller (tenant, actor), the request's ids, the purpose of use, and a
 * database and event store scoped to the caller's tenant. Handlers never see an unscoped engine.
 */
import type { FastifyRequest } from 'fastify';
import type { Engine, Sql } from '../store/engines/engine.ts';
import type { Actor } from '../store/envelope.ts';
import type { EventStore } from '../store/event-store.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { recordDisclosures } from '../tenancy/disclosures.ts';
import { requireOwnRecord, type Principal } from '../tenancy/principal.ts';
import { parsePurposeOfUse, PURPOSE_HEADER, type PurposeOfUse } from '../tenancy/purpose-of-use.ts';
import { roleDefinition } from '../tenancy/roles.ts';
import { tenantScopedEngine } from '../tenancy/scoped-engine.ts';
import { transactionEngine } from '../tenancy/transaction-engine.ts';
import { MeteredEventStore } from './metered-event-store.ts';
import type { ApiMetrics } from './metrics.ts';

/** The envelope fields every event a request appends must carry (seed §5 "who triggered what"). */
export interface EventMetadata {
  readonly actor: Actor;
  readonly correlationId: string;
  /** The request's id: the cause of the events it appends. */
  readonly causationId: string;
}

/** One transaction of the caller's tenant: its SQL, the event store inside it, disclosures inside it. */
export interface RequestTransaction {
  readonly sql: Sql;
  readonly store: EventStore;
  recordDisclosure(patientIds: Iterable<string>): Promise<void>;
}

export interface RequestContext {
  readonly principal: Principal;
  readonly tenantId: string;
  readonly actor: Actor;
  readonly requestId: string;
  readonly correlationId: string;
  readonly purpose: PurposeOfUse;
  /** The caller's tenant only (row-level security, role mymedic_app). */
  readonly engine: Engine;
  /** The caller's tenant only; appends and conflicts are counted. */
  readonly store: EventStore;
  readonly eventMetadata: EventMetadata;
  /** @throws NotOwnRecordError when a patient names another patient. */
  requireOwnRecord(patientId: string): void;
  /** Records that this request disclosed these patients' data, in a transaction of its own. */
  recordDisclosure(patientIds: Iterable<string>): Promise<void>;
  /**
   * Runs `work` in one transaction of the caller's tenant: reads that must agree with each other, a
   * disclosure that must commit with the read, or a load-decide-append, on one connection.
   */
  transaction<T>(work: (tx: RequestTransaction) => Promise<T>): Promise<T>;
}

export function createRequestContext(
  request: FastifyRequest,
  principal: Principal,
  engine: Engine,
  metrics: ApiMetrics,
): RequestContext {
  const scoped = tenantScopedEngine(engine, principal.tenantId);
  const header = request.headers[PURPOSE_HEADER];
  const purpose =
    typeof header === 'string'
      ? parsePurposeOfUse(header)
      : roleDefinition(principal.actor.role).defaultPurpose;
  const disclosure = {
    actor: principal.actor,
    credentialId: principal.credentialId,
    purpose,
    endpoint: `${request.method} ${request.routeOptions.url ?? ''}`,
    requestId: request.id,
    correlationId: request.correlationId,
  };
  const disclose = (sql: Sql, patientIds: Iterable<string>) =>
    recordDisclosures(sql, principal.tenantId, patientIds, disclosure);
  return {
    principal,
    tenantId: principal.tenantId,
    actor: principal.actor,
    requestId: request.id,
    correlationId: request.correlationId,
    purpose,
    engine: scoped,
    store: new MeteredEventStore(new PgEventStore(scoped), metrics),
    eventMetadata: { actor: principal.actor, correlationId: request.correlationId, causationId: request.id },
    requireOwnRecord: (patientId) => requireOwnRecord(principal, patientId),
    recordDisclosure: async (patientIds) => {
      const patients = [...new Set(patientIds)];
      if (patients.length > 0) await scoped.transaction((sql) => disclose(sql, patients));
    },
    transaction: (work) =>
      scoped.transaction((sql) =>
        work({
          sql,
          store: new MeteredEventStore(new PgEventStore(transactionEngine(sql, scoped)), metrics),
          recordDisclosure: (patientIds) => disclose(sql, patientIds),
        }),
      ),
  };
}
