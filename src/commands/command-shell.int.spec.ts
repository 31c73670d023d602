/**
 * Commands run attempt by attempt in units of work (the HTTP API's: one transaction per attempt). A conflict
 * ends the unit with everything it wrote; the retry decides again in a fresh one, and a pinned version is
 * reported instead of retried.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { PatientKeyring } from '../compliance/patient-keyring.ts';
import type { RecordedEvent, StreamId } from '../store/envelope.ts';
import { ConcurrencyError } from '../store/errors.ts';
import type { EventStore, ReadStreamOptions } from '../store/event-store.ts';
import { PgEventStore } from '../store/pg-event-store.ts';
import { collect, newEvent } from '../store/testing/event-factory.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { transactionEngine } from '../tenancy/transaction-engine.ts';
import { CommandService, type ScopedUnitOfWork } from './command-service.ts';
import { metadataFor, SETUP_TIME, testMasterKeys } from './testing/clinic-fixture.ts';

const TENANT = 'shell-units';
const addBranch = (branchId: string) =>
  ({ type: 'AddBranch', branchId, name: 'Indiranagar', pricingPolicyId: 'pp-1', now: SETUP_TIME }) as const;

describeEachEngine('command attempts in units of work', (db) => {
  let store: PgEventStore;
  const keys = testMasterKeys();
  before(() => {
    store = new PgEventStore(db().engine);
  });

  /**
   * One transaction per attempt; in the first `interfere` units, a rival event lands on the stream right
   * after the command read it (inside the unit, so the unit's rollback takes it away again).
   */
  function transactional(interfere: number) {
    const units: string[] = [];
    const unitOfWork: ScopedUnitOfWork = (work) =>
      db().engine.transaction(async (sql) => {
        const engine = transactionEngine(sql, db().engine);
        const inner = new PgEventStore(engine);
        const rival = units.length < interfere;
        units.push(rival ? 'interfered' : 'clean');
        return work({ store: rival ? interfering(inner) : inner, keyring: new PatientKeyring(engine, keys) });
      });
    return { units, commands: new CommandService(store, new PatientKeyring(db().engine, keys), unitOfWork) };
  }

  it('retries a conflict in a fresh unit, where the rolled-back rival write is gone', async () => {
    const { units, commands } = transactional(2);
    const result = await commands.execute('branch', addBranch('br-retry'), metadataFor(TENANT));
    assert.deepEqual(units, ['interfered', 'interfered', 'clean']);
    assert.equal(result.version, 1);
    const stored = await collect(store.readStream(branchStream('br-retry')));
    assert.deepEqual(
      stored.map((event) => event.eventType),
      ['branch.added'],
    );
  });

  it('reports a conflict on a pinned version after one unit, writing nothing', async () => {
    const { units, commands } = transactional(1);
    await assert.rejects(
      commands.execute('branch', addBranch('br-pinned'), metadataFor(TENANT), 0),
      ConcurrencyError,
    );
    assert.deepEqual(units, ['interfered']);
    assert.deepEqual(await collect(store.readStream(branchStream('br-pinned'))), []);
  });

  it('gives up after three retries', async () => {
    const { units, commands } = transactional(10);
    await assert.rejects(
      commands.execute('branch', addBranch('br-busy'), metadataFor(TENANT)),
      ConcurrencyError,
    );
    assert.equal(units.length, 4);
    assert.deepEqual(await collect(store.readStream(branchStream('br-busy'))), []);
  });
});

function branchStream(aggregateId: string): StreamId {
  return { tenantId: TENANT, aggregateType: 'branch', aggregateId };
}

/** The store, except that every stream read is followed by a rival's append to it. */
function interfering(inner: EventStore): EventStore {
  return {
    appendToStream: (...args) => inner.appendToStream(...args),
    appendMulti: (...args) => inner.appendMulti(...args),
    streamVersion: (stream) => inner.streamVersion(stream),
    readTenantLog: (...args) => inner.readTenantLog(...args),
    readGlobalFeed: (options) => inner.readGlobalFeed(options),
    async *readStream(stream: StreamId, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> {
      let version = 0;
      for await (const event of inner.readStream(stream, options)) {
        version = event.version;
        yield event;
      }
      await inner.appendToStream(stream, version === 0 ? 'no_stream' : version, [newEvent()]);
    },
  };
}
