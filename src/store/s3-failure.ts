import { BadInputError, RemoteRefusedError, TransportError } from '../domain';

/** Which store an error is about, for its message: never the credentials. */
export interface S3Where {
  endpoint: string;
  bucket: string;
}

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** The system error code of a network failure (ECONNREFUSED, ENOTFOUND…), which the SDK may wrap in an error of its own. */
function networkCode(err: SdkError): string | undefined {
  for (let e: SdkError | undefined = err, depth = 0; e && depth < 4; e = e.cause as SdkError | undefined, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return /\b(E[A-Z]{3,})\b/.exec(err.message ?? '')?.[1];
}

const REFUSED_CREDENTIALS = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'InvalidToken', 'ExpiredToken', 'Forbidden']);

function statusOf(err: SdkError): number | undefined {
  return err.$metadata?.httpStatusCode;
}

/** A key that is not there (GetObject's NoSuchKey, HeadObject's bare 404), as opposed to a missing bucket. */
export function isMissingKey(err: unknown): boolean {
  const e = (err ?? {}) as SdkError;
  if (e.name === 'NoSuchBucket') return false;
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || statusOf(e) === 404;
}

/**
 * Turns what the AWS SDK threw into one of our error families, with a message that names the endpoint, the bucket
 * and what was being done, and says what to do:
 *
 * - no answer (refused, reset, timed out, DNS) or a 5xx → `TransportError`: retryable, the server may be back soon;
 * - a missing bucket → `BadInputError`;
 * - refused credentials (403 and friends) → `RemoteRefusedError` (code `S3_<name>`), not retried;
 * - any other error answer → `RemoteRefusedError`.
 *
 * `bucketCheck`: the error answers HeadBucket, whose 404 carries no body and means the bucket is missing.
 */
export function s3Failure(err: unknown, doing: string, where: S3Where, bucketCheck = false): Error {
  // Ours already (a refused key): it says what is wrong.
  if (err instanceof BadInputError || err instanceof RemoteRefusedError || err instanceof TransportError) return err;
  const e = (err ?? {}) as SdkError;
  const status = statusOf(e);
  const at = `S3 at ${where.endpoint}`;
  if (status === undefined || status >= 500 || e.name === 'TimeoutError') {
    const reason = networkCode(e) ?? (status !== undefined ? `HTTP ${status}` : e.name && e.name !== 'Error' ? e.name : (e.message ?? 'no answer'));
    return new TransportError(`${at} did not answer while ${doing} in bucket "${where.bucket}" (${reason}); check S3_ENDPOINT and that the server is up`, { cause: err });
  }
  if (e.name === 'NoSuchBucket' || (bucketCheck && status === 404)) {
    return new BadInputError(`Bucket "${where.bucket}" does not exist at ${where.endpoint}`, 'Create it, or set S3_BUCKET to a bucket that exists', { cause: err });
  }
  const name = e.name && e.name !== 'Unknown' && e.name !== 'Error' ? e.name : `HTTP ${status}`;
  if (status === 403 || REFUSED_CREDENTIALS.has(e.name ?? '')) {
    return new RemoteRefusedError(`${at} refused the credentials while ${doing} in bucket "${where.bucket}" (${name}); check S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY and the bucket's policy`, `S3_${name.replace(/\W+/g, '_')}`, doing, undefined, { cause: err });
  }
  return new RemoteRefusedError(`${at} refused ${doing} in bucket "${where.bucket}" (${name})`, `S3_${name.replace(/\W+/g, '_')}`, doing, undefined, { cause: err });
}
