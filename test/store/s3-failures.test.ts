import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { ExtractionCheckpoint } from '../../src/activities/checkpoint';
import { ConfigError, loadConfig } from '../../src/config';
import { freePort } from '../../src/devstack';
import { BadInputError, RemoteRefusedError, TransportError, describeError } from '../../src/domain';
import { startSummarize } from '../../src/starters/jobs';
import { S3ArtifactStore, openArtifactStore, readHistory } from '../../src/store';
import { testStack } from '../support/stack';
import { openJobSource } from '../../src/workers/sources';
import { exportFacts } from '../support/export-facts';
import { writeExport } from '../support/export-generator';
import { useS3Server } from '../support/s3-server';
import { startTestWorker } from '../support/worker';

const ROOT = resolve(__dirname, '../..');
const BUCKET = 'tgpulse-failures';
const rig = useS3Server('tgpulse-s3-failures-', BUCKET);
const s3 = (settings: ConstructorParameters<typeof S3ArtifactStore>[0]) => rig.track(new S3ArtifactStore(settings));

test('a bucket that does not exist fails the start-up check with what to do', async () => {
  const err = await s3(rig.server.settings('no-such-bucket')).check().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BadInputError);
  expect(describeError(err)).toEqual({ message: `error: Bucket "no-such-bucket" does not exist at ${rig.server.endpoint}. Create it, or set S3_BUCKET to a bucket that exists`, exitCode: 2 });
});

test('wrong credentials fail the start-up check naming the settings, and the secret is nowhere in the error', async () => {
  const secret = 'wrong-secret-0123456789abcdef';
  const err = await s3(rig.server.settings(BUCKET, { secretAccessKey: secret })).check().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(RemoteRefusedError);
  const { message, exitCode } = describeError(err);
  expect(exitCode).toBe(2);
  expect(message).toMatch(/^error: S3 at http:\/\/127\.0\.0\.1:\d+ refused the credentials while checking access in bucket "tgpulse-failures" \([^)]+\); check S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY/);
  expect(message.split('\n')).toHaveLength(1);
  expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).not.toContain(secret);
});

test('an endpoint nobody listens on fails the start-up check as unreachable (exit 3), after a bounded wait', async () => {
  const port = await freePort();
  const err = await s3(rig.server.settings(BUCKET, { endpoint: `http://127.0.0.1:${port}` })).check().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TransportError);
  expect(describeError(err)).toEqual({
    message: `error: S3 at http://127.0.0.1:${port} did not answer while checking access in bucket "tgpulse-failures" (ECONNREFUSED); check S3_ENDPOINT and that the server is up`,
    exitCode: 3,
  });
});

test('ARTIFACT_STORE=s3 without a bucket is a configuration error', () => {
  expect(() => loadConfig({ ARTIFACT_STORE: 's3' })).toThrow(ConfigError);
  expect(() => loadConfig({ ARTIFACT_STORE: 's3' })).toThrow(/S3_BUCKET \(unset\): required with ARTIFACT_STORE=s3/);
  expect(loadConfig({}).ARTIFACT_STORE).toBe('local');
});

test('openArtifactStore checks before it hands the store out', async () => {
  const base = { DATA_DIR: join(rig.dir, 'unused'), S3_ENDPOINT: rig.server.endpoint, S3_REGION: 'us-east-1', S3_PREFIX: 'open', S3_ACCESS_KEY_ID: rig.server.accessKeyId, S3_SECRET_ACCESS_KEY: rig.server.secretAccessKey, S3_FORCE_PATH_STYLE: true } as const;
  await expect(openArtifactStore({ ...base, ARTIFACT_STORE: 's3', S3_BUCKET: 'missing-bucket' })).rejects.toThrow(BadInputError);
  const store = await openArtifactStore({ ...base, ARTIFACT_STORE: 's3', S3_BUCKET: BUCKET });
  rig.track(store as S3ArtifactStore);
  expect(store.locationOf('jobs/x')).toBe(`s3://${BUCKET}/open/jobs/x`);
});

