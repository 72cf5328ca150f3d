/**
 * How long a user waits before the CLI says that no worker polls the queue: from the moment the CLI process is
 * spawned to its pre-start warning, and from "started <run>" to the first "waiting: no worker" line while it waits.
 * Starts a throwaway dev server; the CLI runs as a real process (tsx), as a user runs it.
 *
 *   npx tsx bench/ops/no-worker.ts [runs=5]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTemporal } from '../../src/devstack';

const ROOT = resolve(__dirname, '../..');
const SAMPLE = join(ROOT, 'samples/cohort-export/result.json');

interface Timing {
  toWarning: number;
  startedToWaiting: number;
}

function once(address: string, queue: string, dir: string): Promise<Timing> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-r', require.resolve('tsx/cjs'), join(ROOT, 'src/starters/cli/main.ts'), 'summarize', '--export', SAMPLE], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: queue, OUTPUT_DIR: join(dir, 'out') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let warning: number | undefined;
    let started: number | undefined;
    const seen = () => {
      const now = performance.now();
      if (warning === undefined && /warning: no worker polls/.test(out)) warning = now;
      if (started === undefined && /started summarize-/.test(out)) started = now;
      if (warning !== undefined && started !== undefined && /waiting: no worker polls/.test(out)) {
        child.kill('SIGKILL');
        resolvePromise({ toWarning: warning - t0, startedToWaiting: now - started });
      }
    };
    child.stdout.on('data', (d: Buffer) => ((out += d.toString()), seen()));
    child.stderr.on('data', (d: Buffer) => ((out += d.toString()), seen()));
    child.on('close', () => reject(new Error(`the CLI exited before saying so:\n${out}`)));
  });
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'tgpulse-bench-ops-'));
  const server = await startTemporal({ logDir: dir });
  try {
    const timings: Timing[] = [];
    for (let i = 0; i < runs; i++) timings.push(await once(server.address, `bench-idle-${i}`, dir));
    const stat = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return `median ${(s[Math.floor(s.length / 2)]! / 1000).toFixed(2)} s, max ${(s[s.length - 1]! / 1000).toFixed(2)} s`;
    };
    process.stdout.write(`${runs} runs, no worker on the queue\n`);
    process.stdout.write(`CLI spawned → "warning: no worker polls task queue …":   ${stat(timings.map((t) => t.toWarning))}\n`);
    process.stdout.write(`"started <run>" → "waiting: no worker polls task queue …": ${stat(timings.map((t) => t.startedToWaiting))}\n`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
