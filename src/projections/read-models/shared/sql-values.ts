/** Turning database values into the plain JSON-ready values read-model queries answer with. */

/** An instant as ISO 8601 (timestamptz columns arrive as Date). */
export function isoOf(value: Date): string {
  return value.toISOString();
}

export function isoOrNull(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}
