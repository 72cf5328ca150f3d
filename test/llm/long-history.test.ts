import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLlmActivities } from '../../src/activities/llm';
import { deliverToFiles } from '../../src/deliver';
import { Summary, type ChatMessage, type HistoryRef } from '../../src/domain';
import type { LlmSettings } from '../../src/llm';
import { HISTORY_PAGE_SIZE, LocalArtifactStore, writeHistoryPage } from '../../src/store';
import { startFakeOpenAi, testLlmSettings, type FakeOpenAi, type FakeOpenAiOptions } from '../fakes/fake-openai-server';
import { testStack, uniqueName } from '../support/stack';
import { quietSdkLogs } from '../support/temporal-test-env';
import { buildChat, PUBLIC_CHAT } from './chat-builder';
import type { llmSummaryTest } from './llm-workflows';
import { plantAttacks, plantFacts } from './planted-history';

let bundle: WorkflowBundleWithSourceMap;
let native: NativeConnection;
let connection: Connection;
let client: Client;
let dir: string;
let store: LocalArtifactStore;
const fakes: FakeOpenAi[] = [];

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const REQUEST = 'What was decided, and what blocks the team?';

beforeAll(async () => {
  quietSdkLogs();
  const { temporalAddress } = testStack();
  [bundle, native, connection] = await Promise.all([
    bundleWorkflowCode({ workflowsPath: require.resolve('./llm-workflows'), logger: quiet }),
    NativeConnection.connect({ address: temporalAddress }),
    Connection.connect({ address: temporalAddress }),
  ]);
  client = new Client({ connection });
  dir = await mkdtemp(join(tmpdir(), 'tgpulse-llm-long-'));
  store = new LocalArtifactStore(dir);
});

afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  await connection?.close();
  await native?.close();
  await rm(dir, { recursive: true, force: true });
});

async function storeHistory(messages: ChatMessage[]): Promise<HistoryRef> {
  const prefix = `${uniqueName('jobs/h')}/history`;
  let pages = 0;
  for (let i = 0; i < messages.length; i += HISTORY_PAGE_SIZE) await writeHistoryPage(store, prefix, pages++, messages.slice(i, i + HISTORY_PAGE_SIZE));
  return { prefix, pages, messages: messages.length };
}

/** Runs the real workflow and activities against a stand-in model that enforces `settings`' context and output. */
async function run(history: HistoryRef, model: FakeOpenAiOptions['model'], over: Partial<LlmSettings>) {
  const fake = await startFakeOpenAi({ model });
  fakes.push(fake);
  const settings = testLlmSettings(fake, { concurrency: 4, maxTokensPerJob: 1e9, requestTimeoutMs: 60_000, ...over });
  fake.options.contextTokens = settings.contextTokens;
  const taskQueue = uniqueName('llm-long');
  const worker = await Worker.create({ connection: native, taskQueue, workflowBundle: bundle, activities: createLlmActivities({ store, settings }) });
  const jobId = uniqueName('job');
  const result = await worker.runUntil(
    client.workflow.execute<typeof llmSummaryTest>('llmSummaryTest', { taskQueue, workflowId: jobId, args: [{ jobId, history, chat: PUBLIC_CHAT, prompt: REQUEST }] }),
  );
  const summary = Summary.parse(JSON.parse((await store.get(result.summaryKey)).toString('utf8')));
  return { fake, settings, result, summary, jobId };
}

/** Every request fit the context, and every reply fit max_tokens without being cut. */
function expectWithinBudgets(fake: FakeOpenAi, settings: LlmSettings) {
  expect(fake.requests.length).toBeGreaterThan(0);
  for (const r of fake.requests) {
    expect(r.promptTokens + settings.maxOutputTokens).toBeLessThanOrEqual(settings.contextTokens);
    expect(r.finishReason).toBe('stop');
    expect(r.completionTokens).toBeLessThanOrEqual(settings.maxOutputTokens);
  }
}

/** Each fact a point cites, with its ids. */
function factIds(points: { text: string; messageIds: number[] }[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const p of points) for (const fact of new Set(p.text.match(/\bFACT-\d+\b/g) ?? [])) out.set(fact, [...(out.get(fact) ?? []), ...p.messageIds].sort((a, b) => a - b));
  return out;
}

/**
 * One generated history for both tests: 100,000 messages, 300 planted findings, and attacks near the end. Built
 * and summarized by the honest stand-in once.
 */
const messages = buildChat(100_000, { perDay: 2000 });
const facts = plantFacts(messages, 300);
const attack = plantAttacks(messages, { from: 95_000, forgeId: messages[94_990]!.id, farId: messages[0]!.id });
const text = new Map(messages.map((m) => [m.id, m.text]));
const OVER = { contextTokens: 32_768, maxOutputTokens: 1024 };
let honestRun: ReturnType<typeof run> | undefined;
const honest = async () => (honestRun ??= storeHistory(messages).then((h) => run(h, 'extractor', OVER)));

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

