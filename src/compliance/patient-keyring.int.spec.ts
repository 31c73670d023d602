import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { canonicalJson, type JsonValue } from '../shared/canonical-json.ts';
import { uuidV7 } from '../shared/uuid-v7.ts';
import type { Sql } from '../store/engines/engine.ts';
import type { Actor } from '../store/envelope.ts';
import { describeEachEngine } from '../store/testing/test-engines.ts';
import { ERASED_FIELD, isEncryptedField } from './field-envelope.ts';
import { placeLegalHold, releaseLegalHold } from './legal-holds.ts';
import { generateMasterKeyText, parseMasterKey, type MasterKeys } from './master-key.ts';
import { PatientKeyring } from './patient-keyring.ts';
import { rotateMasterKey } from './rotate-master-key.ts';
import { samplePatientRegistered as registered, sampleSlotOpened } from './testing/sample-definitions.ts';

const NAME = 'Zyxwvut Quillfeather';
const PHONE = '+91 98765 43210';
const actor: Actor = { id: 'u-dpo', kind: 'staff', role: 'data-protection-officer' };
const masterA = parseMasterKey(generateMasterKeyText(), 'A');
const masterB = parseMasterKey(generateMasterKeyText(), 'B');
const underA: MasterKeys = { current: masterA, previous: [] };

const payloadOf = (patientId: string): JsonValue => ({
  patientId,
  clinicId: 'clinic-1',
  name: NAME,
  birthDate: '1990-04-01',
  contacts: [{ kind: 'mobile', phone: PHONE }],
  clinical: { notes: 'complains of migraine' },
});

/** Stores the payload the way the event store does: hashed over canonical bytes and appended. */
async function append(sql: Sql, tenantId: string, patientId: string, payload: JsonValue): Promise<string> {
  const contentHash = createHash('sha256').update(canonicalJson(payload)).digest('hex');
  await sql.query('select mymedic.append_events($1, $2::jsonb, $3::jsonb)', [
    tenantId,
    JSON.stringify([{ aggregate_type: 'patient', aggregate_id: patientId, expected: 'any' }]),
    JSON.stringify([
      {
        stream_index: 0,
        event_id: uuidV7(),
        event_type: registered.type,
        schema_version: 1,
        occurred_at: new Date().toISOString(),
        actor,
        payload,
        content_hash: contentHash,
      },
    ]),
  ]);
  return contentHash;
}

async function storedPayload(sql: Sql, tenantId: string, patientId: string): Promise<JsonValue> {
  const { rows } = await sql.query<{ payload: JsonValue }>(
    `select payload from mymedic.events where tenant_id = $1 and aggregate_id = $2 order by version desc limit 1`,
    [tenantId, patientId],
  );
  assert.ok(rows[0]);
  return rows[0].payload;
}

/** Every text, json or bytea column of every table holding `needle` (case-insensitive), as schema.table.column. */
async function columnsContaining(sql: Sql, needle: string): Promise<string[]> {
  const { rows: columns } = await sql.query<{ s: string; t: string; c: string; type: string }>(
    `select c.table_schema as s, c.table_name as t, c.column_name as c, c.data_type as type
     from information_schema.columns c
     join information_schema.tables t using (table_schema, table_name)
     where t.table_type = 'BASE TABLE' and c.table_schema not in ('pg_catalog', 'information_schema')
       and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea')`,
  );
  assert.ok(columns.length > 10, 'the scan sees the tables');
  const found: string[] = [];
  for (const { s, t, c, type } of columns) {
    const test =
      type === 'bytea'
        ? `position(convert_to($1, 'UTF8') in "${c}") > 0`
        : `position(lower($1) in lower("${c}"::text)) > 0`;
    const { rows } = await sql.query(`select 1 from "${s}"."${t}" where ${test} limit 1`, [needle]);
    if (rows.length > 0) found.push(`${s}.${t}.${c}`);
  }
  return found;
}

