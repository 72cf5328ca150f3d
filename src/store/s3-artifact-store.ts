import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ArtifactRef } from '../domain';
import { BadInputError } from '../domain';
import type { ArtifactStat, ArtifactStore } from './artifact-store';
import { PROBE_KEY } from './artifact-store';
import { assertArtifactKey } from './artifact-key';
import { isMissingKey, s3Failure, type S3Where } from './s3-failure';

/** Where the S3 store keeps its artifacts and how it signs in. Secrets stay in here: nothing logs this object. */
export interface S3StoreSettings {
  /** An S3-compatible endpoint (`http://minio:9000`, `https://<account>.r2.cloudflarestorage.com`); unset: AWS. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Keys are stored under this prefix (`tgpulse/`), so one bucket can hold several deployments. */
  prefix?: string;
  /** Unset: the AWS SDK's default chain (environment, profile, instance role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `bucket` in the path (`http://host/bucket/key`) instead of the host name; MinIO and SeaweedFS need it. */
  forcePathStyle?: boolean;
  /** How long one request may take before it fails (and is retried by Temporal), in ms. */
  requestTimeoutMs?: number;
}

/** Requests a store operation may make in a row for a failed request before it reports the failure. */
const MAX_ATTEMPTS = 3;
const CONNECT_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 60_000;
/** How many deletes `remove` has in flight at once. */
const DELETE_CONCURRENCY = 8;

type S3Sdk = typeof import('@aws-sdk/client-s3');

/**
 * The AWS SDK, loaded when the first S3 store is made rather than when this file is imported: it takes longer to
 * load than the rest of the CLI together, and every starter imports the store folder while most use the local store.
 */
function loadS3Sdk(): S3Sdk {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@aws-sdk/client-s3') as S3Sdk;
}

/**
 * The artifact store on an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, SeaweedFS): what lets workers on
 * several hosts share one job. A PUT replaces an object whole and atomically, so a reader never sees half a page.
 * Failures become domain errors: unreachable or 5xx → `TransportError` (Temporal retries the activity), refused
 * credentials → `RemoteRefusedError`, a missing bucket → `BadInputError`.
 *
 * @example
 * const store = new S3ArtifactStore({ endpoint: 'http://127.0.0.1:8333', region: 'us-east-1', bucket: 'tgpulse', forcePathStyle: true });
 * await store.check(); // one clear line if the bucket or credentials are wrong
 */
export class S3ArtifactStore implements ArtifactStore {
  private readonly sdk: S3Sdk;
  private readonly client: S3Client;
  private readonly where: S3Where;
  private readonly root: string;

