import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startSummarize } from '../../src/starters/jobs';
import { testStack, uniqueName } from '../support/stack';
import { exited } from '../support/child-worker';

const ROOT = resolve(__dirname, '../..');
const SAMPLE = resolve(ROOT, 'samples/cohort-export/result.json');
const { PendingActivityState } = temporal.api.enums.v1;
const HEARTBEAT = temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT;

/** Waits for `probe` to return a value, checking every 250 ms, up to `ms`. */
async function waitFor<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('a worker killed in the middle of a long step', () => {
  let dir: string;
  let connection: Connection;
  let client: Client;
  const children: ChildProcess[] = [];

  const spawnStallingWorker = (taskQueue: string, stallKeys: string, name: string) => {
    const log = openSync(join(testStack().logDir, `${name}.log`), 'a');
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(__dirname, 'support/stalling-worker.ts')], {
      cwd: ROOT,
      env: { ...process.env, TEMPORAL_ADDRESS: testStack().temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, DATA_DIR: join(dir, 'data'), OUTPUT_DIR: join(dir, 'out'), STALL_KEYS: stallKeys, STALL_MS: '600000', STALL_RETRY_MS: '5000' },
      stdio: ['ignore', log, log, 'ipc'],
    });
    children.push(child);
    return new Promise<ChildProcess>((ok, fail) => {
      child.once('message', () => ok(child));
      child.once('exit', (code) => fail(new Error(`worker ${name} exited (${code}) before it was ready; see its log`)));
    });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-heartbeat-'));
    connection = await Connection.connect({ address: testStack().temporalAddress });
    client = new Client({ connection, namespace: 'default' });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await Promise.all(children.map(exited));
    await connection?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test.each([
    // The digest reads the stored history pages; the delivery reads the stored summary.
    ['digestHistory', '/history/page-'],
    ['deliverSummary', '/summary\\.json$'],
  ])('%s is taken over by another worker within seconds, through the heartbeat timeout', async (activityType, stallKeys) => {
    const taskQueue = uniqueName('tq');
    // Two workers; whichever gets the step's first attempt stalls in it (heartbeating), the other would not.
    const workers = await Promise.all([spawnStallingWorker(taskQueue, stallKeys, `${activityType}-a`), spawnStallingWorker(taskQueue, stallKeys, `${activityType}-b`)]);
    const handle = await startSummarize(client, { TEMPORAL_TASK_QUEUE: taskQueue }, { source: { kind: 'export', path: SAMPLE }, delivery: { kind: 'files' } }, activityType);

    const pending = () => handle.describe().then((d) => (d.raw.pendingActivities ?? []).find((a) => a.activityType?.name === activityType));
    // The step runs and has heartbeated: it is alive, however long it takes.
    const stalled = await waitFor(`${activityType} to run and heartbeat`, 120_000, async () => {
      const a = await pending();
      return a && a.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED && a.lastHeartbeatTime && a.lastWorkerIdentity ? a : undefined;
    });
    const pid = Number(stalled.lastWorkerIdentity!.split('@')[0]);
    const victim = workers.find((w) => w.pid === pid)!;
    expect(victim).toBeDefined();
    victim.kill('SIGKILL');
    const killedAt = Date.now();
    await exited(victim);

    // The survivor runs the step's second attempt; the first failed by heartbeat timeout, not start-to-close.
    const retried = await waitFor(`${activityType} to be retried`, 180_000, async () => {
      const a = await pending();
      return a && a.attempt! >= 2 && a.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED ? a : undefined;
    });
    const tookMs = Date.now() - killedAt;
    const result = await handle.result();

    expect(tookMs).toBeLessThan(60_000);
    expect(retried.lastFailure?.timeoutFailureInfo?.timeoutType).toBe(HEARTBEAT);
    // The run finishes as if nothing happened: its files are there.
    expect(result.files).toHaveLength(2);
    for (const f of result.files) expect(existsSync(f)).toBe(true);
    process.stdout.write(`${activityType}: killed worker's step taken over after ${(tookMs / 1000).toFixed(1)} s\n`);
  }, 400_000);
});
