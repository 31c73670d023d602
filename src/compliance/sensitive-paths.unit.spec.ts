import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../domain/shared/event-definition.ts';
import type { JsonValue } from '../shared/canonical-json.ts';
import {
  compileSensitivity,
  countSensitiveValues,
  mapSensitiveValues,
  readSubject,
} from './sensitive-paths.ts';
import { samplePatientRegistered } from './testing/sample-definitions.ts';

const define = (sensitive: EventDefinition['sensitive'], subjectPath?: string): EventDefinition =>
  defineEvent({
    type: 'x.y',
    schemaVersion: 1,
    aggregateType: 'x',
    schema: z.unknown(),
    description: '',
    sensitive,
    subjectPath,
  });

const mark = (value: JsonValue, path: string): JsonValue => ({ at: path, was: value });

describe('sensitive paths', () => {
  const sensitivity = compileSensitivity(samplePatientRegistered);

  it('replaces flat, nested and array-element values and leaves the rest alone', () => {
    const payload = {
      patientId: 'p1',
      clinicId: 'c1',
      name: 'Asha',
      contacts: [
        { kind: 'home', phone: '1' },
        { kind: 'work', phone: '2' },
      ],
      clinical: { notes: 'n' },
    };
    assert.deepEqual(mapSensitiveValues(payload, sensitivity, mark), {
      patientId: 'p1',
      clinicId: 'c1',
      name: { at: 'name', was: 'Asha' },
      contacts: [
        { kind: 'home', phone: { at: 'contacts.*.phone', was: '1' } },
        { kind: 'work', phone: { at: 'contacts.*.phone', was: '2' } },
      ],
      clinical: { notes: { at: 'clinical.notes', was: 'n' } },
    });
    assert.equal(payload.name, 'Asha', 'the input is not mutated');
    assert.equal(countSensitiveValues(payload, sensitivity), 4);
  });

  it('skips absent values and shapes that do not match, and shares untouched branches', () => {
    const payload = { patientId: 'p1', contacts: { phone: 'not an array' }, clinical: null };
    assert.equal(mapSensitiveValues(payload, sensitivity, mark), payload);
    assert.equal(countSensitiveValues(payload, sensitivity), 0);
    assert.equal(countSensitiveValues({ patientId: 'p1', name: null }, sensitivity), 1, 'null is a value');
  });

  it('reads the subject only when it is a non-empty string', () => {
    const nested = compileSensitivity(define({ name: 'pii' }, 'patient.id'));
    assert.equal(readSubject({ patient: { id: 'p9' } }, nested), 'p9');
    assert.equal(readSubject({ patient: { id: 9 } }, nested), undefined);
    assert.equal(readSubject({ patient: { id: '' } }, nested), undefined);
    assert.equal(readSubject({}, nested), undefined);
  });

  it('refuses definitions it cannot apply safely', () => {
    const invalid = { code: 'SENSITIVE_PATHS_INVALID' };
    assert.throws(() => compileSensitivity(define({ name: 'pii' })), invalid);
    assert.throws(
      () => compileSensitivity(define({ contact: 'pii', 'contact.phone': 'pii' }, 'patientId')),
      invalid,
    );
    assert.throws(() => compileSensitivity(define({ 'a.*.b': 'pii', 'a.0.b': 'pii' }, 'patientId')), invalid);
    assert.throws(() => compileSensitivity(define({ patient: 'pii' }, 'patient.id')), invalid);
    assert.throws(() => compileSensitivity(define({ 'list.*': 'pii' }, 'patientId')), invalid);
    assert.throws(() => compileSensitivity(define({ 'a..b': 'pii' }, 'patientId')), invalid);
    assert.throws(() => compileSensitivity(define({ name: 'pii' }, 'patients.*.id')), invalid);
    assert.doesNotThrow(() => compileSensitivity(define({})));
  });
});
