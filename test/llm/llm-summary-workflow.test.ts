import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLlmActivities } from '../../src/activities/llm';
import { messageLink, Summary, type ChatMessage, type HistoryRef } from '../../src/domain';
import type { LlmSettings } from '../../src/llm';
import { HISTORY_PAGE_SIZE, LocalArtifactStore, writeHistoryPage } from '../../src/store';
import { between, startFakeOpenAi, type FakeOpenAi, testLlmSettings } from '../fakes/fake-openai-server';
import { testStack, uniqueName } from '../support/stack';
import { buildChat, PUBLIC_CHAT } from './chat-builder';
import { plantFacts } from './planted-history';
import type { llmSummaryTest } from './llm-workflows';
import { quietSdkLogs } from '../support/temporal-test-env';

let bundle: WorkflowBundleWithSourceMap;
let native: NativeConnection;
let connection: Connection;
let client: Client;
let dir: string;
let store: LocalArtifactStore;
let fake: FakeOpenAi;

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

beforeAll(async () => {
  quietSdkLogs();
  const { temporalAddress } = testStack();
  [bundle, native, connection] = await Promise.all([
    bundleWorkflowCode({ workflowsPath: require.resolve('./llm-workflows'), logger: quiet }),
    NativeConnection.connect({ address: temporalAddress }),
    Connection.connect({ address: temporalAddress }),
  ]);
  client = new Client({ connection });
  dir = await mkdtemp(join(tmpdir(), 'tgpulse-llm-wf-'));
  store = new LocalArtifactStore(dir);
});

afterAll(async () => {
  await connection?.close();
  await native?.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  fake = await startFakeOpenAi();
});
afterEach(() => fake.close());

function settings(over: Partial<LlmSettings> = {}): LlmSettings {
  return testLlmSettings(fake, { concurrency: 4, maxTokensPerJob: 50_000_000, requestTimeoutMs: 30_000, ...over });
}

async function storeHistory(messages: ChatMessage[]): Promise<HistoryRef> {
  const prefix = `${uniqueName('jobs/h')}/history`;
  let pages = 0;
  for (let i = 0; i < messages.length; i += HISTORY_PAGE_SIZE) await writeHistoryPage(store, prefix, pages++, messages.slice(i, i + HISTORY_PAGE_SIZE));
  return { prefix, pages, messages: messages.length };
}

async function run(history: HistoryRef, over: Partial<LlmSettings> = {}, prompt?: string) {
  const taskQueue = uniqueName('llm');
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: bundle,
    activities: createLlmActivities({ store, settings: settings(over) }),
  });
  const jobId = uniqueName('job');
  const result = await worker.runUntil(
    client.workflow.execute<typeof llmSummaryTest>('llmSummaryTest', { taskQueue, workflowId: jobId, args: [{ jobId, history, chat: PUBLIC_CHAT, prompt }] }),
  );
  const summary = Summary.parse(JSON.parse((await store.get(result.summaryKey)).toString('utf8')));
  return { result, summary, jobId };
}

