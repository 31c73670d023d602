/**
 * The service as an operator runs it: bootstrap a tenant and its first keys with the CLI while the service is
 * stopped (the embedded engine admits one process per data directory), start it on a fresh data directory and
 * a free port, use it over a real socket, create a key through the admin endpoint while it runs, and stop it
 * with SIGTERM (exit 0).
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

const MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'mymedic-service-'));
const ENV = { ...process.env, DATABASE_URL: '', MYMEDIC_DATA_DIR: dataDir, MYMEDIC_PGLITE_FSYNC: 'off' };

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: ENV }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

async function createKey(role: string, kind: string, actorId: string): Promise<string> {
  const result = await cli(
    'key',
    'create',
    '--tenant',
    'acme',
    '--actor-id',
    actorId,
    '--kind',
    kind,
    '--role',
    role,
    '--json',
  );
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).apiKey;
}

describe('mymedic start (embedded engine, real socket)', { timeout: 240_000 }, () => {
  let service: ChildProcess;
  let baseUrl: string;
  const logLines: Record<string, unknown>[] = [];
  let auditorKey: string;
  let adminKey: string;

  before(async () => {
    const tenant = await cli('tenant', 'create', 'acme', '--name', 'Acme Clinics');
    assert.equal(tenant.code, 0, tenant.stderr);
    adminKey = await createKey('tenant_admin', 'staff', 'admin-1');

    service = spawn(process.execPath, ['--import', 'tsx', MAIN, 'start'], {
      env: { ...ENV, PORT: '0', HOST: '127.0.0.1', MYMEDIC_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: service.stdout! });
    baseUrl = await new Promise<string>((resolve, reject) => {
      service.once('exit', (code) => reject(new Error(`service exited with ${code} before it was ready`)));
      lines.on('line', (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logLines.push(entry);
        if (entry['msg'] === 'mymedic ready') resolve(String(entry['address']));
      });
    });
  });

  after(() => {
    if (service.exitCode === null) service.kill('SIGKILL');
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
    assert.deepEqual(await (await call('/ready')).json(), { status: 'ready' });
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
    const exited = new Promise<number | null>((resolve) => service.once('exit', (code) => resolve(code)));
    service.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.ok(logLines.some((entry) => entry['msg'] === 'mymedic stopped'));
    const text = JSON.stringify(logLines);
    for (const key of [auditorKey, adminKey]) assert.ok(!text.includes(key.split('.')[2]!));
  });
});
