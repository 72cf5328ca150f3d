/**
 * What the CLI's pre-start check of an export costs: `checkExport` (the parser's validating pass, every byte, no
 * message parsed) over generated exports, against reading every message (what the run itself does after it).
 *
 *   npx tsx bench/ingest/pre-start-check.ts [--sizes 100000,1000000] [--runs 3]
 *
 * Exports are generated once under bench/.data/ (git-ignored), shared with bench/ingest/ingest.ts.
 */
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkExport, openExport } from '../../src/export';
import { writeExport } from '../../test/support/export-generator';

const DATA = join(resolve(__dirname, '../..'), 'bench/.data');

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

async function ensureExport(messages: number): Promise<string> {
  const path = join(DATA, `export-${messages}.json`);
  if (existsSync(path)) return path;
  mkdirSync(DATA, { recursive: true });
  process.stderr.write(`generating ${path}…\n`);
  await writeExport(`${path}.part`, { messages, seed: 42 });
  renameSync(`${path}.part`, path);
  return path;
}

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
  const sizes = arg('sizes', '100000,1000000').split(',').map(Number);
  const runs = Number(arg('runs', '3'));
  process.stdout.write('| messages | file MB | check s (min–max) | MB/s | full read s | check / full read |\n|---:|---:|---:|---:|---:|---:|\n');
  for (const size of sizes) {
    const file = await ensureExport(size);
    const mb = statSync(file).size / 1e6;
    const checks: number[] = [];
    for (let r = 0; r < runs; r++) checks.push(await seconds(() => checkExport(file)));
    const read = await seconds(async () => {
      const source = await openExport(file);
      for await (const m of source.messages()) void m;
    });
    const [min, max] = [Math.min(...checks), Math.max(...checks)];
    process.stdout.write(`| ${size.toLocaleString('en')} | ${mb.toFixed(0)} | ${min.toFixed(2)}–${max.toFixed(2)} | ${(mb / min).toFixed(0)} | ${read.toFixed(2)} | ${((min / read) * 100).toFixed(0)} % |\n`);
  }
}

void main();
