import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ValidationError } from '../../shared/errors.ts';
import { engineSettings, openEngine } from './open-engine.ts';

const URL_WITH_PASSWORD = 'postgres://app:secret@db.internal:5432/mymedic';

describe('engine selection from the environment', () => {
  it('without DATABASE_URL: embedded PGlite in ./data, durable', () => {
    assert.deepEqual(engineSettings({}), { kind: 'pglite', dataDir: resolve('data'), durable: true });
  });

  it('an empty DATABASE_URL counts as unset', () => {
    assert.equal(engineSettings({ DATABASE_URL: '  ' }).kind, 'pglite');
  });

  it('MYMEDIC_DATA_DIR and MYMEDIC_PGLITE_FSYNC choose the directory and durability', () => {
    assert.deepEqual(engineSettings({ MYMEDIC_DATA_DIR: '/srv/mymedic', MYMEDIC_PGLITE_FSYNC: 'off' }), {
      kind: 'pglite',
      dataDir: '/srv/mymedic',
      durable: false,
    });
    assert.deepEqual(engineSettings({ MYMEDIC_PGLITE_FSYNC: 'on' }), {
      kind: 'pglite',
      dataDir: resolve('data'),
      durable: true,
    });
  });

  it('rejects an MYMEDIC_PGLITE_FSYNC that is neither on nor off', () => {
    assert.throws(
      () => engineSettings({ MYMEDIC_PGLITE_FSYNC: 'yes' }),
      (error) => error instanceof ValidationError && error.field === 'MYMEDIC_PGLITE_FSYNC',
    );
  });

  it('DATABASE_URL selects PostgreSQL, with the role and pool size when given', () => {
    assert.deepEqual(engineSettings({ DATABASE_URL: URL_WITH_PASSWORD, MYMEDIC_DATA_DIR: '/ignored' }), {
      kind: 'postgres',
      connectionString: URL_WITH_PASSWORD,
    });
    assert.deepEqual(
      engineSettings({
        DATABASE_URL: URL_WITH_PASSWORD,
        MYMEDIC_DB_ROLE: 'mymedic_app',
        MYMEDIC_DB_POOL_SIZE: '25',
      }),
      { kind: 'postgres', connectionString: URL_WITH_PASSWORD, role: 'mymedic_app', maxConnections: 25 },
    );
  });

  for (const size of ['0', '-3', '2.5', 'ten', '1001']) {
    it(`rejects MYMEDIC_DB_POOL_SIZE=${size}`, () => {
      assert.throws(
        () => engineSettings({ DATABASE_URL: URL_WITH_PASSWORD, MYMEDIC_DB_POOL_SIZE: size }),
        (error) => error instanceof ValidationError && error.field === 'MYMEDIC_DB_POOL_SIZE',
      );
    });
  }

  it('openEngine returns a PostgreSQL engine for DATABASE_URL, without connecting, password hidden', async () => {
    const engine = await openEngine({ DATABASE_URL: URL_WITH_PASSWORD, MYMEDIC_DB_ROLE: 'mymedic_app' });
    try {
      assert.equal(engine.kind, 'postgres');
      assert.equal(engine.location.includes('secret'), false);
      assert.match(engine.location, /db\.internal/);
    } finally {
      await engine.close();
    }
  });
});
