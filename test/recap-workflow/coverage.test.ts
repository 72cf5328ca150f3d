import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecapInput, RecapResult } from '../../src/domain';
import { recapKeyPrefix } from '../../src/activities/recap';
import { formatHistoryTable, listStoredWeeks, loadTrend, loadWeeklyMetrics } from '../../src/recap';
import { startRecap } from '../../src/starters/recap-schedules';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { uniqueName } from '../support/stack';
import { startTestWorker, type TestWorker } from '../support/worker';
import { BOT_ID, SAMPLE, ZONE } from './sample-facts';

/**
 * Weeks the export holds in full, in part, or not at all. The export is the bundled sample (Mon 2 – Sun 15 Nov 2026
 * in Berlin) plus one message on Monday 16 Nov: it "ends on a Monday", so W47 is partial; W43 and W44 have no data.
 */
describe('weeklyRecap over weeks the export holds, partly holds, or does not hold', () => {
  let dir: string;
  let store: LocalArtifactStore;
  let tw: TestWorker;
  let exportPath: string;
  let emptyExport: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-recap-coverage-'));
    store = new LocalArtifactStore(join(dir, 'data'));
    const raw = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { messages: Record<string, unknown>[] };
    const monday = Date.parse('2026-11-16T08:30:00Z'); // 09:30 in Berlin
    raw.messages.push({
      id: 100_000,
      type: 'message',
      date: '2026-11-16T09:30:00',
      date_unixtime: String(monday / 1000),
      from: 'Maya Goldberg',
      from_id: 'user927104556',
      text: 'Good morning! Certificates go out this week.',
      text_entities: [{ type: 'plain', text: 'Good morning! Certificates go out this week.' }],
    });
    exportPath = join(dir, 'ends-on-monday', 'result.json');
    emptyExport = join(dir, 'empty', 'result.json');
    for (const [path, body] of [
      [exportPath, raw],
      [emptyExport, { ...raw, messages: [] }],
    ] as const) {
      rmSync(join(path, '..'), { recursive: true, force: true });
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, JSON.stringify(body, null, 1));
    }
    tw = await startTestWorker({ outputDir: join(dir, 'out'), store, openSource: openJobSource, llm: null });
  });
  afterAll(async () => {
    await tw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const name = uniqueName('coverage');
  const run = async (week: string, path = exportPath, cohort = name): Promise<{ result: RecapResult; md: string; svg: string }> => {
    const input: RecapInput = { cohort: { name: cohort, source: { kind: 'export', path }, zone: ZONE, botIds: [BOT_ID] }, week, delivery: { kind: 'files', dir: join(dir, 'out') } };
    const result = await (await startRecap(tw.client, tw.taskQueue, input)).result();
    const md = readFileSync(result.files.find((f) => f.endsWith('.md'))!, 'utf8');
    const svg = (await store.get(`${recapKeyPrefix(result.chatId, week)}/recap.svg`)).toString('utf8');
    return { result, md, svg };
  };

  test('the first recap of the export (W46) computes W45 in the same pass: compared with it, stored, in the trend', async () => {
    const { result, md, svg } = await run('2026-W46');
    expect(md).toContain(`183 messages (−${Math.round((29 / 212) * 100)}% vs last week)`);
    expect(await listStoredWeeks(store, result.chatId)).toEqual(['2026-W45', '2026-W46']);
    expect((await loadWeeklyMetrics(store, result.chatId, '2026-W45'))?.messages).toBe(212);
    expect(result.notes).toContain('Also stored for the trend, from the same source: 2026-W45.');
    // Two points on the trend's line: W45 and this week, joined.
    expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+ L[\d.]+ [\d.]+" fill="none"/);
    expect(svg).toContain('>−14%</text>');
    // The export was read once for its extent: one remembered span for this file.
    expect((await store.list('sources/spans')).length).toBe(1);
  });

  test('W47, which the export ends in on Monday, says it is partial, with which day, and is not compared', async () => {
    const { result, md, svg } = await run('2026-W47');
    expect(result.messages).toBe(1);
    expect(result.coverage).toBe('partial');
    expect(md).toContain('Partial week: data up to Mon 16 Nov: the numbers cover those days only and are not compared with whole weeks.');
    expect(md).not.toContain('vs last week');
    expect(result.notes).toContain('2026-W47: partial week: data up to Mon 16 Nov.');
    expect(svg).toContain('>Partial week: data up to Mon 16 Nov</text>');
    expect(svg).not.toMatch(/>[+−]\d+%<\/text>/);
    const table = formatHistoryTable(await loadTrend(store, result.chatId, '2026-W47', 3));
    expect(table.split('\n')[4]).toMatch(/^2026-W47\s+1\s.*partial: data up to Mon 16 Nov$/);
    expect(table).toContain('2026-W47 is a partial week: data up to Mon 16 Nov: not compared with whole weeks.');
  });

  // A week before the export begins (one after it ends would not be over yet when this test was written, and a
  // test must not depend on the day it runs).
  test('W43, before the export begins, is "no data" in the text, the picture and the history: no zeros, no −100%', async () => {
    const { result, md, svg } = await run('2026-W43');
    expect(result.messages).toBe(0);
    expect(result.coverage).toBe('none');
    expect(md).toContain('No data for this week (the source holds 2 Nov 2026 – 16 Nov 2026): nothing is known about this week');
    expect(md).not.toMatch(/0 messages|−100%|Busiest day/);
    expect(md).toMatch(/^_no data for this week · .* · no-model digest_$/m);
    expect(result.notes).toContain('2026-W43: no data for this week (the source holds 2 Nov 2026 – 16 Nov 2026).');
    expect(svg).toContain('>No data for this week</text>');
    expect(svg).not.toContain('>MESSAGES</text>');
    expect((await loadWeeklyMetrics(store, result.chatId, '2026-W43'))?.coverage?.status).toBe('none');
    const table = formatHistoryTable(await loadTrend(store, result.chatId, '2026-W43', 2));
    const row = table.split('\n').find((l) => l.startsWith('2026-W43'))!;
    expect(row).toMatch(/^2026-W43\s+—\s+—.*no data for this week/);
    expect(table.split('\n').at(-1)).toBe('2026-W43: no data for this week (the source holds 2 Nov 2026 – 16 Nov 2026).');
  });

  test('a full week after a no-data week says last week had no data instead of comparing with zeros', async () => {
    const w44 = await run('2026-W44');
    expect(w44.md).toContain('No data for this week');
    const w45 = await run('2026-W45');
    expect(w45.md).toContain('212 messages (last week had no data) from');
    expect(w45.md).not.toMatch(/vs last week|new vs/);
    expect(w45.svg).toContain('last week: no data, not compared');
    // W45 stored before (by W46's trend pass) and recomputed now: the same numbers.
    expect((await loadWeeklyMetrics(store, w45.result.chatId, '2026-W45'))?.messages).toBe(212);
  });

  test('an export without a single message has no data for any week, and says it holds nothing', async () => {
    const { result, md } = await run('2026-W46', emptyExport, uniqueName('empty'));
    expect(result.messages).toBe(0);
    expect(md).toContain('No data for this week (the source holds no messages)');
  });
});
