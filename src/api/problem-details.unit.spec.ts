import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainRuleError } from '../domain/shared/domain-rule-error.ts';
import { MyMedicError, ValidationError } from '../shared/errors.ts';
import { ConcurrencyError } from '../store/errors.ts';
import { AuthenticationError, NotOwnRecordError, PermissionDeniedError } from '../tenancy/errors.ts';
import { toProblem } from './problem-details.ts';

const IDS = { requestId: 'r-1', correlationId: 'c-1' };

describe('problem documents', () => {
  it('name the invalid field with 400', () => {
    const problem = toProblem(
      new ValidationError('body.amount', 'must be an integer', { expected: 'int' }),
      IDS,
    );
    assert.equal(problem.status, 400);
    assert.deepEqual(problem.document, {
      type: 'urn:mymedic:problem:validation-failed',
      title: 'The request is invalid',
      status: 400,
      detail: 'body.amount: must be an integer',
      code: 'VALIDATION_FAILED',
      instance: 'urn:mymedic:request:r-1',
      correlationId: 'c-1',
      field: 'body.amount',
      expected: 'int',
    });
  });

  it('answer a conflict with 412 and the actual version', () => {
    const stream = { tenantId: 't', aggregateType: 'booking', aggregateId: 'b-1' };
    const problem = toProblem(new ConcurrencyError(stream, 3, 5), IDS);
    assert.equal(problem.status, 412);
    assert.equal(problem.document['code'], 'CONCURRENCY_CONFLICT');
    assert.equal(problem.document['expected'], 3);
    assert.equal(problem.document['actual'], 5);
  });

  it('answer any business rule with 409 and its own stable code and facts', () => {
    const problem = toProblem(new DomainRuleError('REFUND_EXCEEDS_PAID', 'too much', { paid: 500 }), IDS);
    assert.equal(problem.status, 409);
    assert.equal(problem.document['code'], 'REFUND_EXCEEDS_PAID');
    assert.equal(problem.document['paid'], 500);
  });

  it('map authentication to 401 and authorisation to 403', () => {
    assert.equal(toProblem(new AuthenticationError('CREDENTIAL_INVALID', 'x'), IDS).status, 401);
    assert.equal(toProblem(new AuthenticationError('AUTHENTICATION_REQUIRED', 'x'), IDS).status, 401);
    assert.equal(toProblem(new PermissionDeniedError('log:read', 'patient'), IDS).status, 403);
    assert.equal(toProblem(new NotOwnRecordError(), IDS).status, 403);
  });

  it('hide everything about unknown failures behind a 500', () => {
    for (const error of [
      new Error('connection to 10.0.0.5 refused; password=hunter2'),
      new MyMedicError('SOMETHING_INTERNAL', 'secret detail', { table: 'mymedic.credentials' }),
      Object.assign(new Error('pg says: duplicate key (p-77)'), { code: '23505', detail: 'Key (id)=(p-77)' }),
      'a thrown string',
      undefined,
    ]) {
      const problem = toProblem(error, IDS);
      assert.equal(problem.status, 500);
      assert.equal(problem.unexpected, true);
      const text = JSON.stringify(problem.document);
      for (const leak of ['10.0.0.5', 'hunter2', 'secret', 'credentials', 'p-77', 'SOMETHING_INTERNAL']) {
        assert.ok(!text.includes(leak), `${leak} leaked`);
      }
    }
  });

  it('keep framework refusals in their status and never let facts overwrite the standard members', () => {
    assert.equal(
      toProblem(Object.assign(new SyntaxError('bad json'), { statusCode: 400 }), IDS).document['field'],
      'body',
    );
    assert.equal(toProblem(Object.assign(new Error('x'), { statusCode: 413 }), IDS).status, 413);
    assert.equal(toProblem(Object.assign(new Error('x'), { statusCode: 415 }), IDS).status, 415);
    const sneaky = new DomainRuleError('RULE', 'x', { status: 200, type: 'about:blank', code: 'OK' });
    assert.deepEqual(
      [toProblem(sneaky, IDS).document['status'], toProblem(sneaky, IDS).document['code']],
      [409, 'RULE'],
    );
  });
});
