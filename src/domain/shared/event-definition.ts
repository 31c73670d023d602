import type { z } from 'zod';

/**
 * How a payload field must be treated at rest:
 * - `pii`: identifies a patient (name, phone, e-mail, birth date, address, ABHA number, ...);
 * - `clinical`: free clinical text (notes, reasons, diagnoses in prose).
 * Both are encrypted with the patient's own key before the event is hashed and stored (crypto-shredding).
 */
export type Sensitivity = 'pii' | 'clinical';

/**
 * One versioned domain event type: its name (`noun.verb`, exactly as the seed spells it), the aggregate whose
 * stream it lives in, the zod schema of its payload, and the fields that must never be stored in plaintext.
 */
export interface EventDefinition<Type extends string = string, Schema extends z.ZodType = z.ZodType> {
  readonly type: Type;
  readonly schemaVersion: number;
  readonly aggregateType: string;
  readonly schema: Schema;
  readonly description: string;
  /** Dotted payload paths (`contact.phone`, `notes`) and how sensitive each is. */
  readonly sensitive: Readonly<Record<string, Sensitivity>>;
  /** Payload path of the patient whose key encrypts the sensitive fields; required when `sensitive` is non-empty. */
  readonly subjectPath?: string;
}

export type PayloadOf<D extends EventDefinition> = z.output<D['schema']>;

export function defineEvent<Type extends string, Schema extends z.ZodType>(
  definition: EventDefinition<Type, Schema>,
): EventDefinition<Type, Schema> {
  return Object.freeze(definition);
}