describeEachEngine('patient keyring', (db) => {
  it('creates exactly one key when 20 keyrings use a new patient at once', async () => {
    const { engine } = db();
    const tenantId = 't-concurrent';
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        new PatientKeyring(engine, underA).protectPayload(registered, tenantId, payloadOf('p-1')),
      ),
    );
    const { rows } = await engine.query<{ n: string }>(
      'select count(*) as n from mymedic.patient_keys where tenant_id = $1',
      [tenantId],
    );
    assert.equal(Number(rows[0]?.n), 1);
    const kids = new Set(results.map((payload) => (payload as { name: { kid: string } }).name.kid));
    assert.equal(kids.size, 1);
    const reader = new PatientKeyring(engine, underA);
    for (const protectedPayload of results) {
      assert.deepEqual(await reader.revealPayload(registered, tenantId, protectedPayload), payloadOf('p-1'));
    }
  });

  it('round-trips through the event store, and erasure turns the fields into the erased marker', async () => {
    const { engine } = db();
    const tenantId = 't-erase';
    const keyring = new PatientKeyring(engine, underA);
    const protectedPayload = await keyring.protectPayload(registered, tenantId, payloadOf('p-1'));
    assert.ok(isEncryptedField((protectedPayload as Record<string, unknown>)['name']));
    const contentHash = await append(engine, tenantId, 'p-1', protectedPayload);
    assert.deepEqual(
      await keyring.revealPayload(registered, tenantId, await storedPayload(engine, tenantId, 'p-1')),
      payloadOf('p-1'),
    );

    const report = await keyring.erasePatient(tenantId, 'p-1', { reason: 'GDPR art. 17, REQ-1', actor });
    assert.equal(report.destroyedKeyId, (protectedPayload as { name: { kid: string } }).name.kid);

    const stored = await storedPayload(engine, tenantId, 'p-1');
    assert.equal(
      createHash('sha256').update(canonicalJson(stored)).digest('hex'),
      contentHash,
      'hashed bytes unchanged',
    );
    const erased = {
      patientId: 'p-1',
      clinicId: 'clinic-1',
      name: ERASED_FIELD,
      birthDate: ERASED_FIELD,
      contacts: [{ kind: 'mobile', phone: ERASED_FIELD }],
      clinical: { notes: ERASED_FIELD },
    };
    assert.deepEqual(await keyring.revealPayload(registered, tenantId, stored), erased);
    assert.deepEqual(
      await new PatientKeyring(engine, underA).revealPayload(registered, tenantId, stored),
      erased,
    );

    const { rows } = await engine.query<{ outcome: string; key_id: string; reason: string; actor: Actor }>(
      'select outcome, key_id, reason, actor from mymedic.patient_erasures where tenant_id = $1',
      [tenantId],
    );
    assert.deepEqual(rows, [
      { outcome: 'erased', key_id: report.destroyedKeyId, reason: 'GDPR art. 17, REQ-1', actor },
    ]);
    await assert.rejects(engine.query('delete from mymedic.patient_erasures'), /append-only/);

    // A later event of the same patient gets a new key; the erased fields stay erased.
    const later = await keyring.protectPayload(registered, tenantId, payloadOf('p-1'));
    assert.deepEqual(await keyring.revealPayload(registered, tenantId, later), payloadOf('p-1'));
    assert.deepEqual(await keyring.revealPayload(registered, tenantId, stored), erased);
  });

  it('leaves payloads without sensitive values alone and keys patients per tenant', async () => {
    const { engine } = db();
    const keyring = new PatientKeyring(engine, underA);
    const slot = { slotId: 's-1' };
    assert.equal(await keyring.protectPayload(sampleSlotOpened, 't-x', slot), slot);
    const inT1 = await keyring.protectPayload(registered, 't-x', payloadOf('p-shared'));
    const inT2 = await keyring.protectPayload(registered, 't-y', payloadOf('p-shared'));
    assert.notEqual(
      (inT1 as { name: { kid: string } }).name.kid,
      (inT2 as { name: { kid: string } }).name.kid,
    );
    // Copied into another tenant, the fields name a key that tenant's patient does not have: nothing leaks.
    const copied = (await keyring.revealPayload(registered, 't-y', inT1)) as Record<string, unknown>;
    assert.deepEqual(copied['name'], ERASED_FIELD);
    await assert.rejects(keyring.protectPayload(registered, 't-x', { name: NAME }), {
      code: 'VALIDATION_FAILED',
    });
  });

  it('refuses erasure while a legal hold or retention rule applies, and audits the refusal', async () => {
    const { engine } = db();
    const tenantId = 't-hold';
    const keyring = new PatientKeyring(engine, underA);
    const protectedPayload = await keyring.protectPayload(registered, tenantId, payloadOf('p-1'));
    await placeLegalHold(engine, {
      tenantId,
      patientId: 'p-1',
      reason: 'expired case',
      placedBy: actor,
      until: new Date(Date.now() - 1000),
    });
    const holdId = await placeLegalHold(engine, {
      tenantId,
      patientId: 'p-1',
      reason: 'MLC-2026-114',
      placedBy: actor,
    });

    await assert.rejects(
      keyring.erasePatient(tenantId, 'p-1', { reason: 'REQ-2', actor }),
      (error: Error & { code?: string; facts?: Record<string, unknown> }) => {
        assert.equal(error.code, 'LEGAL_HOLD');
        assert.deepEqual(
          (error.facts?.['holds'] as { holdId: string }[]).map((hold) => hold.holdId),
          [holdId],
        );
        return true;
      },
    );
    assert.deepEqual(
      await new PatientKeyring(engine, underA).revealPayload(registered, tenantId, protectedPayload),
      payloadOf('p-1'),
    );

    assert.equal(await releaseLegalHold(engine, tenantId, holdId, actor), true);
    assert.equal(await releaseLegalHold(engine, 'another-tenant', holdId, actor), false);
    const retention = async () => ({ rule: 'clinical-retention-10y' });
    await assert.rejects(
      keyring.erasePatient(tenantId, 'p-1', { reason: 'REQ-2', actor, legalHoldCheck: retention }),
      {
        code: 'LEGAL_HOLD',
      },
    );
    const report = await keyring.erasePatient(tenantId, 'p-1', {
      reason: 'REQ-2',
      actor,
      legalHoldCheck: async () => undefined,
    });
    assert.ok(report.destroyedKeyId);

    const { rows } = await engine.query<{ outcome: string }>(
      'select outcome from mymedic.patient_erasures where tenant_id = $1 order by recorded_at, erasure_id',
      [tenantId],
    );
    assert.deepEqual(
      rows.map((row) => row.outcome),
      ['refused', 'refused', 'erased'],
    );
  });

  it('keeps data readable across a master key rotation', async () => {
    const { engine } = db();
    const tenantId = 't-rotate';
    const before = await Promise.all(
      ['p-1', 'p-2', 'p-3'].map((id) =>
        new PatientKeyring(engine, underA).protectPayload(registered, tenantId, payloadOf(id)),
      ),
    );
    const rotating: MasterKeys = { current: masterB, previous: [masterA] };
    const report = await rotateMasterKey(engine, rotating, { batchSize: 2 });
    assert.ok(report.rewrapped >= 3);
    assert.deepEqual(report.remaining, {});
    assert.deepEqual((await rotateMasterKey(engine, rotating)).rewrapped, 0);

    const onlyB = new PatientKeyring(engine, { current: masterB, previous: [] });
    for (const [i, payload] of before.entries()) {
      assert.deepEqual(await onlyB.revealPayload(registered, tenantId, payload), payloadOf(`p-${i + 1}`));
    }
    await assert.rejects(
      new PatientKeyring(engine, underA).revealPayload(registered, tenantId, before[0] ?? null),
      {
        code: 'MASTER_KEY_UNKNOWN',
      },
    );
    const withoutA = await rotateMasterKey(engine, { current: masterA, previous: [] });
    assert.equal(
      withoutA.remaining[masterB.id] !== undefined,
      true,
      'rows under an unsupplied key are reported',
    );
  });

  it("leaves the patient's name and phone readable nowhere in the database", async () => {
    const { engine } = db();
    const keyring = new PatientKeyring(engine, { current: masterB, previous: [] });
    const tenantId = 't-scan';
    await append(
      engine,
      tenantId,
      'p-1',
      await keyring.protectPayload(registered, tenantId, payloadOf('p-1')),
    );
    await append(
      engine,
      tenantId,
      'p-2',
      await keyring.protectPayload(registered, tenantId, payloadOf('p-2')),
    );
    await keyring.erasePatient(tenantId, 'p-2', { reason: 'REQ-3', actor });

    // The scan must be able to see plaintext: a control table holding it is found, then removed.
    await engine.query('create table public.scan_control (doc jsonb, raw bytea)');
    await engine.query(`insert into public.scan_control values ($1, convert_to($2, 'UTF8'))`, [
      JSON.stringify(payloadOf('p-9')),
      PHONE,
    ]);
    assert.deepEqual(await columnsContaining(engine, NAME), ['public.scan_control.doc']);
    assert.deepEqual(await columnsContaining(engine, PHONE), [
      'public.scan_control.doc',
      'public.scan_control.raw',
    ]);
    await engine.query('drop table public.scan_control');

    for (const needle of [NAME, 'Quillfeather', PHONE, '98765 43210', '1990-04-01', 'migraine']) {
      assert.deepEqual(
        await columnsContaining(engine, needle),
        [],
        `"${needle}" must not be stored in plaintext`,
      );
    }
  });
});
