import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { findBinary, freePort, isExecutable, waitForPort } from '../../src/devstack';
import type { S3StoreSettings } from '../../src/store';

/** Where `scripts/install-deps.sh` builds SeaweedFS's `weed` when it is not on PATH. */
export const WEED_CACHE_BIN = join(homedir(), '.cache', 'tgpulse', 'bin', 'weed');

/** The `weed` binary: WEED_PATH, PATH, or the install script's cache folder. Throws saying how to install it. */
export function weedBinary(): string {
  const found = findBinary('weed', 'WEED_PATH') ?? (isExecutable(WEED_CACHE_BIN) ? WEED_CACHE_BIN : null);
  if (!found) throw new Error(`SeaweedFS (weed) is not installed: run scripts/install-deps.sh (it builds it into ${WEED_CACHE_BIN}) or set WEED_PATH`);
  return found;
}

/** A real S3-compatible server (SeaweedFS: master, volume, filer and S3 gateway in one process) for a test. */
export interface S3TestServer {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly logFile: string;
  /** Store settings for `bucket` on this server, with its credentials. */
  settings(bucket: string, extra?: Partial<S3StoreSettings>): S3StoreSettings;
  createBucket(name: string): Promise<void>;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s). Its data stays, for {@link S3TestServer.start}. */
  stop(): Promise<void>;
  /** Starts it again on the same ports and data, and waits until it answers S3 requests. */
  start(): Promise<void>;
}

/**
 * Starts SeaweedFS's `weed server -filer -s3` on free loopback ports, with one identity (random keys) so that wrong
 * credentials are refused, and waits until it answers S3 requests. Its data lives under `dir`.
 */
export async function startS3Server(opts: { dir: string; readyTimeoutMs?: number }): Promise<S3TestServer> {
  const bin = weedBinary();
  const dataDir = join(opts.dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const accessKeyId = `tgpulse${randomBytes(6).toString('hex')}`;
  const secretAccessKey = randomBytes(20).toString('hex');
  const configFile = join(opts.dir, 's3.json');
  writeFileSync(configFile, JSON.stringify({ identities: [{ name: 'tgpulse', credentials: [{ accessKey: accessKeyId, secretKey: secretAccessKey }], actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'] }] }));
  const ports: Record<string, number> = {};
  // Every port chosen here (the gRPC ones too, whose defaults are +10000): two suites at once never collide.
  for (const name of ['master.port', 'master.port.grpc', 'volume.port', 'volume.port.grpc', 'filer.port', 'filer.port.grpc', 's3.port', 's3.port.grpc']) ports[name] = await freePort();
  const args = ['server', `-dir=${dataDir}`, '-ip=127.0.0.1', '-ip.bind=127.0.0.1', '-filer', '-s3', `-s3.config=${configFile}`];
  args.push('-s3.port.iceberg=0', '-s3.port.lance=0', '-master.telemetry=false', '-s3.autoCreateBucket=false', '-master.volumeSizeLimitMB=32', '-volume.max=64');
  for (const [name, port] of Object.entries(ports)) args.push(`-${name}=${port}`);
  const endpoint = `http://127.0.0.1:${ports['s3.port']}`;
  const logFile = join(opts.dir, 'weed.log');
  // A client per use: nothing stays open after the server is stopped.
  const withAdmin = async <T>(use: (admin: S3Client) => Promise<T>): Promise<T> => {
    const admin = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
    try {
      return await use(admin);
    } finally {
      admin.destroy();
    }
  };
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const log = openSync(logFile, 'a');
    const proc = spawn(bin, args, { stdio: ['ignore', log, log] });
    closeSync(log);
    child = proc;
    const exited = new Promise<never>((_, reject) => proc.once('exit', (code, signal) => reject(new Error(`weed exited (${signal ?? `code ${code}`}) before it served S3; see ${logFile}`))));
    exited.catch(() => undefined);
    const timeoutMs = opts.readyTimeoutMs ?? 120_000;
    const deadline = Date.now() + timeoutMs;
    await Promise.race([waitForPort(ports['s3.port']!, 'SeaweedFS S3', timeoutMs), exited]);
    // The port opens before the filer behind it is ready: wait until a real request is answered.
    for (;;) {
      try {
        await Promise.race([withAdmin((admin) => admin.send(new ListBucketsCommand({}))), exited]);
        return;
      } catch (err) {
        if (proc.exitCode !== null || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  };

  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
      const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
      proc.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      proc.kill('SIGTERM');
    });

  try {
    await start();
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    endpoint,
    accessKeyId,
    secretAccessKey,
    logFile,
    settings: (bucket, extra = {}) => ({ endpoint, region: 'us-east-1', bucket, accessKeyId, secretAccessKey, forcePathStyle: true, ...extra }),
    createBucket: async (name) => {
      await withAdmin((admin) => admin.send(new CreateBucketCommand({ Bucket: name })));
    },
    stop: async () => {
      await stop();
    },
    start,
  };
}

/** A suite's SeaweedFS with one bucket, in a temporary folder of its own (see {@link useS3Server}). */
export interface S3Rig {
  /** The suite's temporary folder (the server's data is in `weed/` under it). */
  dir: string;
  server: S3TestServer;
  /** Closes `store` when the suite ends; returns it. */
  track<T extends { close(): void }>(store: T): T;
}

/**
 * Starts a SeaweedFS with `bucket` before the suite and stops it after, closing every store the suite tracked.
 * Read its fields inside tests (they are set once `beforeAll` has run).
 */
export function useS3Server(dirPrefix: string, bucket: string): S3Rig {
  const opened: { close(): void }[] = [];
  const rig = {
    track<T extends { close(): void }>(store: T): T {
      opened.push(store);
      return store;
    },
  } as S3Rig;
  beforeAll(async () => {
    rig.dir = mkdtempSync(join(tmpdir(), dirPrefix));
    rig.server = await startS3Server({ dir: join(rig.dir, 'weed') });
    await rig.server.createBucket(bucket);
  }, 180_000);
  afterAll(async () => {
    for (const s of opened) s.close();
    await rig.server?.stop();
    if (rig.dir) rmSync(rig.dir, { recursive: true, force: true });
  });
  return rig;
}