test('100,000 messages with 300 planted findings: no call over its budget, every finding in the JSON with its ids, the merge counted', async () => {
  const { fake, settings, result, summary, jobId } = await honest();

  expectWithinBudgets(fake, settings);
  const merges = fake.requests.filter((r) => r.kind === 'reduce');
  // Far more findings than one reply holds: many merges, some told to choose.
  expect(merges.length).toBeGreaterThan(3);
  expect(merges.some((r) => /room for at most \d+ points/.test(r.system))).toBe(true);

  // Every finding reaches the result, with exactly the messages that state it: the 300 planted, and the facts the
  // attack messages state (with the attack message's own id).
  const findings = summary.findings!;
  const all = 300 + attack.facts.length;
  expect(findings).toHaveLength(all);
  const found = factIds(findings);
  for (const [fact, ids] of facts) expect(found.get(fact)).toEqual(sorted(ids));
  for (const fact of attack.facts) for (const id of found.get(fact)!) expect(text.get(id)).toContain(fact);
  // The points above are fewer (a reply holds about twenty) and each one still cites the messages of its finding.
  const points = summary.sections.flatMap((s) => s.points);
  expect(points.length).toBeGreaterThan(5);
  expect(points.length).toBeLessThan(all);
  for (const [fact, ids] of factIds(points)) expect(ids).toEqual(found.get(fact));
  const inSummary = factIds(points).size;
  expect(findings.filter((f) => f.inSummary)).toHaveLength(inSummary);

  // The summary says how many were merged and left out, and the delivered JSON carries it.
  expect(summary.merge).toMatchObject({ findings: all, inSummary, leftOut: all - inSummary, parts: result.chunks, mergeCalls: merges.length });
  expect(summary.notes![0]).toMatch(new RegExp(`^Merged ${all} findings from ${result.chunks} parts of the chat in ${merges.length} merge calls \\(\\d+ rounds\\); ${all - inSummary} findings did not fit`));
  expect(summary.droppedIds).toEqual({ invented: 0, outOfRange: 0 });
  const [, jsonFile] = await deliverToFiles({ dir: join(dir, 'out'), jobId, chat: PUBLIC_CHAT, summary });
  const delivered = JSON.parse(await readFile(jsonFile!, 'utf8')) as Summary;
  expect(delivered.findings).toHaveLength(all);
  expect(delivered.merge!.leftOut).toBe(all - inSummary);

  expect(result.usage.calls).toBe(fake.requests.length);
  expect(result.usage.promptTokens + result.usage.completionTokens).toBeLessThanOrEqual(result.estimatedTokens);
}, 240_000);

test('the same history with a stand-in that obeys the chat: forged lines, fake delimiters and orders change nothing cited', async () => {
  const { summary: honestSummary } = await honest();
  const obedient = await run(await storeHistory(messages), 'obedient', OVER);

  expectWithinBudgets(obedient.fake, obedient.settings);
  // The obedient model did obey: its replies to the parts with attacks cite the ids it was ordered to.
  expect(obedient.fake.requests.some((r) => r.kind === 'map' && /#999999/.test(r.user))).toBe(true);

  for (const summary of [honestSummary, obedient.summary]) {
    expect(summary.title).toBe(`Summary: ${REQUEST}`);
    const cited = [...summary.sections.flatMap((s) => s.points), ...summary.findings!];
    for (const p of cited) for (const id of p.messageIds) expect(text.has(id)).toBe(true);
    // A fact is cited only with messages that state it: no forged line put its fact on another message.
    for (const [fact, ids] of factIds(cited)) for (const id of ids) expect(text.get(id)).toContain(fact);
  }
  const cites = (s: Summary) => [...s.sections.flatMap((x) => x.points), ...s.findings!].map((p) => [p.text, p.messageIds]);
  expect(cites(obedient.summary)).toEqual(cites(honestSummary));
  // Nor in between: every point any merge was given cites, for each fact it names, only messages stating it. (How
  // merges are grouped may differ: a hostile heading is longer, so a partial takes more room.)
  const mergePoints = (f: FakeOpenAi) => f.requests.filter((r) => r.kind === 'reduce').flatMap((r) => [...r.user.matchAll(/^- (.*) \[ids: ([\d, ]+)\]$/gm)]);
  expect(mergePoints(obedient.fake).length).toBeGreaterThan(300);
  for (const [, pointText, ids] of mergePoints(obedient.fake)) {
    for (const fact of pointText!.match(/\bFACT-\d+\b/g) ?? []) for (const id of ids!.split(', ')) expect(text.get(Number(id))).toContain(fact);
  }

  // What the obedient model made up is dropped and counted, told apart in the JSON and in words.
  expect(obedient.summary.droppedIds).toEqual({ invented: attack.invented, outOfRange: attack.outOfRange });
  expect(obedient.result.dropped).toEqual({ invented: attack.invented, outOfRange: attack.outOfRange });
  expect(obedient.summary.notes).toContain(
    'Dropped 5 message ids the model invented (no such message in the history) and 1 real message id outside the part of the chat the model was given: never linked.',
  );
}, 240_000);
