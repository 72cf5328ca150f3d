/**
 * Renders the example infographic of the README (docs/images/recap-example.png) from the bundled sample export
 * (samples/cohort-export/result.json), as a recap of its last week would: the weeks of the trend computed in one
 * pass over the export, each knowing how much of it the export holds, the sample's check-in bot left out. Times SVG
 * building and PNG rendering. The SVG and the Markdown recap of the same week go to the temp folder.
 *
 *   npx tsx bench/recap/render-example.ts [out-dir]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openExport } from '../../src/export';
import { buildRecapDigest, createWeeksAccumulator, hasData, renderInfographicPng, renderInfographicSvg, TREND_WEEKS, weeksEndingAt, type SourceSpan } from '../../src/recap';
import { renderMarkdown } from '../../src/deliver';

const SAMPLE = resolve(__dirname, '../../samples/cohort-export/result.json');
/** The sample's check-in bot: exports do not flag bots, a cohort's settings name them. */
const BOT_ID = 'user7612093345';

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? 'docs/images');
  const zone = 'Europe/Berlin';
  const source = await openExport(SAMPLE);
  const chat = await source.info();
  let first: string | null = null;
  let last: string | null = null;
  const all = [];
  for await (const m of source.messages({})) {
    first ??= m.date;
    last = m.date;
    all.push(m);
  }
  const span: SourceSpan = { first, last };
  const newest = '2026-W46';
  const acc = createWeeksAccumulator({ weeks: weeksEndingAt(newest, TREND_WEEKS), zone, chatId: chat.id, botIds: [BOT_ID, 'name:Cohort 7 Bot'], span });
  for (const m of all) acc.add(m);
  // As the recap stores them: weeks the export does not hold are not stored, so the trend has a gap there.
  const trend = acc.finish().map((m) => ({ week: m.week, metrics: hasData(m) ? m : null }));
  const metrics = trend[trend.length - 1]!.metrics!;

  let t = performance.now();
  const svg = renderInfographicSvg({ metrics, title: chat.title, trend });
  const svgMs = performance.now() - t;
  t = performance.now();
  const png = renderInfographicPng(svg);
  const pngMs = performance.now() - t;

  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(tmpdir(), 'recap-example.svg'), svg);
  writeFileSync(join(outDir, 'recap-example.png'), png);
  const recap = buildRecapDigest(metrics, chat, trend.slice(0, -1).map((p) => p.metrics));
  writeFileSync(join(tmpdir(), 'recap-example.md'), renderMarkdown(recap, chat));
  console.log(`svg ${svgMs.toFixed(1)} ms, png ${pngMs.toFixed(1)} ms (${(png.length / 1024).toFixed(0)} KiB) → ${join(outDir, 'recap-example.png')}`);
  console.log(`also ${join(tmpdir(), 'recap-example.svg')} and ${join(tmpdir(), 'recap-example.md')}`);
}

main().catch((err: unknown) => {
  process.exitCode = 1;
  throw err;
});
