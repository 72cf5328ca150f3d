/**
 * Export ingest benchmark: messages per second and peak RSS of reading a generated Telegram Desktop export, with
 * tgpulse's scanner and with stream-json (the well-kept streaming JSON library) side by side, each run in its own
 * child process.
 *
 *   npx tsx bench/ingest/ingest.ts [--sizes 100000,1000000] [--impl tgpulse,stream-json] [--runs 1]
 *
 * Exports are generated once under bench/.data/ (git-ignored) by the deterministic test generator.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeExport } from '../../test/support/export-generator';
import type { IngestSample } from './ingest-child';

const ROOT = resolve(__dirname, '../..');
const DATA = join(ROOT, 'bench/.data');
const CHILD = join(__dirname, 'ingest-child.ts');

function arg(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
}

async function ensureExport(messages: number): Promise<string> {
  const path = join(DATA, `export-${messages}.json`);
  if (existsSync(path)) return path;
  mkdirSync(DATA, { recursive: true });
  process.stderr.write(`generating ${path}…\n`);
  // Written under a temporary name so an interrupted run never leaves a half file that looks complete.
  await writeExport(`${path}.part`, { messages, seed: 42 });
  renameSync(`${path}.part`, path);
  return path;
}

function runChild(impl: string, file: string): Promise<IngestSample> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, impl, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${impl} on ${file} exited with ${code}`));
      else resolvePromise(JSON.parse(out.trim()) as IngestSample);
    });
  });
}

async function main(): Promise<void> {
  const sizes = arg('sizes', '100000,1000000').split(',').map(Number);
  const impls = arg('impl', 'tgpulse,stream-json').split(',');
  const runs = Number(arg('runs', '1'));
  const rows: string[] = [];
  rows.push('| impl | messages | file MB | wall s | of which open s | msgs/s (wall) | CPU s | msgs/s (CPU) | peak RSS MB |');
  rows.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const size of sizes) {
    const file = await ensureExport(size);
    const mb = statSync(file).size / 1e6;
    for (const impl of impls) {
      for (let r = 0; r < runs; r++) {
        const s = await runChild(impl, file);
        const row = `| ${impl} | ${s.messages} | ${mb.toFixed(0)} | ${s.seconds.toFixed(2)} | ${s.openSeconds.toFixed(2)} | ${Math.round(s.messages / s.seconds)} | ${s.cpuSeconds.toFixed(2)} | ${Math.round(s.messages / s.cpuSeconds)} | ${s.maxRssMb.toFixed(0)} |`;
        rows.push(row);
        process.stderr.write(`${row}\n`);
      }
    }
  }
  process.stdout.write(`\n${rows.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
