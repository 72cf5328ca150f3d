import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ExtractionCheckpoint } from '../../src/activities/checkpoint';
import { startSummarize } from '../../src/starters/jobs';
import { LocalArtifactStore, readHistory } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { exited } from '../support/child-worker';
import { testStack, uniqueName } from '../support/stack';
import { startTestWorker } from '../support/worker';

const ROOT = resolve(__dirname, '../..');
const MESSAGES = 12_000;

/** Starts `support/account-process.ts`; resolves once it polls. `output` is everything it printed. */
function spawnAccountWorker(env: Record<string, string>): { child: ChildProcess; ready: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(__dirname, 'support/account-process.ts')], {
    cwd: ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: testStack().temporalAddress, REDIS_URL: testStack().redisUrl, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<void>((resolveReady, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) resolveReady();
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`account worker exited (${code}) before it was ready: ${out}`)));
  });
  return { child, ready, output: () => out };
}

function checkpointOf(dataDir: string, jobId: string): ExtractionCheckpoint | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'jobs', jobId, 'history', 'checkpoint.json'), 'utf8')) as ExtractionCheckpoint;
  } catch {
    // Not written yet.
    return null;
  }
}

test('an account worker killed with SIGKILL mid-extraction: a fresh one resumes from the checkpoint, every message stored once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tgpulse-tgcrash-'));
  const dataDir = join(dir, 'data');
  const store = new LocalArtifactStore(dataDir);
  const tw = await startTestWorker({ outputDir: join(dir, 'out'), store, openSource: openJobSource, llm: null });
  const env = { TASK_QUEUE: tw.taskQueue, DATA_DIR: dataDir, KEY_PREFIX: `${uniqueName('crash')}:`, ACCOUNT: 'alice', MESSAGES: String(MESSAGES), RATE_RPS: '40' };
  try {
    const first = spawnAccountWorker(env);
    await first.ready;
    const handle = await startSummarize(tw.client, { TEMPORAL_TASK_QUEUE: tw.taskQueue }, { source: { kind: 'telegram', account: 'alice', chat: '@fake_builders' }, delivery: { kind: 'files', dir: join(dir, 'out') } }, 'crash');

    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && (checkpointOf(dataDir, handle.workflowId)?.pages ?? 0) < 1) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    await exited(first.child);
    const atKill = checkpointOf(dataDir, handle.workflowId);
    expect(atKill?.done).toBe(false);
    expect(atKill!.messages).toBeGreaterThanOrEqual(5000);

    // The fresh worker waits out the dead one's lease, then Temporal retries the extraction on it.
    const second = spawnAccountWorker(env);
    await second.ready;
    const result = await handle.result();
    second.child.kill('SIGTERM');
    await exited(second.child);

    expect(result.messages).toBe(MESSAGES);
    const counts = new Map<number, number>();
    for await (const m of readHistory(store, { prefix: `jobs/${handle.workflowId}/history`, pages: Math.ceil(MESSAGES / 5000), messages: MESSAGES })) counts.set(m.id, (counts.get(m.id) ?? 0) + 1);
    expect(counts.size).toBe(MESSAGES);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // It resumed rather than restarted: the fresh worker asked only for what was past the checkpoint (pages of
    // 100, and one more request that finds the end).
    const { historyCalls } = JSON.parse(second.output().trim().split('\n').pop()!) as { historyCalls: number };
    expect(historyCalls).toBe(Math.floor((MESSAGES - atKill!.messages) / 100) + 1);
  } finally {
    await tw.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
