/**
 * Precision of the shared bucket: P processes × C concurrent callers on one account for S seconds at the default
 * rate (4/s, burst 4), then the same with rate-limiter-flexible on the same Redis.
 * Run: npx tsx bench/limiter/precision.ts [--seconds 60] [--processes 8] [--callers 4]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { benchRedis } from './bench-redis';

const arg = (name: string, def: number) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] ?? 0) || def;
const seconds = arg('seconds', 60);
const processes = arg('processes', 8);
const callers = arg('callers', 4);
const rate = 4;
const burst = 4;

interface Run {
  lateMs: number;
  observed: number[];
  granted: number[];
}

function runProcess(job: object): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(__dirname, 'precision-process.ts'), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Run) : reject(new Error(`process exited with ${code}`))));
  });
}

/** Most grants in any 1 s window, and grants per whole second counted from the start. */
function perSecond(times: number[], startAt: number): { maxSliding: number; maxAligned: number } {
  const sorted = [...times].sort((a, b) => a - b);
  let maxSliding = 0;
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= 1000) lo++;
    maxSliding = Math.max(maxSliding, hi - lo + 1);
  }
  const buckets = new Map<number, number>();
  for (const t of sorted) buckets.set(Math.floor((t - startAt) / 1000), (buckets.get(Math.floor((t - startAt) / 1000)) ?? 0) + 1);
  return { maxSliding, maxAligned: Math.max(...buckets.values()) };
}

function row(name: string, times: number[], startAt: number): string {
  const { maxSliding, maxAligned } = perSecond(times, startAt);
  const raw = times.length / seconds;
  // The first burst is a one-off allowance: the steady rate leaves it out.
  const steady = (times.length - burst) / seconds;
  const err = ((steady - rate) / rate) * 100;
  return `| ${name} | ${times.length} | ${raw.toFixed(3)}/s | ${steady.toFixed(3)}/s (${err >= 0 ? '+' : ''}${err.toFixed(2)}%) | ${maxAligned} | ${maxSliding} |`;
}

async function main(): Promise<void> {
  const { url, service } = await benchRedis();
  const rows: string[] = [];
  try {
    for (const impl of ['tgpulse', 'rlf'] as const) {
      const startAt = Date.now() + 15_000;
      const job = { impl, redisUrl: url, prefix: `precision-${impl}:`, rate, burst, callers, startAt, durationMs: seconds * 1000 };
      const results = await Promise.all(Array.from({ length: processes }, () => runProcess(job)));
      const late = Math.max(...results.map((r) => r.lateMs));
      // A process that started after the window opened would make the figures wrong: say so rather than print them.
      if (late > 0) throw new Error(`a process started ${late} ms late: the machine is too loaded, or raise the start delay`);
      const observed = results.flatMap((r) => r.observed);
      if (impl === 'tgpulse') {
        rows.push(row('tgpulse, bucket time of each grant', results.flatMap((r) => r.granted), startAt));
        rows.push(row('tgpulse, as the callers saw it', observed, startAt));
      } else {
        rows.push(row('rate-limiter-flexible (fixed window), as the callers saw it', observed, startAt));
      }
    }
  } finally {
    await service.stop();
  }
  process.stdout.write(
    `${processes} processes × ${callers} callers, ${seconds} s, rate ${rate}/s, burst ${burst} (most allowed in any second: ${rate + burst})\n\n` +
      `| limiter | grants | raw rate | steady rate (error) | max in a whole second | max in any 1 s window |\n|---|---|---|---|---|---|\n${rows.join('\n')}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
