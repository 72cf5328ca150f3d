/**
 * Renders the example infographic of the README (docs/images/recap-example.png) from eight generated cohort weeks,
 * and times SVG building and PNG rendering. The SVG and the Markdown recap of the same week go to the temp folder.
 *
 *   npx tsx bench/recap/render-example.ts [out-dir]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { WeeklyMetrics } from '../../src/domain';
import { computeWeeklyMetrics, renderInfographicPng, renderInfographicSvg, weekRange, weeksEndingAt, buildRecapDigest } from '../../src/recap';
import { generateMessages } from './generate';
import { renderMarkdown } from '../../src/deliver';

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? 'docs/images');
  const zone = 'Europe/Berlin';
  const weeks = weeksEndingAt('2026-W46', 8);
  const volumes = [180, 240, 310, 290, 360, 420, 390, 470];
  const trend: { week: string; metrics: WeeklyMetrics | null }[] = [];
  for (const [i, week] of weeks.entries()) {
    if (i === 2) {
      // A week nobody computed: the trend shows a gap, not a zero.
      trend.push({ week, metrics: null });
      continue;
    }
    const range = weekRange(week, zone);
    const messages = generateMessages(range.start, range.end, volumes[i]!, { seed: 7 + i, firstId: 10_000 + i * 1000 });
    trend.push({ week, metrics: await computeWeeklyMetrics(messages, { week, zone, memberCount: 60, chatId: 1_234_567_890 }) });
  }
  const metrics = trend[trend.length - 1]!.metrics!;
  const title = 'Founders Cohort · Autumn 2026';

  let t = performance.now();
  const svg = renderInfographicSvg({ metrics, title, trend });
  const svgMs = performance.now() - t;
  t = performance.now();
  const png = renderInfographicPng(svg);
  const pngMs = performance.now() - t;

  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(tmpdir(), 'recap-example.svg'), svg);
  writeFileSync(join(outDir, 'recap-example.png'), png);
  const recap = buildRecapDigest(metrics, { title }, trend.slice(0, -1).map((p) => p.metrics));
  writeFileSync(join(tmpdir(), 'recap-example.md'), renderMarkdown(recap, { id: 1_234_567_890, type: 'private_supergroup' }));
  console.log(`svg ${svgMs.toFixed(1)} ms, png ${pngMs.toFixed(1)} ms (${(png.length / 1024).toFixed(0)} KiB) → ${join(outDir, 'recap-example.png')}`);
  console.log(`also ${join(tmpdir(), 'recap-example.svg')} and ${join(tmpdir(), 'recap-example.md')}`);
}

main().catch((err: unknown) => {
  process.exitCode = 1;
  throw err;
});
