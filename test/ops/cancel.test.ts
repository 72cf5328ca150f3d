import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type Redis from 'ioredis';
import { historyPrefix } from '../../src/activities';
import type { CallGuard, SafeCallOptions, TelegramOp } from '../../src/limiter';
import { createLimiterRedis } from '../../src/limiter';
import { parseJobInput, startSummarize } from '../../src/starters/jobs';
import { LocalArtifactStore, readHistoryPage } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { testLlmSettings } from '../fakes/fake-openai-server';
import { FakeTelegram, fakeMessages } from '../fakes/fake-telegram';
import { runCli } from '../support/cli';
import { testStack, uniqueName } from '../support/stack';
import { startFakeAccountWorker } from '../telegram-pipeline/support/fake-account';
import { eventually, startQueueWorker, testClient } from './support/ops';

jest.setTimeout(240_000);

const SAMPLE = resolve(__dirname, '../../samples/cohort-export/result.json');

/** A limiter stand-in that lets one Telegram call through every `gapMs`, records each, and hears the abort. */
class SlowGuard implements CallGuard {
  /** When each Telegram call went out, on the monotonic clock (elapsed time only, never a date). */
  readonly calls: number[] = [];
  abortedAt: number | undefined;
  constructor(private readonly gapMs: number) {}
  async safeCall<T>(_account: string, _op: TelegramOp, _method: string, fn: () => Promise<T>, opts: SafeCallOptions<T> = {}): Promise<T> {
    const signal = opts.signal;
    // An abort that came between two calls (while a page was written) is heard here.
    if (signal?.aborted) {
      this.abortedAt ??= performance.now();
      throw signal.reason as Error;
    }
    await new Promise<void>((resolvePromise, reject) => {
      const t = setTimeout(resolvePromise, this.gapMs);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        this.abortedAt ??= performance.now();
        reject(signal.reason as Error);
      }, { once: true });
    });
    this.calls.push(performance.now());
    return fn();
  }
}

let dir: string;
let store: LocalArtifactStore;
let client: Client;
let redis: Redis;
let connection: NativeConnection;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-cancel-'));
  store = new LocalArtifactStore(join(dir, 'data'));
  client = await testClient(testStack().temporalAddress);
  redis = createLimiterRedis(testStack().redisUrl);
  connection = await NativeConnection.connect({ address: testStack().temporalAddress });
  env = { TEMPORAL_ADDRESS: testStack().temporalAddress };
});
afterAll(async () => {
  await connection?.close();
  redis?.disconnect();
  await client?.connection.close();
  rmSync(dir, { recursive: true, force: true });
});

test('cancel mid-extraction: the run ends CANCELLED, its Telegram reads stop within seconds, the stored pages stay whole', async () => {
  const taskQueue = uniqueName('cancel-tg');
  const guard = new SlowGuard(100);
  const telegram = new FakeTelegram({ account: 'slow', messages: fakeMessages(30_000), guard });
  const general = await startQueueWorker(testStack().temporalAddress, taskQueue, { store, outputDir: join(dir, 'out'), openSource: openJobSource, llm: null });
  const account = await startFakeAccountWorker({ connection, taskQueue, account: 'slow', telegram, store, redis, prefix: `${uniqueName('cancel')}:` });
  try {
    const input = parseJobInput({ source: { kind: 'telegram', account: 'slow', chat: '@fake_builders' }, delivery: { kind: 'files', dir: join(dir, 'out') } });
    const handle = await startSummarize(client, { TEMPORAL_TASK_QUEUE: taskQueue }, input, 'fake_builders');
    const prefix = historyPrefix(handle.workflowId);
    // Past the first stored page (5,000 messages, 50 calls), well before the end (300 calls).
    await eventually('a first stored page', async () => ((await store.tryGet(`${prefix}/checkpoint.json`)) ? true : undefined));
    const r = await runCli(['cancel', handle.workflowId], env, dir);
    const cancelled = performance.now();
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(new RegExp(`^cancel requested for ${handle.workflowId}\nWeb UI: http://\\S+/namespaces/default/workflows/${handle.workflowId}/[0-9a-f-]{36}/history\n${handle.workflowId}: CANCELLED\n$`));

    // The extraction hears the cancellation (its heartbeats carry it) and stops calling Telegram.
    await eventually('the extraction to stop', async () => (guard.abortedAt !== undefined ? true : undefined), 30_000);
    // Heartbeats go out at least every 2 s while a cancel is pending; the run's 20 s heartbeat timeout would be later.
    expect(guard.abortedAt! - cancelled).toBeLessThan(15_000);
    const callsAtStop = guard.calls.length;
    expect(callsAtStop).toBeLessThan(300);
    await new Promise((r2) => setTimeout(r2, 3000));
    expect(guard.calls.length).toBe(callsAtStop);
    expect(guard.calls.filter((t) => t > guard.abortedAt!)).toEqual([]);

    // What was stored is whole: every page the checkpoint counts reads back, in order, without gaps.
    const cp = JSON.parse((await store.get(`${prefix}/checkpoint.json`)).toString('utf8')) as { pages: number; messages: number; done: boolean };
    expect(cp.done).toBe(false);
    const ids: number[] = [];
    for (let i = 0; i < cp.pages; i++) ids.push(...(await readHistoryPage(store, prefix, i)).map((m) => m.id));
    expect(ids).toHaveLength(cp.messages);
    expect(ids).toEqual(Array.from({ length: cp.messages }, (_, i) => ids[0]! + i));
  } finally {
    await account.stop();
    await general.stop();
  }
});