  constructor(readonly settings: S3StoreSettings) {
    if (!settings.bucket) throw new BadInputError('S3_BUCKET is not set', 'Name the bucket the artifact store uses');
    if (!!settings.accessKeyId !== !!settings.secretAccessKey) {
      throw new BadInputError('Only one of S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY is set', 'Set both, or neither to use the AWS default credentials');
    }
    this.root = normalizePrefix(settings.prefix);
    this.where = { endpoint: settings.endpoint ?? `AWS S3 (${settings.region})`, bucket: settings.bucket };
    // The SDK warns on every start that versions after January 2027 will need Node 22; tgpulse runs on Node 20 with
    // the version its lock pins, so the warning is noise beside the worker's one start line. Set to "false" to see it.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.sdk = loadS3Sdk();
    this.client = new this.sdk.S3Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      forcePathStyle: settings.forcePathStyle ?? false,
      ...(settings.accessKeyId && settings.secretAccessKey ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } } : {}),
      maxAttempts: MAX_ATTEMPTS,
      requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: settings.requestTimeoutMs ?? REQUEST_TIMEOUT_MS },
      // Checksums only where S3 requires them: several S3-compatible servers reject the SDK's newer default trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  private objectKey(key: string): string {
    assertArtifactKey(key);
    return this.root + key;
  }

  async put(key: string, data: string | Uint8Array): Promise<ArtifactRef> {
    const body = typeof data === 'string' ? Buffer.from(data) : data;
    await this.send(`writing ${key}`, () => this.client.send(new this.sdk.PutObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key), Body: body, ContentLength: body.byteLength })));
    return { key, bytes: body.byteLength };
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await this.read(key);
    } catch (err) {
      if (isMissingKey(err)) throw new BadInputError(`Artifact ${key} is not in bucket "${this.settings.bucket}"`, 'It was never written or has been removed', { cause: err });
      throw s3Failure(err, `reading ${key}`, this.where);
    }
  }

  async tryGet(key: string): Promise<Buffer | null> {
    try {
      return await this.read(key);
    } catch (err) {
      if (isMissingKey(err)) return null;
      throw s3Failure(err, `reading ${key}`, this.where);
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new this.sdk.HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
      return true;
    } catch (err) {
      if (isMissingKey(err)) return false;
      throw s3Failure(err, `looking up ${key}`, this.where);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const folder = prefix.replace(/\/+$/, '');
    const start = `${this.objectKey(folder)}/`;
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.send(`listing ${folder}`, () =>
        this.client.send(new this.sdk.ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: start, ...(token ? { ContinuationToken: token } : {}) })),
      );
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key.slice(this.root.length));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async stat(key: string): Promise<ArtifactStat | null> {
    try {
      const head = await this.client.send(new this.sdk.HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
      return { bytes: head.ContentLength ?? 0, modifiedMs: head.LastModified?.getTime() ?? 0 };
    } catch (err) {
      if (isMissingKey(err)) return null;
      throw s3Failure(err, `looking up ${key}`, this.where);
    }
  }

  async remove(prefixOrKey: string): Promise<void> {
    const key = prefixOrKey.replace(/\/+$/, '');
    // One DELETE per object rather than DeleteObjects: the batch call needs a Content-MD5 some servers insist on
    // and others refuse; removal is rare (pages an interrupted attempt wrote past its checkpoint).
    const keys = [key, ...(await this.list(key))];
    for (let i = 0; i < keys.length; i += DELETE_CONCURRENCY) {
      await Promise.all(
        keys.slice(i, i + DELETE_CONCURRENCY).map((k) => this.send(`removing ${k}`, () => this.client.send(new this.sdk.DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(k) })))),
      );
    }
  }

  async copyToFile(key: string, path: string): Promise<void> {
    const body = await this.get(key);
    const tmp = `${path}.${randomUUID()}.tmp`;
    try {
      // Owner-only, like the local store's files: chat data.
      await writeFile(tmp, body, { mode: 0o600 });
      await rename(tmp, path);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  locationOf(key: string): string {
    return `s3://${this.settings.bucket}/${this.objectKey(key)}`;
  }

  /** The bucket exists, the credentials may write, read back and delete under the prefix. */
  async check(): Promise<void> {
    await this.send('checking access', () => this.client.send(new this.sdk.HeadBucketCommand({ Bucket: this.settings.bucket })), { bucketCheck: true });
    await this.put(PROBE_KEY, 'probe');
    await this.get(PROBE_KEY);
    await this.remove(PROBE_KEY);
  }

  /** Closes the client's connections (a worker that stops, a test). */
  close(): void {
    this.client.destroy();
  }

  private async read(key: string): Promise<Buffer> {
    const out = await this.client.send(new this.sdk.GetObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }));
    return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : Buffer.alloc(0);
  }

  /** Runs one call, turning what S3 or the network threw into a domain error that names the operation. */
  private async send<T>(doing: string, call: () => Promise<T>, opts: { bucketCheck?: boolean } = {}): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw s3Failure(err, doing, this.where, opts.bucketCheck ?? false);
    }
  }
}

function normalizePrefix(prefix: string | undefined): string {
  const p = (prefix ?? '').replace(/^\/+|\/+$/g, '');
  if (p === '') return '';
  assertArtifactKey(p);
  return `${p}/`;
}
