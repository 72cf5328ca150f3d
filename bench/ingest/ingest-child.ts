/**
 * One measured ingest, in its own process so peak RSS is this ingest's alone. Prints one JSON line.
 *
 *   node --import tsx bench/ingest/ingest-child.ts <tgpulse|stream-json> <file>
 */
import { createReadStream } from 'node:fs';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/Pick';
import { streamArray } from 'stream-json/streamers/StreamArray';
import { normalizeMessage, openExport, TopicThreads, type RawExportMessage } from '../../src/export';

export interface IngestSample {
  impl: string;
  file: string;
  messages: number;
  /** Wall time of the whole ingest, open included. */
  seconds: number;
  /** Of which: opening (for tgpulse, the validating pass). */
  openSeconds: number;
  /** CPU time (user + system) of the process during the ingest. */
  cpuSeconds: number;
  maxRssMb: number;
}

async function tgpulse(file: string): Promise<{ messages: number; openSeconds: number }> {
  const t0 = performance.now();
  const source = await openExport(file);
  const openSeconds = (performance.now() - t0) / 1000;
  let messages = 0;
  for await (const m of source.messages({})) if (m.id !== 0) messages++;
  return { messages, openSeconds };
}

/** The same normalization behind stream-json's parser, so the difference is the parsing alone. */
async function streamJson(file: string): Promise<{ messages: number; openSeconds: number }> {
  const ctx = { chatId: 0, threads: new TopicThreads() };
  const items = createReadStream(file, { highWaterMark: 1 << 20 })
    .pipe(parser())
    .pipe(pick({ filter: 'messages' }))
    .pipe(streamArray());
  let messages = 0;
  for await (const item of items as AsyncIterable<{ key: number; value: RawExportMessage }>) {
    const m = normalizeMessage(item.value, ctx);
    if (m !== undefined) messages++;
  }
  return { messages, openSeconds: 0 };
}

async function main(): Promise<void> {
  const [impl, file] = process.argv.slice(2);
  if (!file || (impl !== 'tgpulse' && impl !== 'stream-json')) throw new Error('usage: ingest-child.ts <tgpulse|stream-json> <file>');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const run = impl === 'tgpulse' ? await tgpulse(file) : await streamJson(file);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const sample: IngestSample = {
    impl,
    file,
    messages: run.messages,
    seconds,
    openSeconds: run.openSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    // maxRSS is in kilobytes on Linux and macOS.
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
