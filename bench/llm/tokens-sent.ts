/**
 * Tokens sent to the model per history size, relative to the history's own tokens, with the number of calls, the
 * merges and the wall time against an endpoint that answers in 200 ms. Runs the real workflow on a Temporal dev
 * server it starts, against the honest stand-in model of the tests (`model: 'extractor'` of the fake
 * chat-completions server: it enforces the context and `max_tokens`, cuts a reply at `length`, and reports every
 * planted finding it sees), over histories with 3 planted findings per 1,000 messages.
 *
 *   npx tsx bench/llm/tokens-sent.ts            # 10k and 100k messages, 128k and 8k contexts
 *   npx tsx bench/llm/tokens-sent.ts 10000      # one size
 */
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLlmActivities } from '../../src/activities/llm';
import { startTemporal } from '../../src/devstack';
import { Summary, type HistoryRef } from '../../src/domain';
import { tokenCounterFor, type LlmSettings } from '../../src/llm';
import { HISTORY_PAGE_SIZE, LocalArtifactStore, writeHistoryPage } from '../../src/store';
import { startFakeOpenAi } from '../../test/fakes/fake-openai-server';
import { buildChat, PUBLIC_CHAT } from '../../test/llm/chat-builder';
import { plantFacts } from '../../test/llm/planted-history';
import type { llmSummaryTest } from './bench-workflows';

const LATENCY_MS = 200;
const MODELS: { name: string; contextTokens: number; maxOutputTokens: number }[] = [
  { name: '128k context (gpt-4o-mini)', contextTokens: 128_000, maxOutputTokens: 2048 },
  { name: '8k context (small local model)', contextTokens: 8192, maxOutputTokens: 1024 },
];

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dir = await mkdtemp(join(tmpdir(), 'tgpulse-bench-llm-'));
  const temporal = await startTemporal({ logDir: dir });
  const fake = await startFakeOpenAi({ latencyMs: LATENCY_MS, model: 'extractor' });
  const [native, connection, bundle] = await Promise.all([
    NativeConnection.connect({ address: temporal.address }),
    Connection.connect({ address: temporal.address }),
    bundleWorkflowCode({ workflowsPath: require.resolve('./bench-workflows'), logger: quiet }),
  ]);
  const client = new Client({ connection });
  const store = new LocalArtifactStore(join(dir, 'store'));
  const count = tokenCounterFor('gpt-4o-mini');
  const rows: string[] = [];
  try {
    for (const size of sizes.length ? sizes : [10_000, 100_000]) {
      const messages = buildChat(size);
      const findings = plantFacts(messages, Math.round(size * 0.003)).size;
      const prefix = `bench/h${size}`;
      let pages = 0;
      for (let i = 0; i < messages.length; i += HISTORY_PAGE_SIZE) await writeHistoryPage(store, prefix, pages++, messages.slice(i, i + HISTORY_PAGE_SIZE));
      const history: HistoryRef = { prefix, pages, messages: size };
      const textTokens = messages.reduce((sum, m) => sum + count(m.text), 0);
      for (const model of MODELS) {
        fake.requests.length = 0;
        fake.options.contextTokens = model.contextTokens;
        const settings: LlmSettings = {
          baseUrl: fake.baseUrl,
          apiKey: 'bench',
          model: 'gpt-4o-mini',
          ...model,
          priceInputPerMTok: 0.15,
          priceOutputPerMTok: 0.6,
          concurrency: 4,
          maxTokensPerJob: 1_000_000_000,
          requestTimeoutMs: 120_000,
        };
        const taskQueue = `bench-llm-${size}-${model.contextTokens}`;
        const worker = await Worker.create({ connection: native, taskQueue, workflowBundle: bundle, activities: createLlmActivities({ store, settings }) });
        const jobId = `bench-${size}-${model.contextTokens}-${Date.now()}`;
        const started = performance.now();
        const result = await worker.runUntil(
          client.workflow.execute<typeof llmSummaryTest>('llmSummaryTest', { taskQueue, workflowId: jobId, args: [{ jobId, history, chat: PUBLIC_CHAT }] }),
        );
        const seconds = (performance.now() - started) / 1000;
        const historyTokens = fake.requests.filter((r) => r.kind === 'map').length ? await transcriptTokens(store, jobId) : 0;
        const maps = fake.requests.filter((r) => r.kind === 'map');
        const reduces = fake.requests.filter((r) => r.kind === 'reduce');
        const summary = Summary.parse(JSON.parse((await store.get(result.summaryKey)).toString('utf8')));
        const cut = fake.requests.filter((r) => r.finishReason === 'length').length;
        const maxPrompt = Math.max(...fake.requests.map((r) => r.promptTokens));
        const maxReply = Math.max(...fake.requests.map((r) => r.completionTokens ?? 0));
        const sent = result.usage.promptTokens;
        const reduceSent = reduces.reduce((s, r) => s + r.promptTokens, 0);
        const row = [
          size.toLocaleString('en-US'),
          model.name,
          historyTokens.toLocaleString('en-US'),
          sent.toLocaleString('en-US'),
          `${(sent / historyTokens).toFixed(3)}×`,
          `${(reduceSent / historyTokens).toFixed(3)}×`,
          `${maps.length} + ${reduces.length}`,
          `${summary.merge?.rounds ?? 0}`,
          `${summary.findings?.length ?? 0} of ${findings} / ${summary.merge?.inSummary ?? 0}`,
          `${maxPrompt.toLocaleString('en-US')} + ${model.maxOutputTokens} ≤ ${model.contextTokens.toLocaleString('en-US')}; ${maxReply} ≤ ${model.maxOutputTokens}; cut ${cut}`,
          result.estimatedTokens.toLocaleString('en-US'),
          (result.usage.promptTokens + result.usage.completionTokens).toLocaleString('en-US'),
          `${seconds.toFixed(1)} s`,
          `${(textTokens / 1000).toFixed(0)}k`,
        ];
        rows.push(`| ${row.join(' | ')} |`);
        process.stdout.write(`${rows[rows.length - 1]}\n`);
      }
    }
  } finally {
    await connection.close();
    await native.close();
    await fake.close();
    await temporal.stop();
    await rm(dir, { recursive: true, force: true });
  }
  process.stdout.write(
    `\nmachine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), endpoint latency ${LATENCY_MS} ms, concurrency 4\n\n` +
      '| messages | model | history tokens | prompt tokens sent | sent / history | of which reduce | calls (map + reduce) | merge rounds | findings in JSON (of planted) / cited in points | largest prompt + max_tokens ≤ context; largest reply ≤ max_tokens; replies cut | estimate (upper bound) | actual (in + out) | wall time | message text alone |\n' +
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n' +
      rows.join('\n') +
      '\n',
  );
}

/** The history's own tokens: its transcript, as the plan counted it (the chunks hold every message once). */
async function transcriptTokens(store: LocalArtifactStore, jobId: string): Promise<number> {
  const keys = (await store.list(`jobs/${jobId}/llm`)).filter((k) => /\/chunks\/\d+\.json$/.test(k));
  let sum = 0;
  for (const k of keys) sum += (JSON.parse((await store.get(k)).toString('utf8')) as { tokens: number }).tokens;
  return sum;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
