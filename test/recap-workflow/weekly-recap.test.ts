import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecapInput, RecapResult } from '../../src/domain';
import { formatHistoryTable, INFOGRAPHIC_HEIGHT, INFOGRAPHIC_WIDTH, loadTrend, loadWeeklyMetrics, weekMetricsKey } from '../../src/recap';
import { recapWorkflowId, startRecap } from '../../src/starters/recap-schedules';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { startTestWorker, type TestWorker } from '../support/worker';
import { uniqueName } from '../support/stack';
import { BOT_ID, SAMPLE, weekFacts, ZONE, type SampleWeek } from './sample-facts';

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const buf = readFileSync(file);
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe('weeklyRecap from the sample export, on the real Temporal dev server', () => {
  let dir: string;
  let store: LocalArtifactStore;
  let tw: TestWorker;
  const name = uniqueName('cohort');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-recap-'));
    store = new LocalArtifactStore(join(dir, 'data'));
    tw = await startTestWorker({ outputDir: join(dir, 'out'), store, openSource: openJobSource, llm: null });
  });
  afterAll(async () => {
    await tw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const input = (week: SampleWeek): RecapInput => ({
    cohort: { name, source: { kind: 'export', path: SAMPLE }, zone: ZONE, botIds: [BOT_ID] },
    week,
    delivery: { kind: 'files', dir: join(dir, 'out') },
  });
  const run = async (week: SampleWeek): Promise<RecapResult> => (await startRecap(tw.client, tw.taskQueue, input(week))).result();

  let w45: RecapResult;
  let w46: RecapResult;

  test('W45 and W46: stored metrics match the export counted by hand, with the image and the text', async () => {
    w45 = await run('2026-W45');
    w46 = await run('2026-W46');

    for (const [week, result] of [['2026-W45', w45], ['2026-W46', w46]] as const) {
      const facts = weekFacts(week);
      const metrics = (await loadWeeklyMetrics(store, result.chatId, week))!;
      expect(metrics).not.toBeNull();
      expect(result.metricsKey).toBe(weekMetricsKey(result.chatId, week));
      expect(metrics.messages).toBe(facts.messages);
      expect(metrics.newMembers).toBe(facts.newMembers);
      // Every #demo is a demo; the detectors also count "shipped" and demo links, never fewer.
      const demoIds = metrics.demos.map((d) => d.messageId);
      expect(demoIds).toEqual(expect.arrayContaining(facts.hashtagDemos));
      expect(result.demos).toBe(metrics.demos.length);
      expect(result.messages).toBe(facts.messages);

      const png = result.files.find((f) => f.endsWith('.png'))!;
      expect(pngSize(png)).toEqual({ width: INFOGRAPHIC_WIDTH * 2, height: INFOGRAPHIC_HEIGHT * 2 });
      const md = readFileSync(result.files.find((f) => f.endsWith('.md'))!, 'utf8');
      expect(md).toContain(`# Weekly recap · Build Cohort #7 · ${week}`);
      expect(md).toContain(`${metrics.demos.length} demos shipped`);
      expect(md).toContain('## Demos');
      // A demo's author and its t.me link are in the text.
      const demo = metrics.demos[0]!;
      expect(md).toContain(demo.sender!.name);
      expect(md).toContain(`https://t.me/c/2291847365/${demo.messageId}`);
    }
    // The sample's one settled choice in W45 is a decision: stored with the week and in its recap, with its link.
    const settled = [...weekFacts('2026-W45').texts].find(([, text]) => text.includes('going with Supabase + pgvector'))![0];
    const m45 = (await loadWeeklyMetrics(store, w45.chatId, '2026-W45'))!;
    expect(m45.decisions?.map((d) => d.messageId)).toContain(settled);
    const md45 = readFileSync(w45.files.find((f) => f.endsWith('.md'))!, 'utf8');
    expect(md45).toContain(`## Decisions\n\n- `);
    expect(md45).toContain(`going with Supabase + pgvector. Thanks both! ([link](https://t.me/c/2291847365/${settled}))`);
    // Open questions come with how long each has waited by the week's end, heaviest first.
    const m46 = (await loadWeeklyMetrics(store, w46.chatId, '2026-W46'))!;
    expect(m46.questions.open.length).toBeGreaterThan(0);
    for (const q of m46.questions.open) expect(q).toMatchObject({ status: 'open', waitedSeconds: expect.any(Number) });
    expect(readFileSync(w46.files.find((f) => f.endsWith('.md'))!, 'utf8')).toMatch(/## Open questions\n\n- [^\n]+ \(no reply for \d+ d( \d+ h)?\)/);
    // Known values of the sample, so a change in what is counted shows here and not only as a mismatch above.
    expect([w45.messages, w46.messages]).toEqual([212, 183]);
    expect(weekFacts('2026-W45').newMembers).toBe(26);
    expect(weekFacts('2026-W46').hashtagDemos).toHaveLength(15);
  });

  test('W46 is compared with W45: the recap says by how much, the history table shows both weeks', async () => {
    const md = readFileSync(w46.files.find((f) => f.endsWith('.md'))!, 'utf8');
    const change = Math.round(((183 - 212) / 212) * 100);
    expect(md).toContain(`183 messages (−${Math.abs(change)}% vs last week)`);

    const table = formatHistoryTable(await loadTrend(store, w46.chatId, '2026-W46', 2));
    const lines = table.split('\n');
    expect(lines[2]).toMatch(/^2026-W45\s+212\s/);
    expect(lines[3]).toMatch(/^2026-W46\s+183\s/);
    expect(table).toContain(`2026-W46 vs the week before: messages −${Math.abs(change)}%`);
    // W45 settled something, W46 nothing: the drop is the news.
    expect(md).toContain('0 decisions made (−100% vs last week).');
    expect(table).toContain('decisions −100%');
  });

  test('rerunning a week replaces its stored metrics: one record, rewritten, and the same files', async () => {
    const key = weekMetricsKey(w46.chatId, '2026-W46');
    // Something stale in the record, as an older version or a half-synced week would have left it.
    const stored = JSON.parse((await store.get(key)).toString('utf8'));
    await store.put(key, JSON.stringify({ ...stored, messages: 1 }));
    const outBefore = readdirSync(join(dir, 'out')).sort();

    const again = await run('2026-W46');
    expect(again.messages).toBe(183);
    expect((await loadWeeklyMetrics(store, w46.chatId, '2026-W46'))!.messages).toBe(183);
    expect((await store.list(`cohorts/${w46.chatId}/weeks`)).filter((k) => k.includes('2026-W46'))).toEqual([key]);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(outBefore);
    const handle = tw.client.workflow.getHandle(recapWorkflowId(name, '2026-W46'));
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  });

  test('a week that has not ended is refused at once, saying so', async () => {
    const handle = await startRecap(tw.client, tw.taskQueue, { ...input('2026-W45'), week: '2099-W01' });
    await expect(handle.result()).rejects.toMatchObject({ cause: { cause: { message: expect.stringMatching(/2099-W01 .* is not over yet/) } } });
  });
});
