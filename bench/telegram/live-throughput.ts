/**
 * Live extraction throughput against a real MTProto server (the piltover kit), through everything a live run uses:
 * tgpulse's connection settings, gramjs, GramjsTelegram and the real Redis limiter at RATE_RPS (default 4, burst 4).
 * The ceiling is 100 messages a request × RATE_RPS requests a second; the figure is the share of it reached.
 *
 * Run: REDIS_URL=redis://127.0.0.1:6379 npx tsx bench/telegram/live-throughput.ts [--messages 4000] [--runs 3]
 * (starts its own piltover from ../shared/piltover or PILTOVER_KIT, installed by scripts/install-deps.sh)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { createLimiter } from '../../src/limiter';
import { GramjsTelegram, PeerCache, telegramKeys } from '../../src/telegram';
import { startPiltover, stopPiltover } from '../../test/support/piltover';
import { postMany } from '../../test/support/piltover-chat';
import { piltoverGroup, piltoverUser } from '../../test/support/piltover-users';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { messages: { type: 'string', default: '4000' }, runs: { type: 'string', default: '3' } } });
  const total = Number(values.messages);
  const runs = Number(values.runs);
  const rate = Number(process.env.RATE_RPS ?? 4);
  const burst = Number(process.env.RATE_BURST ?? 4);
  const info = await startPiltover({ stateDir: mkdtempSync(join(tmpdir(), 'tgpulse-bench-piltover-')) });
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    const [reader, poster] = await Promise.all([piltoverUser('Reader', { info }), piltoverUser('Poster', { info })]);
    const group = await piltoverGroup(reader, 'Bench', [poster]);
    const posting = Date.now();
    await postMany(poster, `@${group.username}`, Array.from({ length: total }, (_, i) => `bench message ${i} with a little text to map`), 20);
    process.stdout.write(`posted ${total} messages in ${((Date.now() - posting) / 1000).toFixed(1)} s\n`);
    const ceiling = 100 * rate;
    for (let run = 1; run <= runs; run++) {
      const prefix = `bench-live-${process.pid}-${run}:`;
      const guard = createLimiter({ redis, prefix, ratePerSecond: rate, burst });
      const port = new GramjsTelegram({ client: reader.client, guard, account: 'bench', peers: new PeerCache(redis, telegramKeys(prefix), 'bench') });
      const chat = await port.resolveChat(`@${group.username}`);
      // Resolving took a token; start from a full bucket as a fresh run would.
      await new Promise((r) => setTimeout(r, (burst / rate) * 1000 + 100));
      const pageTimes: number[] = [];
      const pageSizes: number[] = [];
      let count = 0;
      const started = performance.now();
      for await (const page of port.history({ chat })) {
        count += page.messages.length;
        pageTimes.push(performance.now());
        pageSizes.push(page.messages.length);
      }
      const seconds = (performance.now() - started) / 1000;
      // Steady state: after the first `burst` pages, which the full bucket lets through at once.
      const steadyMessages = pageSizes.slice(burst).reduce((a, b) => a + b, 0);
      const steadySeconds = (pageTimes.at(-1)! - pageTimes[burst - 1]!) / 1000;
      const steady = steadyMessages / steadySeconds;
      process.stdout.write(
        `run ${run}: ${count} messages, ${pageTimes.length} requests in ${seconds.toFixed(2)} s = ${Math.round(count / seconds)} msgs/s overall (${((count / seconds / ceiling) * 100).toFixed(1)} % of ${ceiling}); ` +
          `steady state after the burst ${Math.round(steady)} msgs/s = ${((steady / ceiling) * 100).toFixed(1)} % of the ceiling\n`,
      );
    }
    await Promise.all([reader.close(), poster.close()]);
  } finally {
    redis.disconnect();
    await stopPiltover(info);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
