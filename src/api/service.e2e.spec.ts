/**
 * The service as an operator runs it: bootstrap a tenant and its first keys with the CLI while the service is
 * stopped (the embedded engine admits one process per data directory), start it on a fresh data directory and
 * a free port, use it over a real socket, create a key through the admin endpoint while it runs, and stop it
 * with SIGTERM (exit 0).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createKeyWithCli,
  runCli,
  startServiceProcess,
  type ServiceProcess,
} from './testing/service-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'mymedic-service-'));
const ENV = { ...process.env, DATABASE_URL: '', MYMEDIC_DATA_DIR: dataDir, MYMEDIC_PGLITE_FSYNC: 'off' };
const cli = (...args: string[]) => runCli(ENV, ...args);

describe('mymedic start (embedded engine, real socket)', { timeout: 240_000 }, () => {
  let service: ServiceProcess;
  let baseUrl: string;
  let logLines: readonly Record<string, unknown>[];
  let auditorKey: string;
  let adminKey: string;

  before(async () => {
    const tenant = await cli('tenant', 'create', 'acme', '--name', 'Acme Clinics');
    assert.equal(tenant.code, 0, tenant.stderr);
    adminKey = await createKeyWithCli(ENV, 'acme', {
      actorId: 'admin-1',
      kind: 'staff',
      role: 'tenant_admin',
    });
    service = await startServiceProcess({ ...ENV, MYMEDIC_LOG_LEVEL: 'info' });
    ({ baseUrl, logLines } = service);
  });

  after(async () => {
    await service?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = (path: string, init: RequestInit = {}) => fetch(`${baseUrl}${path}`, init);
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });

  async function createKeyOverHttp(body: object): Promise<Response> {
    return call('/v1/keys', {
      method: 'POST',
      headers: { ...auth(adminKey), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it('is alive and ready', async () => {
    assert.deepEqual(await (await call('/health')).json(), { status: 'up' });
    const ready = (await (await call('/ready')).json()) as { status: string; workers: { state: string } };
    assert.equal(ready.status, 'ready');
    assert.match(ready.workers.state, /^(starting|running)$/);
  });

  it("serves the caller's tenant log to its auditor and refuses anyone without a key", async () => {
    auditorKey = (
      (await (await createKeyOverHttp({ actorId: 'aud-1', kind: 'auditor', role: 'auditor' })).json()) as {
        apiKey: string;
      }
    ).apiKey;
    const log = await call('/v1/log', { headers: auth(auditorKey) });
    assert.equal(log.status, 200);
    assert.deepEqual(await log.json(), { events: [], nextCursor: null });
    assert.match(String(log.headers.get('x-correlation-id')), /^[0-9a-f-]{36}$/);
    const anonymous = await call('/v1/log');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  });

  it('creates keys through the admin endpoint while running (the CLI cannot: the directory is in use)', async () => {
    const created = await createKeyOverHttp({ actorId: 'fd-1', kind: 'staff', role: 'front_desk' });
    assert.equal(created.status, 201);
    const { apiKey } = (await created.json()) as { apiKey: string };
    const whoami = (await (await call('/v1/whoami', { headers: auth(apiKey) })).json()) as {
      tenantId: string;
    };
    assert.equal(whoami.tenantId, 'acme');
    const locked = await cli(
      'key',
      'create',
      '--tenant',
      'acme',
      '--actor-id',
      'x',
      '--kind',
      'staff',
      '--role',
      'front_desk',
    );
    assert.equal(locked.code, 1);
    assert.match(locked.stderr, /DATA_DIRECTORY_LOCKED/);
  });

  it('stops on SIGTERM with exit code 0, having logged no key', async () => {
    assert.equal(await service.stop('SIGTERM'), 0);
    assert.ok(logLines.some((entry) => entry['msg'] === 'mymedic stopped'));
    const text = JSON.stringify(logLines);
    for (const key of [auditorKey, adminKey]) assert.ok(!text.includes(key.split('.')[2]!));
  });
});
