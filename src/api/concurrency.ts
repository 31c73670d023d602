/**
 * Optimistic concurrency on the wire (seed §7): a stream's version travels as `ETag: "<version>"`, and a
 * command sends back the version it decided on as `If-Match`. What a missing If-Match means depends on the
 * kind of command (see docs/api.md):
 * - `create`: a new stream; If-Match must be absent; the stream must not exist (`no_stream`).
 * - `update`: changes an existing aggregate on the caller's view of it; If-Match is required (428 without).
 * - `append`: a fact that holds whatever the stream's state (a gateway's payment notice); If-Match optional.
 * `If-Match: *` means "the stream exists". Weak validators and lists are refused (RFC 9110 §13.1.1).
 */
import { ValidationError, MyMedicError } from '../shared/errors.ts';
import type { StreamId } from '../store/envelope.ts';
import { ConcurrencyError } from '../store/errors.ts';
import type { ExpectedVersion } from '../store/expected-version.ts';

export type ConcurrencyMode = 'create' | 'update' | 'append';

const STRONG_ETAG = /^"(0|[1-9][0-9]{0,15})"$/;

/** The ETag of a stream at a version. */
export function etag(version: number): string {
  return `"${version}"`;
}

/**
 * The expected version a command must append with, from its If-Match header.
 *
 * @throws ValidationError naming If-Match when it is malformed or not allowed; PreconditionRequiredError when
 *   an `update` command has none.
 */
export function expectedVersionFrom(ifMatch: string | undefined, mode: ConcurrencyMode): ExpectedVersion {
  const value = ifMatch?.trim();
  if (value === undefined || value === '') {
    if (mode === 'update') throw new PreconditionRequiredError();
    return mode === 'create' ? 'no_stream' : 'any';
  }
  if (mode === 'create') {
    throw new ValidationError('If-Match', 'must be absent when creating a stream', { in: 'header' });
  }
  if (value === '*') return 'stream_exists';
  const match = STRONG_ETAG.exec(value);
  const version = match ? Number(match[1]) : Number.NaN;
  if (!Number.isSafeInteger(version)) {
    throw new ValidationError('If-Match', 'must be one strong ETag such as "3", or *', {
      in: 'header',
      expected: '"<version>" or *',
    });
  }
  return version;
}

/**
 * For a handler that loaded the stream to decide: fails before deciding when the caller's If-Match no longer
 * holds, with the same error (and 412) as a conflicting append.
 *
 * @throws ConcurrencyError
 */
export function assertExpectedVersion(stream: StreamId, expected: ExpectedVersion, actual: number): void {
  const holds =
    expected === 'any' ||
    (expected === 'no_stream' && actual === 0) ||
    (expected === 'stream_exists' && actual > 0) ||
    expected === actual;
  if (!holds) throw new ConcurrencyError(stream, expected, actual);
}

/** An `update` command came without If-Match: the caller must say which version it decided on. */
export class PreconditionRequiredError extends MyMedicError {
  constructor() {
    super('PRECONDITION_REQUIRED', 'send If-Match with the ETag of the version you read', {
      header: 'If-Match',
    });
    this.name = 'PreconditionRequiredError';
  }
}