test('a worker started against a missing bucket stops at once with one line, and never prints the secret', async () => {
  const secret = rig.server.secretAccessKey;
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(ROOT, 'src/workers/main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      // Nothing listens here: the worker must stop on the store before it tries Temporal.
      TEMPORAL_ADDRESS: '127.0.0.1:1',
      // Redis is checked before the store: it answers here.
      REDIS_URL: testStack().redisUrl,
      METRICS_PORT: '0',
      ARTIFACT_STORE: 's3',
      S3_ENDPOINT: rig.server.endpoint,
      S3_BUCKET: 'missing-bucket',
      S3_ACCESS_KEY_ID: rig.server.accessKeyId,
      S3_SECRET_ACCESS_KEY: secret,
      S3_FORCE_PATH_STYLE: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  expect(out).toBe(`error: the worker cannot start: Bucket "missing-bucket" does not exist at ${rig.server.endpoint}. Create it, or set S3_BUCKET to a bucket that exists\n`);
  expect(code).toBe(2);
  expect(out).not.toContain(secret);
}, 120_000);

test('the S3 server stopped mid-extraction: the activity fails, retries, and the job finishes once it is back, every message stored once', async () => {
  const exportPath = join(rig.dir, 'export.json');
  await writeExport(exportPath, { messages: 60_000, seed: 5 });
  const facts = exportFacts(exportPath);
  const store = s3(rig.server.settings(BUCKET, { prefix: 'mid-job', requestTimeoutMs: 10_000 }));
  // Pages from the third on are written only once the server is down: the fault lands mid-extraction however fast
  // the machine is (the rest of 12 pages can be written in the time a server takes to stop).
  let serverDown!: () => void;
  const down = new Promise<void>((r) => (serverDown = r));
  const put = store.put.bind(store);
  store.put = async (...args: Parameters<typeof put>) => {
    const page = /\/history\/page-(\d+)\.jsonl$/.exec(args[0]);
    if (page && Number(page[1]) >= 2) await down;
    return put(...args);
  };
  const worker = await startTestWorker({ store, outputDir: join(rig.dir, 'out'), openSource: openJobSource, llm: null, heartbeatEveryMs: 200 });
  try {
    const handle = await startSummarize(worker.client, { TEMPORAL_TASK_QUEUE: worker.taskQueue }, { source: { kind: 'export', path: exportPath }, delivery: { kind: 'files', dir: join(rig.dir, 'out') } }, 'midjob');
    const checkpointKey = `jobs/${handle.workflowId}/history/checkpoint.json`;
    const readCheckpoint = async () => {
      const raw = await store.tryGet(checkpointKey).catch(() => null);
      return raw ? (JSON.parse(raw.toString('utf8')) as ExtractionCheckpoint) : null;
    };
    let seen: ExtractionCheckpoint | null = null;
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
      seen = await readCheckpoint();
      if (seen && seen.pages >= 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen?.pages).toBe(2);
    await rig.server.stop();
    serverDown();

    // Wait until Temporal has seen the extraction fail on the missing server and scheduled it again.
    let failure = '';
    for (const deadline = Date.now() + 120_000; Date.now() < deadline && !failure; ) {
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      const extract = pending.find((p) => p.activityType?.name === 'extractHistory');
      if (extract && (extract.attempt ?? 1) >= 2) failure = extract.lastFailure?.message ?? '';
      else await new Promise((r) => setTimeout(r, 200));
    }
    expect(failure).toMatch(/^S3 at http:\/\/127\.0\.0\.1:\d+ did not answer while (writing|reading) jobs\//);

    await rig.server.start();
    const result = await handle.result();
    expect(result.messages).toBe(facts.stored);
    const counts = new Map<number, number>();
    // Every page reads back whole (a half-written page would not parse) and no message is there twice.
    for await (const m of readHistory(store, { prefix: `jobs/${handle.workflowId}/history`, pages: Math.ceil(result.messages / 5000), messages: result.messages })) {
      counts.set(m.id, (counts.get(m.id) ?? 0) + 1);
    }
    expect(counts.size).toBe(facts.stored);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(await store.list(`jobs/${handle.workflowId}/history`)).toHaveLength(Math.ceil(result.messages / 5000) + 1);
  } finally {
    await worker.stop();
  }
}, 480_000);
