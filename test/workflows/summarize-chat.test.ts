import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalArtifactStore, readHistory } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { startSummarize } from '../../src/starters/jobs';
import type { JobInput } from '../../src/domain';
import { writeExport } from '../support/export-generator';
import { exportFacts } from '../support/export-facts';
import { startTestWorker, type TestWorker } from '../support/worker';

const SAMPLE = resolve(__dirname, '../../samples/cohort-export/result.json');

describe('summarizeChat on the real Temporal dev server', () => {
  let dir: string;
  let store: LocalArtifactStore;
  let tw: TestWorker;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-wf-'));
    store = new LocalArtifactStore(join(dir, 'data'));
    tw = await startTestWorker({ outputDir: join(dir, 'out'), store, openSource: openJobSource, llm: null });
  });
  afterAll(async () => {
    await tw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (path: string, extra: Partial<JobInput> = {}) => {
    const input: JobInput = { source: { kind: 'export', path }, delivery: { kind: 'files', dir: join(dir, 'out') }, ...extra };
    const handle = await startSummarize(tw.client, { TEMPORAL_TASK_QUEUE: tw.taskQueue }, input, 'test');
    return { handle, result: await handle.result() };
  };

  test('the sample export goes in, Markdown and JSON come out, with the counts of the export', async () => {
    const facts = exportFacts(SAMPLE);
    const { result } = await run(SAMPLE);

    expect(result.messages).toBe(facts.stored);
    expect(result.model).toBe('digest');
    const md = result.files.find((f) => f.endsWith('.md'))!;
    const json = JSON.parse(readFileSync(result.files.find((f) => f.endsWith('.json'))!, 'utf8'));
    expect(json.stats.messages).toBe(facts.ordinary);
    // The sample's check-in bot ("Cohort 7 Bot") posts but is not one of the people.
    expect(json.stats.participants).toBe(facts.senders - 1);
    expect(readFileSync(md, 'utf8')).toContain(`${facts.ordinary} messages from ${facts.senders - 1} people and 1 bot`);

    // Every point's message ids are real messages of the chat, and each has a t.me link.
    const points = json.sections.flatMap((s: { points: Array<{ messageIds: number[]; links: string[] }> }) => s.points);
    const cited = points.flatMap((p: { messageIds: number[] }) => p.messageIds);
    expect(cited.length).toBeGreaterThan(5);
    for (const id of cited) expect(facts.ids.has(id)).toBe(true);
    for (const p of points) expect(p.links).toHaveLength(p.messageIds.length);
    expect(json.sections.map((s: { heading: string }) => s.heading)).toEqual(
      expect.arrayContaining(['What people talked about', 'Demos', 'Blockers', 'Decisions', 'Open questions', 'Most active members']),
    );
  });

  test('the stored history holds each message of the export once, in order', async () => {
    const path = join(dir, 'mid.json');
    await writeExport(path, { messages: 12_345, seed: 7 });
    const facts = exportFacts(path);
    const { result } = await run(path);
    const ids: number[] = [];
    const pages = Math.ceil(result.messages / 5000);
    for await (const m of readHistory(store, { prefix: `jobs/${result.jobId}/history`, pages, messages: result.messages })) ids.push(m.id);
    expect(ids).toHaveLength(facts.stored);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  test('history events are the same for 100 and 20,000 messages: no message data in the workflow', async () => {
    const small = join(dir, 'small.json');
    const large = join(dir, 'large.json');
    await writeExport(small, { messages: 100, seed: 1 });
    await writeExport(large, { messages: 20_000, seed: 2 });
    const a = await run(small);
    const b = await run(large);
    expect(b.result.messages).toBeGreaterThan(19_000);
    const eventsA = (await a.handle.fetchHistory()).events ?? [];
    const eventsB = (await b.handle.fetchHistory()).events ?? [];
    expect(eventsB.length).toBe(eventsA.length);
    const bytes = (h: unknown) => JSON.stringify(h).length;
    expect(bytes(eventsB)).toBeLessThan(bytes(eventsA) * 1.2);
  });

  test('a since/until range keeps only the messages inside it', async () => {
    const all = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { messages: Array<{ type: string; date_unixtime: string }> };
    const since = '2026-11-09T00:00:00Z';
    const expected = all.messages.filter((m) => m.type !== 'unsupported' && Number(m.date_unixtime) * 1000 >= Date.parse(since)).length;
    const { result } = await run(SAMPLE, { since });
    expect(result.messages).toBe(expected);
    expect(result.messages).toBeGreaterThan(0);
  });

  test('a prompt without an LLM configured says so in the result instead of pretending', async () => {
    const { result } = await run(SAMPLE, { prompt: 'Where are people stuck?' });
    expect(result.model).toBe('digest');
    expect(result.notes.join(' ')).toMatch(/No LLM endpoint is configured/);
  });

  test('a missing export fails the run at once with the path in the message, without retries', async () => {
    const missing = join(dir, 'nope.json');
    const input: JobInput = { source: { kind: 'export', path: missing }, delivery: { kind: 'files', dir: join(dir, 'out') } };
    const handle = await startSummarize(tw.client, { TEMPORAL_TASK_QUEUE: tw.taskQueue }, input, 'missing');
    await expect(handle.result()).rejects.toMatchObject({ cause: { cause: { message: expect.stringContaining(missing) } } });
    const history = await handle.fetchHistory();
    const started = (history.events ?? []).filter((e) => e.activityTaskStartedEventAttributes);
    expect(started[0]?.activityTaskStartedEventAttributes?.attempt).toBe(1);
  });
});
