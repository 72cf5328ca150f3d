import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Client } from '@temporalio/client';
import { freePort } from '../../src/devstack';
import { parseJobInput, startSummarize } from '../../src/starters/jobs';
import { LocalArtifactStore } from '../../src/store';
import { describeRunHealth } from '../../src/temporal';
import { openJobSource } from '../../src/workers';
import { testLlmSettings } from '../fakes/fake-openai-server';
import { testStack, uniqueName } from '../support/stack';
import { eventually, spawnLive, startQueueWorker, testClient } from './support/ops';

const SAMPLE = resolve(__dirname, '../../samples/cohort-export/result.json');

jest.setTimeout(240_000);

let dir: string;
let client: Client;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-health-'));
  client = await testClient(testStack().temporalAddress);
});
afterAll(async () => {
  await client?.connection.close();
  rmSync(dir, { recursive: true, force: true });
});

test('no worker on the queue: the CLI says so before it starts and while it waits, and goes on once a worker comes', async () => {
  const taskQueue = uniqueName('idle');
  const cli = spawnLive(['summarize', '--export', SAMPLE], { TEMPORAL_ADDRESS: testStack().temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, OUTPUT_DIR: join(dir, 'out') }, undefined, dir);
  try {
    await cli.waitFor(new RegExp(`warning: no worker polls task queue ${taskQueue}: start one with \`npm run worker\``));
    await cli.waitFor(new RegExp(`waiting: no worker polls task queue ${taskQueue}`));
    const worker = await startQueueWorker(testStack().temporalAddress, taskQueue, { store: new LocalArtifactStore(join(dir, 'data')), outputDir: join(dir, 'out'), openSource: openJobSource, llm: null });
    try {
      expect(await cli.exited).toBe(0);
    } finally {
      await worker.stop();
    }
    expect(cli.stderr).toMatch(/resolved: the run is moving again/);
    expect(cli.stdout).toMatch(/## Most active members/);
    expect(cli.stderr).not.toMatch(/\n\s+at /);
  } finally {
    cli.child.kill('SIGKILL');
  }
});

test('no worker holds the account a step needs: the health names the account and how to start its worker', async () => {
  const taskQueue = uniqueName('acct');
  const worker = await startQueueWorker(testStack().temporalAddress, taskQueue, { store: new LocalArtifactStore(join(dir, 'data')), outputDir: join(dir, 'out'), openSource: openJobSource, llm: null });
  const input = parseJobInput({ source: { kind: 'telegram', account: 'ghost', chat: '@some_group' }, delivery: { kind: 'files', dir: join(dir, 'out') } });
  const handle = await startSummarize(client, { TEMPORAL_TASK_QUEUE: taskQueue }, input, 'some_group');
  try {
    const health = await eventually('stuck on the account', async () => {
      const h = await describeRunHealth(handle);
      return h.state === 'stuck' ? h : undefined;
    });
    expect(health.lines).toEqual([`step extractHistory is waiting: no worker holds account "ghost" (nothing polls task queue ${taskQueue}-tg-ghost): start it with \`npm run worker:account -- --account ghost\``]);
  } finally {
    await handle.terminate('test over');
    await worker.stop();
  }
});

test('the LLM endpoint is down: the health says which step retries, which attempt, when next, and why', async () => {
  const taskQueue = uniqueName('llm');
  const deadPort = await freePort();
  const llm = testLlmSettings({ baseUrl: `http://127.0.0.1:${deadPort}/v1` }, { requestTimeoutMs: 2000 });
  const worker = await startQueueWorker(testStack().temporalAddress, taskQueue, { store: new LocalArtifactStore(join(dir, 'data')), outputDir: join(dir, 'out'), openSource: openJobSource, llm });
  const input = parseJobInput({ source: { kind: 'export', path: SAMPLE }, delivery: { kind: 'files', dir: join(dir, 'out') } });
  const handle = await startSummarize(client, { TEMPORAL_TASK_QUEUE: taskQueue }, input, 'cohort');
  try {
    const health = await eventually('a retrying step', async () => {
      const h = await describeRunHealth(handle);
      return h.state === 'retrying' ? h : undefined;
    }, 120_000);
    expect(health.lines).toHaveLength(1);
    expect(health.lines[0]).toMatch(/^step \w+ is retrying \(attempt \d+ of \d+, (next try in \d+ (s|min)|now running again)\): .+/);
    // The cause is the endpoint's, not Temporal's wrapper.
    expect(health.lines[0]).not.toMatch(/Activity task failed/);
    expect(health.lines[0]).toMatch(new RegExp(`127\\.0\\.0\\.1:${deadPort}|connect|Connection|unreachable|ECONNREFUSED`, 'i'));
  } finally {
    await handle.terminate('test over');
    await worker.stop();
  }
});

test('a closed run is closed: no lines', async () => {
  const taskQueue = uniqueName('closed');
  const input = parseJobInput({ source: { kind: 'export', path: SAMPLE }, delivery: { kind: 'files', dir: join(dir, 'out') } });
  const handle = await startSummarize(client, { TEMPORAL_TASK_QUEUE: taskQueue }, input, 'cohort');
  await handle.terminate('test over');
  expect(await describeRunHealth(handle)).toEqual({ state: 'closed', status: 'TERMINATED', lines: [] });
});
