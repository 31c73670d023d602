/** The projection runtime's failures, each with a stable code and the facts (never event payloads). */
import { MyMedicError } from '../shared/errors.ts';

/** A projection's apply (or the upcast before it) threw on one event; the batch was rolled back. */
export class ProjectionApplyError extends MyMedicError {
  constructor(
    readonly projection: string,
    readonly eventId: string,
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super('PROJECTION_APPLY_FAILED', `${projection} failed to apply event ${eventId} (attempt ${attempts})`, {
      projection,
      eventId,
      attempts,
      causeCode: errorCode(cause),
    });
    this.name = 'ProjectionApplyError';
  }
}

/** The tables in the database were built by another version of the projection than the running code. */
export class ProjectionVersionError extends MyMedicError {
  constructor(projection: string, codeVersion: number, tablesVersion: number) {
    super(
      'PROJECTION_VERSION_MISMATCH',
      `${projection}: the code is version ${codeVersion} but its tables were built by version ${tablesVersion}`,
      { projection, codeVersion, tablesVersion },
    );
    this.name = 'ProjectionVersionError';
  }
}

export class UnknownProjectionError extends MyMedicError {
  constructor(projection: string) {
    super('PROJECTION_UNKNOWN', `no projection named ${projection} is registered`, { projection });
    this.name = 'UnknownProjectionError';
  }
}

/** An append the caller waits for was processed, but some of its events were parked instead of applied. */
export class ProjectionEventsParkedError extends MyMedicError {
  constructor(projections: readonly string[], globalPositions: readonly number[]) {
    super('PROJECTION_EVENTS_PARKED', `events of this append were parked by ${projections.join(', ')}`, {
      projections,
      globalPositions,
    });
    this.name = 'ProjectionEventsParkedError';
  }
}

/** The stable code of any error: a MyMedicError's code, a PostgreSQL SQLSTATE, or the error's class name. */
export function errorCode(error: unknown): string {
  if (error instanceof ProjectionApplyError) return errorCode(error.cause);
  if (error instanceof MyMedicError) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code !== '') return code;
  return error instanceof Error ? error.name : 'UNKNOWN';
}

/** An error's message cut to a bounded length; callers never put payloads into parked-event records. */
export function errorMessage(error: unknown): string {
  const cause = error instanceof ProjectionApplyError ? error.cause : error;
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}
