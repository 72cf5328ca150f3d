/**
 * Metrics engine throughput: N generated messages (default 1,000,000) of one week through the week accumulator.
 * Messages are generated deterministically in batches of a history page, so memory holds one batch at a time; the
 * clock runs only while the accumulator works. With --store the batches are first written as JSONL history pages
 * to a temporary artifact store and read back with readHistory, as the weeklyRecap activity does.
 *
 * With --weeks N the same number of messages is spread over N weeks and computed in one pass by the weeks
 * accumulator, as a recap over an export computes its trend's weeks.
 *
 *   npx tsx bench/recap/metrics.ts [--messages 1000000] [--store] [--weeks 8]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChatMessage } from '../../src/domain';
import { createWeekAccumulator, createWeeksAccumulator, weekRange, weeksEndingAt } from '../../src/recap';
import { HISTORY_PAGE_SIZE, LocalArtifactStore, readHistory, writeHistoryPage } from '../../src/store';
import { generateMessages } from './generate';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

async function main(): Promise<void> {
  const total = Number(arg('--messages') ?? 1_000_000);
  const fromStore = process.argv.includes('--store');
  const week = '2026-W43';
  const zone = 'Europe/Berlin';
  const weekCount = Number(arg('--weeks') ?? 1);
  const weeks = weeksEndingAt(week, weekCount);
  const first = weekRange(weeks[0]!, zone);
  const range = weekRange(week, zone);
  const acc =
    weekCount > 1
      ? (() => {
          const many = createWeeksAccumulator({ weeks, zone, memberCount: 2000 });
          return { add: (m: ChatMessage) => many.add(m), finish: () => many.finish().at(-1)! };
        })()
      : createWeekAccumulator({ week, zone, memberCount: 2000 });
  const source = generateMessages(first.start, range.end, total, { seed: 1, members: 2000 });
  const rssStart = process.memoryUsage().rss;
  let peakRss = rssStart;
  let busyMs = 0;
  let seen = 0;
  const wallStart = performance.now();

  if (!fromStore) {
    let batch: ChatMessage[] = [];
    const run = () => {
      const t = performance.now();
      for (const m of batch) acc.add(m);
      busyMs += performance.now() - t;
      seen += batch.length;
      batch = [];
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    };
    for (const m of source) {
      batch.push(m);
      if (batch.length === HISTORY_PAGE_SIZE) run();
    }
    run();
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'recap-bench-'));
    try {
      const store = new LocalArtifactStore(dir);
      let pages = 0;
      let batch: ChatMessage[] = [];
      for (const m of source) {
        batch.push(m);
        if (batch.length === HISTORY_PAGE_SIZE) {
          await writeHistoryPage(store, 'bench/history', pages++, batch);
          batch = [];
        }
      }
      if (batch.length) await writeHistoryPage(store, 'bench/history', pages++, batch);
      const t = performance.now();
      for await (const m of readHistory(store, { prefix: 'bench/history', pages, messages: total })) {
        acc.add(m);
        if (++seen % HISTORY_PAGE_SIZE === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
      busyMs = performance.now() - t;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const t = performance.now();
  const metrics = acc.finish();
  busyMs += performance.now() - t;
  const wallMs = performance.now() - wallStart;
  peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);

  const rate = Math.round(seen / (busyMs / 1000));
  console.log(`mode            ${fromStore ? 'JSONL pages through readHistory (read + parse + metrics)' : 'in memory (metrics only)'}, ${weekCount} week(s) in one pass`);
  console.log(`messages        ${seen.toLocaleString('en-US')} (last week: ${metrics.messages.toLocaleString('en-US')} counted, ${metrics.questions.asked.toLocaleString('en-US')} questions, ${metrics.demos.length.toLocaleString('en-US')} demos)`);
  console.log(`metrics time    ${(busyMs / 1000).toFixed(2)} s → ${rate.toLocaleString('en-US')} messages/s (target ≥ 200,000)`);
  console.log(`wall time       ${(wallMs / 1000).toFixed(2)} s (including generation${fromStore ? ' and writing pages' : ''})`);
  console.log(`peak RSS        ${mib(peakRss)} MiB (${mib(rssStart)} MiB at start)`);
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
}

main().catch((err: unknown) => {
  process.exitCode = 1;
  throw err;
});
