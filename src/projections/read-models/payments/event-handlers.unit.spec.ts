import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { depositPaid, refundIssued } from '../../../domain/payment/events.ts';
import type { Sql } from '../../../store/engines/engine.ts';
import type { RecordedEvent } from '../../../store/envelope.ts';
import { dispatch, on } from './event-handlers.ts';

const event = (eventType: string, schemaVersion = 1) =>
  ({ eventType, schemaVersion, payload: { paymentId: 'pay-1' } }) as unknown as RecordedEvent;
const noSql = {} as Sql;

describe('typed dispatch for read models', () => {
  it('reads the types it has handlers for, calls the one of the event, ignores others', async () => {
    const seen: string[] = [];
    const { eventTypes, apply } = dispatch([
      on(depositPaid, async (payload) => void seen.push(`deposit ${payload.paymentId}`)),
      on(refundIssued, async (payload) => void seen.push(`refund ${payload.paymentId}`)),
    ]);
    assert.deepEqual(eventTypes, ['payment.deposit.paid', 'payment.refund.issued']);
    await apply(event('payment.refund.issued'), noSql, {});
    await apply(event('visit.started'), noSql, {});
    assert.deepEqual(seen, ['refund pay-1']);
  });

  it('refuses a schema version its handler was not written for', async () => {
    const { apply } = dispatch([on(depositPaid, async () => undefined)]);
    await assert.rejects(apply(event('payment.deposit.paid', 2), noSql, {}), {
      code: 'READ_MODEL_SCHEMA_UNSUPPORTED',
    });
  });
});
