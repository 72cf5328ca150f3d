import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { JobResult, RecapResult } from '../../src/domain';
import { freePort } from '../../src/devstack';
import { loadWeeklyMetrics } from '../../src/recap';
import { startSummarize } from '../../src/starters/jobs';
import { startRecap } from '../../src/starters/recap-schedules';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { SAMPLE, BOT_ID, ZONE } from '../recap-workflow/sample-facts';
import { testStack, uniqueName } from '../support/stack';
import { startTestWorker, type TestWorker } from '../support/worker';
import { chromiumPath, startWeb, testClock, webConfig, webDirs, type RunningWeb } from './web-support';

jest.setTimeout(240_000);

/** Chat titles and message text are untrusted: the sample group, renamed and with a message carrying markup. */
const TITLE = 'Build Cohort #7 <script>window.__pwned=1</script>';
const INJECTED = '<img src=x onerror="window.__pwned=2">';

/**
 * The pages a user opens, in a real headless Chromium, over real runs: a summary of the sample export and a recap of
 * its week 46 on the real Temporal dev server, then the run page, the cohort page and their downloads.
 */
describe('web pages in a browser, over real runs', () => {
  const dirs = webDirs('tgpulse-web-pages-');
  const clock = testClock();
  let store: LocalArtifactStore;
  let tw: TestWorker;
  let web: RunningWeb;
  let browser: Browser;
  let page: Page;
  let summarizeId: string;
  let summary: JobResult;
  let recap: RecapResult;
  let failedId: string;
  let recapId: string;

  beforeAll(async () => {
    const raw = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { name: string; messages: Array<{ id: number; text: unknown; text_entities: unknown }> };
    raw.name = TITLE;
    const question = raw.messages.find((m) => m.id === 208)!;
    const text = `Any recommendations for a canvas library ${INJECTED} for drag-and-drop storyboard panels that isn't tldraw or Excalidraw? I need snapping and PDF export`;
    question.text = text;
    question.text_entities = [{ type: 'plain', text }];
    const exportPath = join(dirs.dir, 'export', 'result.json');
    mkdirSync(join(dirs.dir, 'export'), { recursive: true });
    writeFileSync(exportPath, JSON.stringify(raw, null, 1));

    store = new LocalArtifactStore(dirs.data);
    tw = await startTestWorker({ store, outputDir: dirs.out, openSource: openJobSource, llm: null });
    const delivery = { kind: 'files' as const, dir: dirs.out };
    const handle = await startSummarize(tw.client, { TEMPORAL_TASK_QUEUE: tw.taskQueue }, { source: { kind: 'export', path: exportPath }, delivery }, 'web');
    summarizeId = handle.workflowId;
    const failed = await startSummarize(tw.client, { TEMPORAL_TASK_QUEUE: tw.taskQueue }, { source: { kind: 'export', path: join(dirs.dir, 'missing.json') }, delivery }, 'web-missing');
    failedId = failed.workflowId;
    const recapHandle = await startRecap(tw.client, tw.taskQueue, {
      cohort: { name: uniqueName('web-cohort'), source: { kind: 'export', path: exportPath }, zone: ZONE, botIds: [BOT_ID] },
      week: '2026-W46',
      delivery,
    });
    recapId = recapHandle.workflowId;
    [summary, recap] = await Promise.all([handle.result(), recapHandle.result()]);
    await failed.result().catch(() => undefined);

    web = await startWeb({ config: webConfig({ out: dirs.out, data: dirs.data, temporal: testStack().temporalAddress, taskQueue: tw.taskQueue }), now: clock.now, store });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
    page = await browser.newPage({ acceptDownloads: true });
  });
  afterAll(async () => {
    await browser?.close();
    await web?.web.close();
    await tw?.stop();
    rmSync(dirs.dir, { recursive: true, force: true });
  });

  const pwned = () => page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned);

  test('the run page shows the title as text, the phase, the counts, the summary, and a link that downloads the Markdown', async () => {
    const res = await page.goto(`${web.url}/runs/${summarizeId}`);
    expect(res?.status()).toBe(200);
    expect(await page.title()).toBe(`${TITLE} · tgpulse`);
    expect(await page.textContent('h1')).toBe(TITLE);
    expect(await page.textContent('.status')).toBe('completed');
    expect(await page.textContent('.phase')).toBe('done');
    const doc = JSON.parse(readFileSync(summary.files.find((f) => f.endsWith('.json'))!, 'utf8')) as { stats: { messages: number; participants: number }; sections: Array<{ points: Array<{ text: string }> }> };
    expect(await page.textContent('dl')).toContain(`${doc.stats.messages} messages, ${doc.stats.participants} people (${summary.messages} history entries read)`);
    // The message text with markup in it is on the page as the text it is, and nothing ran.
    const injected = doc.sections.flatMap((s) => s.points).find((p) => p.text.includes(INJECTED));
    expect(injected).toBeDefined();
    expect(await page.locator('li', { hasText: INJECTED }).count()).toBeGreaterThan(0);
    expect(await page.locator('main img').count()).toBe(0);
    expect(await pwned()).toBeUndefined();

    const markdown = summary.files.find((f) => f.endsWith('.md'))!;
    const name = markdown.split('/').pop()!;
    const link = page.locator('table.files tr', { hasText: name }).locator('a');
    expect(await link.getAttribute('href')).not.toContain(dirs.out);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(name);
    expect(readFileSync((await download.path())!, 'utf8')).toBe(readFileSync(markdown, 'utf8'));
  });

  test('a forged link is refused (403) and an expired one is gone (410), in the browser', async () => {
    await page.goto(`${web.url}/runs/${summarizeId}`);
    const href = (await page.locator('table.files a').first().getAttribute('href'))!;
    const sig = new URL(href, web.url).searchParams.get('sig')!;
    const forged = href.replace(`sig=${sig}`, `sig=${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`);
    const res = await page.goto(`${web.url}${forged}`);
    expect(res?.status()).toBe(403);
    expect(await page.textContent('main')).toContain('This download link is not valid');
    clock.advance(601_000);
    try {
      const expired = await page.goto(`${web.url}${href}`);
      expect(expired?.status()).toBe(410);
      expect(await page.textContent('main')).toContain('This download link has expired');
    } finally {
      clock.advance(-601_000);
    }
  });

  test('the cohort page shows its weeks, the history chart, the latest infographic and its files', async () => {
    const res = await page.goto(`${web.url}/cohorts/${recap.chatId}`);
    expect(res?.status()).toBe(200);
    expect(await page.textContent('h1')).toBe(TITLE);
    for (const week of ['2026-W45', '2026-W46']) {
      const m = (await loadWeeklyMetrics(store, recap.chatId, week))!;
      const row = page.locator('table.history tr', { hasText: week });
      expect(await row.locator('td').nth(2).textContent()).toMatch(new RegExp(`^${m.messages}\\b`));
      expect(await page.locator('figure.history-chart svg title', { hasText: `${week}: ${m.messages} messages` }).count()).toBe(1);
    }
    const infographic = page.locator('figure.infographic svg');
    expect((await infographic.boundingBox())!.width).toBeGreaterThan(300);
    expect(await infographic.textContent()).toContain('Build Cohort #7');
    expect(await page.textContent('h2:has-text("Latest recap")')).toContain('2026-W46');
    expect(await pwned()).toBeUndefined();

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('table.files tr', { hasText: `recap-${recap.chatId}-2026-W46.md` }).locator('a').click()]);
    expect(readFileSync((await download.path())!, 'utf8')).toBe((await store.get(`cohorts/${recap.chatId}/recaps/2026-W46/recap.md`)).toString('utf8'));
  });

  test("the start page lists this deployment's runs (its task queue only) and the cohort; its links lead to their pages", async () => {
    const elsewhere = await startSummarize(tw.client, { TEMPORAL_TASK_QUEUE: uniqueName('other-deployment') }, { source: { kind: 'export', path: SAMPLE }, delivery: { kind: 'files', dir: dirs.out } }, 'web-elsewhere');
    await elsewhere.terminate('test over');
    await page.goto(web.url);
    // The summary, the failed one and the recap; not the run on another task queue.
    expect(await page.locator('a[href^="/runs/"]').count()).toBe(3);
    for (const id of [failedId, recapId]) expect(await page.locator(`a[href="/runs/${id}"]`).count()).toBe(1);
    await page.locator(`a[href="/runs/${summarizeId}"]`).click();
    expect(await page.textContent('h1')).toBe(TITLE);
    await page.goto(web.url);
    await page.locator(`a[href="/cohorts/${recap.chatId}"]`).click();
    expect(page.url()).toBe(`${web.url}/cohorts/${recap.chatId}`);
  });

  test('a failed run says why; an unknown run is a 404 page', async () => {
    await page.goto(`${web.url}/runs/${failedId}`);
    expect(await page.textContent('.status')).toBe('failed');
    expect(await page.textContent('.failure')).toMatch(/missing\.json/);
    const res = await page.goto(`${web.url}/runs/summarize-no-such-run-00000000`);
    expect(res?.status()).toBe(404);
    expect(await page.textContent('main')).toContain('There is no run summarize-no-such-run-00000000');
  });

  test('a run no worker has picked up yet shows as running, starting, and its page refreshes itself', async () => {
    const idle = await startSummarize(tw.client, { TEMPORAL_TASK_QUEUE: uniqueName('no-worker') }, { source: { kind: 'export', path: SAMPLE }, delivery: { kind: 'files', dir: dirs.out } }, 'web-idle');
    try {
      await page.goto(`${web.url}/runs/${idle.workflowId}`);
      expect(await page.textContent('.status')).toBe('running');
      expect(await page.textContent('.phase')).toBe('starting');
      expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(1);
      expect(await page.locator('table.files').count()).toBe(0);
    } finally {
      await idle.terminate('test over');
    }
  });

  test('/healthz is 200 with Temporal up, and /metrics counts the pages served', async () => {
    const health = await web.get('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', checks: { temporal: 'ok' } });
    expect(await (await web.get('/metrics')).text()).toMatch(/web_requests_total\{route="run",status="200"\} [1-9]/);
  });

  test('with Temporal down, the run page says Temporal is unreachable, not a stack', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const down = await startWeb({ config: webConfig({ out: dirs.out, data: dirs.data, temporal: dead }), store });
    try {
      const res = await page.goto(`${down.url}/runs/${summarizeId}`);
      expect(res?.status()).toBe(503);
      expect(await page.textContent('h1')).toBe('Temporal is unreachable');
      expect(await page.textContent('main')).toContain(`Temporal at ${dead} is unreachable`);
      // The cohort page reads the store only: it still works.
      expect((await page.goto(`${down.url}/cohorts/${recap.chatId}`))?.status()).toBe(200);
    } finally {
      await down.web.close();
    }
  });
});
