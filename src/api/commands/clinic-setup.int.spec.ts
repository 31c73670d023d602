import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachEngine } from '../../store/testing/test-engines.ts';
import { openCommandTestbed, setUpClinic, type CommandTestbed } from './testing/command-testbed.ts';

const price = (consultationType: string, amountMinor: number, currency = 'INR') => ({
  consultationType,
  price: { amountMinor, currency },
  deposit: { amountMinor: 0, currency },
});

describeEachEngine('branch, doctor and pricing command endpoints', (db, kind) => {
  let bed: CommandTestbed;
  before(async () => {
    bed = await openCommandTestbed(db().engine, `clinic-${kind}`);
    await setUpClinic(bed);
  });
  after(() => bed.close());

  it('set up a clinic through the endpoints, each event carrying the caller', async () => {
    const streams = [
      ['pricing_policy', 'pp-1', ['pricing.rule.changed']],
      ['branch', 'br-1', ['branch.added']],
      ['doctor', 'dr-1', ['doctor.onboarded', 'doctor.branch.assigned', 'doctor.availability.updated']],
    ] as const;
    for (const [aggregateType, id, types] of streams) {
      const events = await bed.events(aggregateType, id);
      assert.deepEqual(
        events.map((event) => event.eventType),
        types,
      );
      assert.ok(events.every((event) => event.actor.id === 'admin-1'));
    }
  });

  it('publish pricing versions, refusing a backdated one (409) and an ill-formed one (400)', async () => {
    const url = '/v1/pricing-policies/pp-1/rules';
    const rule = (effectiveFrom: Date, prices = [price('in_person', 90_000)]) => ({
      effectiveFrom: effectiveFrom.toISOString(),
      currency: 'INR',
      cancellationWindowMinutes: 60,
      prices,
    });
    const next = await bed.post('admin', url, rule(bed.now), { 'if-match': '"1"' });
    assert.deepEqual(
      [next.statusCode, next.headers['etag'], next.json().pricingPolicyId],
      [200, '"2"', 'pp-1'],
    );
    const backdated = await bed.post('admin', url, rule(new Date(bed.now.getTime() - 60_000)));
    assert.deepEqual([backdated.statusCode, backdated.json().code], [409, 'PRICING_RULE_BACKDATED']);
    const cases: [object, string][] = [
      [rule(bed.now, [price('in_person', 1.5)]), 'prices.0.price.amountMinor'],
      [rule(bed.now, [price('in_person', 100, 'USD')]), 'prices'],
      [{ ...rule(bed.now), effectiveFrom: '2026-12-01' }, 'effectiveFrom'],
    ];
    for (const [body, field] of cases) {
      const response = await bed.post('admin', url, body);
      assert.deepEqual([response.statusCode, response.json().field], [400, field]);
    }
    assert.equal((await bed.events('pricing_policy', 'pp-1')).length, 2);
    const stale = await bed.post('admin', url, rule(bed.now), { 'if-match': '"1"' });
    assert.deepEqual([stale.statusCode, stale.json().actual], [412, 2]);
  });

  it('add and remove doctor blocks by id', async () => {
    const block = {
      startsAt: '2026-12-08T09:00:00+05:30',
      endsAt: '2026-12-08T13:00:00+05:30',
      reasonCode: 'conference',
    };
    const added = await bed.post('admin', '/v1/doctors/dr-1/blocks/blk-1', block);
    const [, , , blockAdded] = await bed.events('doctor', 'dr-1');
    assert.deepEqual(
      [added.statusCode, added.json()],
      [
        200,
        { doctorId: 'dr-1', version: 4, events: ['doctor.block.added'], tenantSeq: blockAdded?.tenantSeq },
      ],
    );
    const twice = await bed.post('admin', '/v1/doctors/dr-1/blocks/blk-1', block);
    assert.deepEqual([twice.statusCode, twice.json().code], [409, 'DOCTOR_BLOCK_EXISTS']);
    const inverted = await bed.post('admin', '/v1/doctors/dr-1/blocks/blk-2', {
      ...block,
      endsAt: block.startsAt,
    });
    assert.deepEqual([inverted.statusCode, inverted.json().field], [400, 'endsAt']);
    const removed = await bed.post('admin', '/v1/doctors/dr-1/blocks/blk-1/remove');
    assert.deepEqual([removed.statusCode, removed.json().events], [200, ['doctor.block.removed']]);
    const unknown = await bed.post('admin', '/v1/doctors/dr-1/blocks/blk-9/remove');
    assert.deepEqual([unknown.statusCode, unknown.json().code], [409, 'DOCTOR_BLOCK_NOT_FOUND']);
  });

  it('refuse overlapping availability, and assignment to a removed branch', async () => {
    const windows = [{ weekday: 1, start: '12:00', end: '14:00', slotMinutes: 30 }];
    await bed.post('admin', '/v1/branches/br-2', { name: 'Koramangala', pricingPolicyId: 'pp-1' });
    assert.equal((await bed.post('admin', '/v1/doctors/dr-1/branches/br-2')).statusCode, 200);
    const overlap = await bed.post('admin', '/v1/doctors/dr-1/branches/br-2/availability', { windows });
    assert.deepEqual([overlap.statusCode, overlap.json().code], [409, 'AVAILABILITY_OVERLAP']);
    const removed = await bed.post('admin', '/v1/branches/br-2/remove', { reasonCode: 'closed' });
    assert.deepEqual([removed.statusCode, removed.json().events], [200, ['branch.removed']]);
    await bed.post('admin', '/v1/doctors/dr-2', {
      name: 'Dr. Arun Shah',
      registrationNumber: 'KMC-1',
      specialties: [],
      timeZone: 'Asia/Kolkata',
    });
    const assign = await bed.post('admin', '/v1/doctors/dr-2/branches/br-2');
    assert.deepEqual([assign.statusCode, assign.json().code], [409, 'BRANCH_REMOVED']);
    const again = await bed.post('admin', '/v1/branches/br-2', {
      name: 'Koramangala',
      pricingPolicyId: 'pp-1',
    });
    assert.deepEqual([again.statusCode, again.json().code], [409, 'INVALID_TRANSITION']);
  });

  it('name the bad field with 400 and write nothing', async () => {
    const zone = await bed.post('admin', '/v1/doctors/dr-3', {
      name: 'Dr. X',
      registrationNumber: 'R-1',
      specialties: [],
      timeZone: 'Mars/Olympus',
    });
    assert.deepEqual([zone.statusCode, zone.json().field], [400, 'timeZone']);
    const reason = await bed.post('admin', '/v1/branches/br-1/remove', { reasonCode: 'bored' });
    assert.deepEqual([reason.statusCode, reason.json().field], [400, 'reasonCode']);
    assert.deepEqual(await bed.events('doctor', 'dr-3'), []);
    assert.equal((await bed.events('branch', 'br-1')).length, 1);
  });

  it('are for the roles that hold the write permission only', async () => {
    const attempts = [
      ['desk', '/v1/branches/br-9', { name: 'X', pricingPolicyId: 'pp-1' }],
      ['desk', '/v1/pricing-policies/pp-9/rules', {}],
      ['pt1', '/v1/doctors/dr-9', {}],
      ['auditor', '/v1/doctors/dr-1/blocks/b/remove', undefined],
    ] as const;
    for (const [caller, url, body] of attempts) {
      const response = await bed.post(caller, url, body);
      assert.deepEqual([response.statusCode, response.json().code], [403, 'PERMISSION_DENIED']);
    }
  });
});
