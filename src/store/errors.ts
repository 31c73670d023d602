import { MyMedicError } from '../shared/errors.ts';
import { describeExpected, type ExpectedVersion } from './expected-version.ts';
import type { StreamId } from './envelope.ts';

/** The stream was not at the version the writer expected; nothing was written. */
export class ConcurrencyError extends MyMedicError {
  constructor(
    readonly stream: StreamId,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(
      'CONCURRENCY_CONFLICT',
      `stream ${stream.aggregateType}/${stream.aggregateId} expected ${describeExpected(expected)} but is at version ${actual}`,
      { aggregateType: stream.aggregateType, aggregateId: stream.aggregateId, expected, actual },
    );
    this.name = 'ConcurrencyError';
  }
}

/** Some, but not all, of an append's event ids were already stored: not a retry, and not safe to write. */
export class EventIdReusedError extends MyMedicError {
  constructor(eventIds: readonly string[]) {
    super('EVENT_ID_REUSED', `event ids already stored by a different append: ${eventIds.join(', ')}`, {
      eventIds,
    });
    this.name = 'EventIdReusedError';
  }
}

/**
 * The writing transaction was assigned its id before a later-committed append of the same tenant, so its
 * events would appear out of tenant order in the global feed. Retrying the whole transaction is safe.
 */
export class TenantOrderRaceError extends MyMedicError {
  constructor(tenantId: string) {
    super('TENANT_ORDER_RACE', 'another append of this tenant committed first; retry the transaction', {
      tenantId,
    });
    this.name = 'TenantOrderRaceError';
  }
}

/** The embedded data directory is held by another live process. */
export class DataDirectoryLockedError extends MyMedicError {
  constructor(dataDir: string, holderPid: number) {
    super(
      'DATA_DIRECTORY_LOCKED',
      `data directory ${dataDir} is in use by process ${holderPid}; stop it first or use another MYMEDIC_DATA_DIR`,
      { dataDir, holderPid },
    );
    this.name = 'DataDirectoryLockedError';
  }
}
