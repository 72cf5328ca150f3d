import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import type { JobInput } from '../../src/domain';
import { llmSettingsFromConfig } from '../../src/llm';
import { startSummarize } from '../../src/starters/jobs';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/fake-openai-server';
import { exportFacts } from '../support/export-facts';
import { writeExport } from '../support/export-generator';
import { startTestWorker, type TestWorker } from '../support/worker';

describe('summarizeChat with an LLM endpoint (a local server speaking the chat-completions protocol)', () => {
  let dir: string;
  let fake: FakeOpenAi;
  let tw: TestWorker;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-llm-e2e-'));
    fake = await startFakeOpenAi({ apiKey: 'sk-test-key' });
    // Through the same path as production: environment → config → settings.
    const config = loadConfig({
      OPENAI_BASE_URL: fake.baseUrl,
      OPENAI_API_KEY: 'sk-test-key',
      LLM_MODEL: 'fake-model',
      LLM_CONTEXT_TOKENS: '32000',
      LLM_PRICE_INPUT_PER_MTOK: '0.15',
      LLM_PRICE_OUTPUT_PER_MTOK: '0.6',
    });
    tw = await startTestWorker({ outputDir: join(dir, 'out'), store: new LocalArtifactStore(join(dir, 'data')), openSource: openJobSource, llm: llmSettingsFromConfig(config) });
  });
  afterAll(async () => {
    await tw?.stop();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a 20,000-message export: the whole history is read, and every point links to a real message', async () => {
    const path = join(dir, 'cohort.json');
    await writeExport(path, { messages: 20_000, seed: 3, type: 'public_supergroup', chatName: 'Builders' });
    const facts = exportFacts(path);
    const input: JobInput = { source: { kind: 'export', path }, prompt: 'Where are people stuck?', delivery: { kind: 'files', dir: join(dir, 'out') } };
    const handle = await startSummarize(tw.client, { TEMPORAL_TASK_QUEUE: tw.taskQueue }, input, 'llm');
    const result = await handle.result();

    expect(result.model).toBe('fake-model');
    expect(result.messages).toBe(facts.stored);
    // Several chunks (map) and at least one merge (reduce), all counted and priced.
    expect(result.usage!.calls).toBeGreaterThan(2);
    expect(result.usage!.calls).toBe(fake.requests.length);
    expect(result.usage!.costUsd).toBeGreaterThan(0);

    // The user's prompt reached the model, and every message id of the history was sent exactly once.
    const bodies = fake.requests.map((r) => JSON.stringify(r.body));
    expect(bodies.some((b) => b.includes('Where are people stuck?'))).toBe(true);

    const json = JSON.parse(readFileSync(result.files.find((f) => f.endsWith('.json'))!, 'utf8'));
    const points = json.sections.flatMap((s: { points: unknown[] }) => s.points) as Array<{ messageIds: number[]; links: string[] }>;
    expect(points.length).toBeGreaterThan(0);
    for (const p of points) {
      expect(p.messageIds.length).toBeGreaterThan(0);
      for (const id of p.messageIds) expect(facts.ids.has(id)).toBe(true);
      for (const link of p.links) {
        const id = Number(/\/(\d+)$/.exec(link)![1]);
        expect(facts.ids.has(id)).toBe(true);
      }
    }
    const md = readFileSync(result.files.find((f) => f.endsWith('.md'))!, 'utf8');
    expect(md).toMatch(/model fake-model/);
    expect(md).toMatch(/LLM usage: \d+ calls/);
  });

  test('a wrong API key fails the run at once with a message that says so, and never shows the key', async () => {
    const badConfig = loadConfig({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-wrong-secret', LLM_MODEL: 'fake-model' });
    const bad = await startTestWorker({ outputDir: join(dir, 'out'), store: new LocalArtifactStore(join(dir, 'data2')), openSource: openJobSource, llm: llmSettingsFromConfig(badConfig) });
    try {
      const path = join(dir, 'small.json');
      await writeExport(path, { messages: 50, seed: 4 });
      const handle = await startSummarize(bad.client, { TEMPORAL_TASK_QUEUE: bad.taskQueue }, { source: { kind: 'export', path }, delivery: { kind: 'files', dir: join(dir, 'out') } }, 'badkey');
      const err = (await handle.result().then(
        () => null,
        (e: unknown) => e,
      )) as { cause?: { cause?: { message?: string; nonRetryable?: boolean } } } | null;
      const failure = err?.cause?.cause;
      expect(failure?.message).toMatch(/refused the API key \(HTTP 401\).*OPENAI_API_KEY/);
      expect(failure?.nonRetryable).toBe(true);
      const history = JSON.stringify(await handle.fetchHistory());
      expect(history).not.toContain('sk-wrong-secret');
    } finally {
      await bad.stop();
    }
  });
});