/**
 * An OpenAI-compatible endpoint that never answers: it counts the requests that reach it and notes when the client
 * gives one up (closes its connection).
 */
async function silentModel(): Promise<{ baseUrl: string; requests: number; dropped: number[]; close(): Promise<void> }> {
  const state = { requests: 0, dropped: [] as number[] };
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req) => {
    state.requests++;
    req.socket.once('close', () => state.dropped.push(performance.now()));
  });
  server.on('connection', (s) => (sockets.add(s), s.once('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return state.requests;
    },
    dropped: state.dropped,
    close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
  };
}

test('cancel mid-summary: the LLM request in flight is dropped within seconds and no other is sent', async () => {
  const taskQueue = uniqueName('cancel-llm');
  const model = await silentModel();
  const general = await startQueueWorker(testStack().temporalAddress, taskQueue, { store, outputDir: join(dir, 'out'), openSource: openJobSource, llm: testLlmSettings(model, { requestTimeoutMs: 600_000, concurrency: 1 }) });
  try {
    const input = parseJobInput({ source: { kind: 'export', path: SAMPLE }, delivery: { kind: 'files', dir: join(dir, 'out') } });
    const handle = await startSummarize(client, { TEMPORAL_TASK_QUEUE: taskQueue }, input, 'cohort');
    await eventually('a first LLM request', async () => (model.requests > 0 ? true : undefined));
    const r = await runCli(['cancel', handle.workflowId], env, dir);
    const cancelled = performance.now();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`${handle.workflowId}: CANCELLED\n$`));
    // The activity learns of it from a heartbeat and aborts its request: the model sees the connection dropped.
    await eventually('the request to be dropped', async () => (model.dropped.length > 0 ? true : undefined), 30_000);
    expect(model.dropped[0]! - cancelled).toBeLessThan(15_000);
    await eventually('the worker to have nothing running', async () => (general.worker.getStatus().numInFlightActivities === 0 ? true : undefined), 30_000);
    const sent = model.requests;
    await new Promise((r2) => setTimeout(r2, 3000));
    expect(model.requests).toBe(sent);
  } finally {
    await general.stop();
    await model.close();
  }
});

test('cancel of a finished run or of no run: one line each, nothing changes', async () => {
  const none = await runCli(['cancel', 'summarize-nothing-00000000'], env, dir);
  expect({ code: none.code, stderr: none.stderr }).toEqual({ code: 2, stderr: 'error: no run summarize-nothing-00000000; list runs with tgpulse runs\n' });
  const input = parseJobInput({ source: { kind: 'export', path: SAMPLE }, delivery: { kind: 'files', dir: join(dir, 'out') } });
  const handle = await startSummarize(client, { TEMPORAL_TASK_QUEUE: uniqueName('nobody') }, input, 'cohort');
  await handle.terminate('test over');
  const done = await runCli(['cancel', handle.workflowId], env, dir);
  expect({ code: done.code, stdout: done.stdout }).toEqual({ code: 0, stdout: `${handle.workflowId} is not running (TERMINATED): nothing to cancel\n` });
});

test('cancel with no worker to carry it out: says the run is still stopping and why, exit 1', async () => {
  const taskQueue = uniqueName('nobody');
  const input = parseJobInput({ source: { kind: 'export', path: SAMPLE }, delivery: { kind: 'files', dir: join(dir, 'out') } });
  const handle = await startSummarize(client, { TEMPORAL_TASK_QUEUE: taskQueue }, input, 'cohort');
  try {
    const r = await runCli(['cancel', handle.workflowId, '--wait', '1'], env, dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`${handle.workflowId} is still stopping after 1 s: no worker polls task queue ${taskQueue}`));
  } finally {
    await handle.terminate('test over');
  }
});
