/**
 * How long `npx tgpulse …` takes to say its first word: from spawning `bin/tgpulse.js` (as npx runs it) to the first
 * byte on stdout or stderr, and to the process's exit. Almost all of it is loading modules, so this is what a lazy
 * `require` saves or an eager import costs.
 *
 *   npx tsx bench/ops/cli-startup.ts [--runs 15] [--root <checkout>]… [--no-temporal]
 *
 * Commands timed, each as a user types it:
 * - `--help`;
 * - `summarize --export <missing file>`: the summarize path up to the export check, no server needed;
 * - `runs` against a throwaway Temporal dev server with no runs (skipped with --no-temporal).
 *
 * Several `--root`s (e.g. a checkout of the previous commit with `node_modules` linked in, and this one) are run
 * interleaved, one command at a time, so a change in the machine's load hits both alike.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTemporal } from '../../src/devstack';

interface Timing {
  firstOutputMs: number;
  exitMs: number;
}

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
}

function once(root: string, c: Case, cwd: string): Promise<Timing> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(root, 'bin/tgpulse.js'), ...c.args], {
      cwd,
      // No .env of the developer's: every root sees the same settings.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...c.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let first: number | undefined;
    let out = '';
    const seen = (d: Buffer) => {
      first ??= performance.now() - t0;
      out += d.toString();
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('error', fail);
    child.on('close', () => {
      if (first === undefined) fail(new Error(`${c.name}: the CLI exited without a word`));
      else if (/TypeError|ReferenceError|Cannot find module/.test(out)) fail(new Error(`${c.name} crashed:\n${out}`));
      else done({ firstOutputMs: first, exitMs: performance.now() - t0 });
    });
  });
}

/** Nearest-rank percentile of sorted values. */
function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return `${sec(pct(s, 50))} | ${sec(pct(s, 95))}`;
}

function arg(name: string): string[] {
  const out: string[] = [];
  process.argv.forEach((a, i) => {
    if (a === name && process.argv[i + 1]) out.push(process.argv[i + 1]!);
  });
  return out;
}

async function main(): Promise<void> {
  const runs = Number(arg('--runs')[0] ?? 15);
  const roots = arg('--root').map((r) => resolve(r));
  if (roots.length === 0) roots.push(resolve(__dirname, '../..'));
  const dir = mkdtempSync(join(tmpdir(), 'tgpulse-bench-cli-'));
  const cases: Case[] = [
    { name: '`--help`', args: ['--help'] },
    { name: '`summarize --export <missing>` (fails on the check)', args: ['summarize', '--export', join(dir, 'missing/result.json')] },
  ];
  const server = process.argv.includes('--no-temporal') ? undefined : await startTemporal({ logDir: dir });
  if (server) cases.push({ name: '`runs` (dev server, no runs)', args: ['runs'], env: { TEMPORAL_ADDRESS: server.address } });
  const load = [loadavg()[0]!];
  try {
    const results = new Map<string, Timing[]>();
    for (const c of cases) {
      // One warm-up per root: the first start after a change pays for tsx compiling our files into its cache.
      for (const root of roots) await once(root, c, dir);
      for (let i = 0; i < runs; i++) {
        for (const root of roots) {
          const key = `${c.name}\t${root}`;
          results.set(key, [...(results.get(key) ?? []), await once(root, c, dir)]);
        }
      }
      load.push(loadavg()[0]!);
    }
    process.stdout.write(`${runs} runs per command and checkout, ${process.execPath} ${process.version}; 1-min load average ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}\n\n`);
    process.stdout.write('| command | checkout | first output p50 | p95 | exit p50 | p95 |\n|---|---|---|---|---|---|\n');
    for (const [key, ts] of results) {
      const [name, root] = key.split('\t');
      process.stdout.write(`| ${name} | ${root} | ${stats(ts.map((t) => t.firstOutputMs))} | ${stats(ts.map((t) => t.exitMs))} |\n`);
    }
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
