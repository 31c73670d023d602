/**
 * What every command endpoint must honour, declared once and run per endpoint: a role without the permission
 * gets 403, bad input 400 naming the field, a stale If-Match 412 with the actual version, a business rule 409
 * with its stable code — each writing nothing at all — and the command itself its status, `ETag` = the new
 * version, and events that carry the caller, the correlation id and the request id as causation.
 *
 * @example
 * describeEachEngine('visit command endpoints', (db, kind) => {
 *   let bed: CareTestbed;
 *   before(async () => { bed = await openCareTestbed(db().engine, `visits-${kind}`); });
 *   after(() => bed.close());
 *   honoursCommandContract(() => bed, { title: 'start a visit', caller: 'doctor', url: '/v1/visits/v-1/start', ... });
 * });
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { idFieldOf, type CommandAggregate } from '../command-endpoint.ts';
import type { CareCaller, CareTestbed } from './care-and-finance-testbed.ts';

export interface CommandCall {
  readonly caller: CareCaller;
  readonly url: string;
  readonly body?: object;
}

export interface CommandEndpointCase extends CommandCall {
  readonly title: string;
  /** The stream the command changes: its aggregate type (as command routes name it) and id. */
  readonly stream: readonly [aggregateType: CommandAggregate, aggregateId: string];
  /** A creating command answers 201 and refuses If-Match; others answer 200 and decide on If-Match. */
  readonly creates: boolean;
  /** Types of the events the command appends. */
  readonly events: readonly string[];
  /** Commands that bring the stream to the state this one needs; each must succeed. */
  readonly given?: readonly CommandCall[];
  /** Callers whose role lacks the endpoint's permission. */
  readonly forbidden: readonly CareCaller[];
  /** Input the endpoint must refuse, and the field it must name. */
  readonly invalid: { readonly url?: string; readonly body?: object; readonly field: string };
  /** A command the domain refuses (default: the same call again after it succeeded); `before`: on the prior state. */
  readonly refusal: Partial<CommandCall> & { readonly code: string; readonly before?: boolean };
}

export function honoursCommandContract(bed: () => CareTestbed, endpoint: CommandEndpointCase): void {
  const [aggregateType, aggregateId] = endpoint.stream;
  const call = (overrides: Partial<CommandCall> = {}, headers: Record<string, string> = {}) => {
    const { caller, url, body } = { ...endpoint, ...overrides };
    return bed().post(caller, url, body, headers);
  };
  /** Runs a request that must be refused, and proves the tenant's log did not change. */
  const refused = async (request: () => ReturnType<typeof call>) => {
    const count = await bed().eventCount();
    const response = await request();
    assert.equal(
      await bed().eventCount(),
      count,
      `nothing written (${response.statusCode} ${response.body})`,
    );
    return response;
  };
  const refuseByRule = async () => {
    const { code, before: _before, ...overrides } = endpoint.refusal;
    const response = await refused(() => call(overrides));
    assert.deepEqual([response.statusCode, response.json().code], [409, code], response.body);
  };

  describe(`${endpoint.title} (POST ${endpoint.url})`, () => {
    before(async () => {
      for (const step of endpoint.given ?? []) {
        const response = await bed().post(step.caller, step.url, step.body);
        assert.ok(response.statusCode < 300, `${step.url}: ${response.statusCode} ${response.body}`);
      }
    });

    it('answers 403 to a role without the permission', async () => {
      for (const caller of endpoint.forbidden) {
        const response = await refused(() => call({ caller }));
        assert.deepEqual([response.statusCode, response.json().code], [403, 'PERMISSION_DENIED'], caller);
      }
    });

    it('answers 400 naming the field to bad input', async () => {
      const { field, ...overrides } = endpoint.invalid;
      const response = await refused(() => call(overrides));
      assert.deepEqual(
        [response.statusCode, response.json().code, response.json().field],
        [400, 'VALIDATION_FAILED', field],
      );
    });

    if (endpoint.creates) {
      it('answers 400 to an If-Match, which a creating command does not take', async () => {
        const response = await refused(() => call({}, { 'if-match': '"0"' }));
        assert.deepEqual([response.statusCode, response.json().field], [400, 'If-Match']);
      });
    } else {
      it('answers 412 with the actual version to a stale If-Match', async () => {
        const actual = await bed().version(aggregateType, aggregateId);
        const stale = actual === 0 ? 1 : actual - 1;
        const response = await refused(() => call({}, { 'if-match': `"${stale}"` }));
        assert.deepEqual(
          [response.statusCode, response.json().code, response.json().actual, response.headers['etag']],
          [412, 'CONCURRENCY_CONFLICT', actual, `"${actual}"`],
        );
      });
    }

    if (endpoint.refusal.before) it(`answers 409 ${endpoint.refusal.code} (a business rule)`, refuseByRule);

    it(`appends ${endpoint.events.join(', ')}: ETag = version, caller and correlation id on every event`, async () => {
      const prior = await bed().version(aggregateType, aggregateId);
      const correlationId = `flow-${aggregateType}-${prior}-${endpoint.events.join('-')}`;
      const response = await call(
        {},
        { 'x-correlation-id': correlationId, ...(endpoint.creates ? {} : { 'if-match': `"${prior}"` }) },
      );
      const version = prior + endpoint.events.length;
      assert.equal(response.statusCode, endpoint.creates ? 201 : 200, response.body);
      assert.equal(response.headers['etag'], `"${version}"`);
      const appended = (await bed().events(aggregateType, aggregateId)).filter(
        (event) => event.version > prior,
      );
      assert.deepEqual(response.json(), {
        [idFieldOf(aggregateType)]: aggregateId,
        version,
        events: endpoint.events,
        tenantSeq: Math.max(...appended.map((event) => event.tenantSeq)),
      });
      assert.deepEqual(
        appended.map((event) => [event.eventType, event.actor, event.correlationId, event.causationId]),
        endpoint.events.map((type) => [
          type,
          bed().actorOf(endpoint.caller),
          correlationId,
          response.headers['x-request-id'],
        ]),
      );
    });

    if (!endpoint.refusal.before) it(`answers 409 ${endpoint.refusal.code} (a business rule)`, refuseByRule);
  });
}
