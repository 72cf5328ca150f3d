import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { ExtractionCheckpoint } from '../../src/activities/checkpoint';
import { startSummarize } from '../../src/starters/jobs';
import { S3ArtifactStore, readHistory } from '../../src/store';
import { exited, spawnWorker } from '../support/child-worker';
import { exportFacts } from '../support/export-facts';
import { writeExport } from '../support/export-generator';
import { startS3Server, type S3TestServer } from '../support/s3-server';
import { testStack, uniqueName } from '../support/stack';

// Two workers as two hosts: each its own DATA_DIR (its own disk), one S3 bucket between them. Before the S3 store,
// the second worker failed with ENOENT on pages the first had written to its own disk.

const BUCKET = 'tgpulse-two-hosts';
let dir: string;
let server: S3TestServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-two-hosts-'));
  server = await startS3Server({ dir: join(dir, 'weed') });
  await server.createBucket(BUCKET);
}, 180_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Files under a folder, recursively (a host's disk, to show the job left nothing there). */
function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

test('two workers with separate disks share one S3 store: the second resumes the first one\'s extraction and finishes the job', async () => {
  const exportPath = join(dir, 'export.json');
  await writeExport(exportPath, { messages: 100_000, seed: 23 });
  const facts = exportFacts(exportPath);
  const [disk1, disk2] = ['host-1', 'host-2'].map((d) => join(dir, d)) as [string, string];
  for (const d of [disk1, disk2]) mkdirSync(d);
  const prefix = uniqueName('two-hosts');
  const s3Env = {
    ARTIFACT_STORE: 's3',
    S3_ENDPOINT: server.endpoint,
    S3_BUCKET: BUCKET,
    S3_PREFIX: prefix,
    S3_ACCESS_KEY_ID: server.accessKeyId,
    S3_SECRET_ACCESS_KEY: server.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
  };
  const store = new S3ArtifactStore(server.settings(BUCKET, { prefix }));
  const taskQueue = uniqueName('two-hosts');
  const connection = await Connection.connect({ address: testStack().temporalAddress });
  const client = new Client({ connection });
  try {
    const first = spawnWorker({ ...s3Env, TEMPORAL_TASK_QUEUE: taskQueue, DATA_DIR: join(disk1, 'data'), OUTPUT_DIR: join(disk1, 'out') }, 'two-hosts-worker-1');
    const handle = await startSummarize(client, { TEMPORAL_TASK_QUEUE: taskQueue }, { source: { kind: 'export', path: exportPath }, delivery: { kind: 'files' } }, 'two-hosts');
    const checkpointKey = `jobs/${handle.workflowId}/history/checkpoint.json`;

    // Stop the first host once it has stored a few pages in the bucket, far from the end of the extraction.
    let seen: ExtractionCheckpoint | null = null;
    for (const deadline = Date.now() + 180_000; Date.now() < deadline; ) {
      const raw = await store.tryGet(checkpointKey);
      seen = raw ? (JSON.parse(raw.toString('utf8')) as ExtractionCheckpoint) : null;
      if (seen && seen.pages >= 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    first.kill('SIGKILL');
    await exited(first);
    const atKill = JSON.parse((await store.get(checkpointKey)).toString('utf8')) as ExtractionCheckpoint;
    expect(atKill.done).toBe(false);
    expect(atKill.pages).toBeGreaterThanOrEqual(2);

    const second = spawnWorker({ ...s3Env, TEMPORAL_TASK_QUEUE: taskQueue, DATA_DIR: join(disk2, 'data'), OUTPUT_DIR: join(disk2, 'out') }, 'two-hosts-worker-2');
    try {
      const result = await handle.result();
      expect(result.messages).toBe(facts.stored);
      // The digest, written by the second host from pages both hosts wrote, is delivered into its own OUTPUT_DIR.
      const out = join(disk2, 'out');
      expect(result.files.map((f) => f.slice(out.length + 1)).sort()).toEqual(readdirSync(out).sort());
      const json = JSON.parse(readFileSync(result.files.find((f) => f.endsWith('.json'))!, 'utf8')) as { sections: unknown[] };
      expect(json.sections.length).toBeGreaterThan(0);

      // Every message is in the bucket exactly once: the second host went on from the first one's checkpoint.
      const counts = new Map<number, number>();
      for await (const m of readHistory(store, { prefix: `jobs/${handle.workflowId}/history`, pages: Math.ceil(result.messages / 5000), messages: result.messages })) {
        counts.set(m.id, (counts.get(m.id) ?? 0) + 1);
      }
      expect(counts.size).toBe(facts.stored);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(await store.exists(`jobs/${handle.workflowId}/summary.json`)).toBe(true);

      // Steps ran on both hosts: the extraction's last attempt is not its first, and neither disk holds job data
      // (only the delivered result files, in the second host's OUTPUT_DIR).
      const events = (await handle.fetchHistory()).events ?? [];
      const attempts = events.map((e) => e.activityTaskStartedEventAttributes?.attempt).filter((a): a is number => typeof a === 'number');
      expect(Math.max(...attempts)).toBeGreaterThanOrEqual(2);
      const identities = new Set(events.map((e) => e.activityTaskStartedEventAttributes?.identity).filter(Boolean));
      // The Temporal SDK names a worker `<pid>@<host>`: the job's last activities ran in the second process.
      expect(identities).toContain(`${second.pid}@${hostname()}`);
      expect([...filesUnder(disk1), ...filesUnder(join(disk2, 'data'))].filter((f) => f.includes(handle.workflowId))).toEqual([]);
    } finally {
      second.kill('SIGTERM');
      await exited(second);
    }
  } finally {
    store.close();
    await connection.close();
  }
}, 600_000);