/** Ids of the messages the successful chunk requests carried, in the order sent. */
function idsSentInChunks(f: FakeOpenAi, refused = new Set<number>()): number[] {
  return f.requests
    .filter((r, i) => r.kind === 'map' && !refused.has(i))
    .flatMap((r) => [...between(r.user, 'chat_messages')!.matchAll(/^#(\d+)(?! \(part)/gm)].map((m) => Number(m[1])));
}

test('a 20,000-message history is summarized in full, map then reduce in rounds, every link a real message', async () => {
  const messages = buildChat(20_000);
  const byId = new Map(messages.map((m) => [m.id, m]));
  const { result, summary } = await run(await storeHistory(messages), {}, 'What were the main decisions?');

  // Every message was read, once.
  expect(idsSentInChunks(fake).sort((a, b) => a - b)).toEqual(messages.map((m) => m.id));
  const maps = fake.requests.filter((r) => r.kind === 'map').length;
  const reduces = fake.requests.filter((r) => r.kind === 'reduce').length;
  expect(maps).toBe(result.chunks);
  // Too many partials for one merge: the reduce ran in more than one round.
  expect(reduces).toBeGreaterThan(1);

  expect(summary.title).toBe('Summary: What were the main decisions?');
  const points = summary.sections.flatMap((s) => s.points);
  expect(points.length).toBeGreaterThan(3);
  for (const p of points) {
    expect(p.messageIds.length).toBeGreaterThan(0);
    for (const id of p.messageIds) {
      expect(byId.has(id)).toBe(true);
      const link = messageLink(PUBLIC_CHAT, id)!;
      expect(link).toBe(`https://t.me/buildersclub/${id}`);
      expect(byId.get(Number(link.split('/').pop()))!.id).toBe(id);
    }
  }

  // Usage is what the endpoint billed, and no more than the estimate.
  const billed = fake.requests.reduce((sum, r) => sum + r.promptTokens, 0);
  expect(result.usage.promptTokens).toBe(billed);
  expect(result.usage.calls).toBe(fake.requests.length);
  expect(summary.usage).toEqual(result.usage);
  expect(result.usage.promptTokens + result.usage.completionTokens).toBeLessThanOrEqual(result.estimatedTokens);
  expect(result.droppedIds).toBe(0);
});

test('a 429 and a 500, each with Retry-After, are retried by Temporal, and the job completes', async () => {
  const messages = buildChat(600);
  fake.script({ when: (r) => r.kind === 'map', respond: { status: 429, headers: { 'retry-after': '1' } } });
  fake.script({ when: (r) => r.kind === 'map', respond: { status: 500, headers: { 'retry-after': '1' } } });
  const started = Date.now();
  const { result, summary } = await run(await storeHistory(messages), { concurrency: 1 });
  expect(summary.sections.length).toBeGreaterThan(0);
  expect(fake.requests.length).toBe(result.usage.calls + 2);
  // Each retry waited for the server's Retry-After.
  expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
});

test('a server with a smaller context than configured: refused chunks are split, nothing is lost', async () => {
  const messages = buildChat(1500);
  fake.options.contextTokens = 5000;
  const { result } = await run(await storeHistory(messages));
  const refused = new Set(fake.requests.map((r, i) => (r.promptTokens + 1024 > 5000 ? i : -1)).filter((i) => i >= 0));
  expect(refused.size).toBeGreaterThan(0);
  expect(idsSentInChunks(fake, refused).sort((a, b) => a - b)).toEqual(messages.map((m) => m.id));
  expect(result.usage.calls).toBe(fake.requests.length - refused.size);
});

test('a job over MAX_TOKENS_PER_JOB fails before any model call, with the estimate', async () => {
  const history = await storeHistory(buildChat(3000));
  const err = (await run(history, { maxTokensPerJob: 10_000 }).catch((e: unknown) => e)) as WorkflowFailedError;
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = err.cause?.cause as ApplicationFailure;
  expect(cause.type).toBe('TokenBudgetExceeded');
  expect(cause.message).toMatch(/up to [\d,]+ tokens .* MAX_TOKENS_PER_JOB \(10,000\)/);
  expect(fake.requests).toHaveLength(0);
});

/** Each fact the findings name, with their ids. */
function factIds(points: { text: string; messageIds: number[] }[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const p of points) for (const fact of new Set(p.text.match(/\bFACT-\d+\b/g) ?? [])) out.set(fact, [...(out.get(fact) ?? []), ...p.messageIds].sort((a, b) => a - b));
  return out;
}

test('a part with more findings than one reply holds is cut at the length limit, split, and no finding is lost', async () => {
  const messages = buildChat(3000);
  const facts = plantFacts(messages, 150);
  fake.options.model = 'extractor';
  fake.options.contextTokens = 8192;
  const { result, summary } = await run(await storeHistory(messages), { maxOutputTokens: 300 });
  const cut = fake.requests.filter((r) => r.finishReason === 'length');
  expect(cut.length).toBeGreaterThan(0);
  expect(cut.every((r) => r.kind === 'map')).toBe(true);
  // The cut chunks were summarized again in smaller parts: more map calls than chunks planned.
  expect(fake.requests.filter((r) => r.kind === 'map' && r.finishReason === 'stop').length).toBeGreaterThan(result.chunks);
  const found = factIds(summary.findings!);
  expect(found.size).toBe(150);
  for (const [fact, ids] of facts) expect(found.get(fact)).toEqual([...ids].sort((a, b) => a - b));
  // The cut replies were paid for: they are in the usage.
  expect(result.usage.calls).toBe(fake.requests.length);
  expect(result.usage.completionTokens).toBe(fake.requests.reduce((sum, r) => sum + (r.completionTokens ?? 0), 0));
});

test('a merge that writes past the length limit is asked again for fewer points', async () => {
  const messages = buildChat(3000);
  plantFacts(messages, 40);
  fake.options.model = 'extractor';
  // The first merge ignores how many points it has room for and repeats every one ten times.
  fake.script({
    when: (r) => r.kind === 'reduce',
    respond: { mutate: (s) => ({ ...s, sections: s.sections.map((x) => ({ ...x, points: Array.from({ length: 10 }, () => x.points).flat() })) }) },
  });
  const { result, summary } = await run(await storeHistory(messages), { maxOutputTokens: 400 });
  const merges = fake.requests.filter((r) => r.kind === 'reduce');
  const first = merges.findIndex((r) => r.finishReason === 'length');
  expect(first).toBeGreaterThanOrEqual(0);
  // The same merge again, with half the room.
  const again = merges.slice(first + 1).find((r) => r.user === merges[first]!.user)!;
  const room = (r: (typeof merges)[number]) => Number(/at most (\d+) points/.exec(r.system)?.[1] ?? /room for all (\d+) points/.exec(r.system)?.[1]);
  expect(again.finishReason).toBe('stop');
  expect(room(again)).toBeLessThanOrEqual(Math.ceil(room(merges[first]!) / 2));
  expect(summary.findings).toHaveLength(40);
  expect(result.usage.calls).toBe(fake.requests.length);
});

test('a model that never keeps a merge within the length limit fails the job with what to change', async () => {
  const messages = buildChat(3000);
  plantFacts(messages, 40);
  fake.options.model = 'extractor';
  fake.script({ times: 100, when: (r) => r.kind === 'reduce', respond: { content: `{"title": "${'very '.repeat(2000)}"}` } });
  // One merge at a time, so the job stops after the first merge gives up.
  const err = (await run(await storeHistory(messages), { maxOutputTokens: 400, concurrency: 1 }).catch((e: unknown) => e)) as WorkflowFailedError;
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = err.cause as ApplicationFailure;
  expect(cause.type).toBe('LlmReplyTooLong');
  expect(cause.message).toMatch(/raise LLM_MAX_OUTPUT_TOKENS/);
  // Asked with 1, 1/2, 1/4 and 1/8 of the points, then given up.
  const merges = fake.requests.filter((r) => r.kind === 'reduce');
  expect(merges).toHaveLength(4);
  expect(new Set(merges.map((r) => r.user)).size).toBe(1);
  expect(merges.every((r) => r.finishReason === 'length')).toBe(true);
});
