/**
 * Why patient data is read (HL7 v3 PurposeOfUse codes), recorded with every disclosure. A caller states it
 * in the `X-Purpose-Of-Use` header; without one, its role's default applies.
 */
import { ValidationError } from '../shared/errors.ts';

export const PURPOSES_OF_USE = {
  TREAT: 'treatment',
  ETREAT: 'emergency treatment',
  HPAYMT: 'healthcare payment',
  HOPERAT: 'healthcare operations',
  HCOMPL: 'health compliance (audit)',
  HLEGAL: 'legal',
  PATRQT: 'request of the patient',
  HRESCH: 'healthcare research',
} as const;

export type PurposeOfUse = keyof typeof PURPOSES_OF_USE;

export const PURPOSE_HEADER = 'x-purpose-of-use';

/** @throws ValidationError naming the header when the value is not one of PURPOSES_OF_USE. */
export function parsePurposeOfUse(value: string): PurposeOfUse {
  if (!Object.hasOwn(PURPOSES_OF_USE, value)) {
    throw new ValidationError(
      'X-Purpose-Of-Use',
      `must be one of ${Object.keys(PURPOSES_OF_USE).join(', ')}`,
      {
        in: 'header',
      },
    );
  }
  return value as PurposeOfUse;
}
