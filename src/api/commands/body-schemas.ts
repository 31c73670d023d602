/**
 * Building blocks of command bodies and paths, shared by every command endpoint so a slot, an id, an instant
 * or a reason is spelt and validated the same way everywhere — and at least as strictly as the event the
 * command produces, so bad input is a 400 naming the field before anything is decided.
 */
import { z } from 'zod';
import { requestedSlotSchema } from '../../domain/portal/events.ts';
import { identifierSchema } from '../../tenancy/identifiers.ts';

/** A slot as the portal and console name it: the doctor's local date and start time. */
export const slotBody = requestedSlotSchema;

/** An instant with an explicit offset (`2026-12-07T09:00:00+05:30`), handed to the domain as a Date. */
export const instantBody = z.iso.datetime({ offset: true }).transform((text) => new Date(text));

/** Free text about the visit (encrypted under the patient's key before it is stored). */
export const clinicalTextBody = z.string().trim().min(1).max(2_000);

/** Path parameters: each named id must be an identifier (storable as a stream id). */
export function idParams<const Names extends readonly string[]>(...names: Names) {
  const shape = Object.fromEntries(names.map((name) => [name, identifierSchema])) as {
    [Name in Names[number]]: typeof identifierSchema;
  };
  return z.strictObject(shape);
}
