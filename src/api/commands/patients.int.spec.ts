import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../../store/testing/test-engines.ts';
import { openCommandTestbed, patientBody, type CommandTestbed } from './testing/command-testbed.ts';

const consent = {
  purpose: 'CAREMGT',
  hiTypes: ['Prescription'],
  requester: { kind: 'hip', id: 'hosp-9', name: 'City Hospital' },
  expiresAt: '2027-12-01T00:00:00Z',
};

describeEachEngine('patient and consent command endpoints', (db, kind) => {
  let bed: CommandTestbed;
  before(async () => {
    bed = await openCommandTestbed(db().engine, `patients-${kind}`);
  });
  after(() => bed.close());

  it('registers a patient: 201, no patient data in the response, encrypted in the store', async () => {
    const response = await bed.post('desk', '/v1/patients/pt-1', patientBody('Asha Rao', '+919812345678'));
    assert.equal(response.statusCode, 201, response.body);
    const [event] = await bed.events('patient', 'pt-1');
    assert.deepEqual(response.json(), {
      patientId: 'pt-1',
      version: 1,
      events: ['patient.registered'],
      tenantSeq: event?.tenantSeq,
    });
    const stored = JSON.stringify(event?.payload);
    assert.ok(!stored.includes('Asha') && !stored.includes('9812345678') && stored.includes('$enc'));
    assert.deepEqual(event?.actor, { id: 'fd-1', kind: 'staff', role: 'front_desk' });
  });

  it('lets a patient register and change their own record only', async () => {
    const self = await bed.post('pt2', '/v1/patients/pt-2', patientBody('Ravi Kumar', '+919812300000'));
    assert.equal(self.statusCode, 201, self.body);
    const attempts = [
      ['/v1/patients/pt-3', patientBody('Someone', '+919812311111')],
      ['/v1/patients/pt-1/notes', { notes: 'not mine' }],
      ['/v1/patients/pt-1/consents/c-x', consent],
    ] as const;
    for (const [url, body] of attempts) {
      const response = await bed.post('pt2', url, body);
      assert.deepEqual([response.statusCode, response.json().code], [403, 'NOT_OWN_RECORD']);
    }
    const changed = await bed.post('pt2', '/v1/patients/pt-2/demographics', {
      changes: { email: 'ravi@example.in' },
    });
    assert.deepEqual([changed.statusCode, changed.json().events], [200, ['patient.demographics.updated']]);
  });

  it('names the bad field with 400 and writes nothing', async () => {
    const cases: [string, object, string][] = [
      ['/v1/patients/pt-4', patientBody('Meena', '4477'), 'phone'],
      [
        '/v1/patients/pt-4',
        { ...patientBody('Meena', '+919812322222'), birthDate: '12/04/1988' },
        'birthDate',
      ],
      ['/v1/patients/pt-1/demographics', { changes: {} }, 'changes'],
      [
        '/v1/patients/pt-1/consents/c-1',
        { ...consent, hiTypes: ['Prescription', 'Prescription'] },
        'hiTypes',
      ],
    ];
    for (const [url, body, field] of cases) {
      const response = await bed.post('desk', url, body);
      assert.deepEqual([response.statusCode, response.json().field], [400, field]);
      assert.ok(!response.body.includes('4477'), 'a rejected value is echoed');
    }
    assert.deepEqual(await bed.events('patient', 'pt-4'), []);
    assert.equal((await bed.events('patient', 'pt-1')).length, 1);
  });

  it('updates notes on the version the caller saw; a stale If-Match is 412, no change is 409', async () => {
    const url = '/v1/patients/pt-1/notes';
    const ok = await bed.post('desk', url, { notes: 'allergic to penicillin' }, { 'if-match': '"1"' });
    assert.deepEqual([ok.statusCode, ok.headers['etag']], [200, '"2"']);
    const stale = await bed.post('desk', url, { notes: 'lost' }, { 'if-match': '"1"' });
    assert.deepEqual([stale.statusCode, stale.json().actual, stale.headers['etag']], [412, 2, '"2"']);
    const same = await bed.post('desk', url, { notes: 'allergic to penicillin' });
    assert.equal(same.statusCode, 409);
  });

  it('grants and revokes consents', async () => {
    const granted = await bed.post('pt1', '/v1/patients/pt-1/consents/c-1', consent);
    assert.deepEqual([granted.statusCode, granted.json().events], [200, ['consent.granted']]);
    const twice = await bed.post('desk', '/v1/patients/pt-1/consents/c-1', consent);
    assert.deepEqual([twice.statusCode, twice.json().code], [409, 'CONSENT_ALREADY_EXISTS']);
    const expired = await bed.post('desk', '/v1/patients/pt-1/consents/c-2', {
      ...consent,
      expiresAt: '2020-01-01T00:00:00Z',
    });
    assert.deepEqual([expired.statusCode, expired.json().code], [409, 'CONSENT_EXPIRY_IN_PAST']);
    const revoked = await bed.post('pt1', '/v1/patients/pt-1/consents/c-1/revoke');
    assert.deepEqual([revoked.statusCode, revoked.json().events], [200, ['consent.revoked']]);
  });

  it('is refused to roles without patients:write', async () => {
    for (const caller of ['doctor', 'auditor', 'admin'] as const) {
      const response = await bed.post(caller, '/v1/patients/pt-1/notes', { notes: null });
      assert.deepEqual([response.statusCode, response.json().code], [403, 'PERMISSION_DENIED']);
    }
  });
});
