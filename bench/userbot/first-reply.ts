/**
 * The userbot's latency on a real MTProto server (the piltover kit), through everything `npm run userbot` runs: the
 * listener, update-with-start to the conversation workflow on a Temporal dev server, the account worker and its
 * Redis limiter, gramjs both ways. The owner writes in Saved Messages from a second session (their "phone"); the
 * clock runs from just before the owner's message is sent to the moment the owner's client receives the answer.
 *
 * - first reply: `/summarize <small group>` → the job's first status message ("Run N: reading …"); then the job's
 *   result files (time to result on a 6-message group).
 * - the bundled sample: the text messages of samples/cohort-export/result.json posted into a piltover group,
 *   then `/summarize` → the result files.
 *
 * Run: npx tsx bench/userbot/first-reply.ts [--messages 30] [--sample-runs 3]
 * (starts its own Temporal dev server, Redis and piltover; RATE_RPS as configured, default 4)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { Api } from 'telegram';
import { NewMessage, type NewMessageEvent } from 'telegram/events';
import { startRedis, startTemporal } from '../../src/devstack';
import { createJobSlots, createLimiter, createLimiterRedis } from '../../src/limiter';
import { parseAllowlist, startUserbot } from '../../src/starters/userbot';
import { LocalArtifactStore } from '../../src/store';
import { accountDepsFromConfig, loginTelegramAccount } from '../../src/telegram';
import { createGeneralWorker, openJobSource } from '../../src/workers';
import { startPiltover, stopPiltover } from '../../test/support/piltover';
import { postMany } from '../../test/support/piltover-chat';
import { PILTOVER_API, piltoverGroup, piltoverUser } from '../../test/support/piltover-users';
import { piltoverSettings } from '../../test/support/piltover';

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function summary(name: string, values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  return `${name}: n=${s.length} p50 ${fmt(pct(s, 50))} p95 ${fmt(pct(s, 95))} min ${fmt(s[0]!)} max ${fmt(s.at(-1)!)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { messages: { type: 'string', default: '30' }, 'sample-runs': { type: 'string', default: '3' } } });
  const jobs = Number(values.messages);
  const sampleRuns = Number(values['sample-runs']);
  Runtime.install({ logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } as never });
  const dir = mkdtempSync(join(tmpdir(), 'tgpulse-bench-userbot-'));
  const logDir = join(dir, 'logs');
  const [temporal, redisServer, info] = await Promise.all([startTemporal({ logDir }), startRedis({ logDir }), startPiltover({ stateDir: join(dir, 'piltover') })]);
  const redis = createLimiterRedis(`redis://127.0.0.1:${redisServer.port}`);
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const owner = await piltoverUser('Owner', { info });
    stops.push(() => owner.close());
    const small = await piltoverGroup(owner, 'Bench small');
    await postMany(owner, `@${small.username}`, ['Kickoff on Monday', 'Who owns the deploy?', 'I do', 'Blocked: CI is red', 'Fixed CI']);

    const config = { ...PILTOVER_API, ...piltoverSettings(info), SESSION_DIR: join(dir, 'sessions'), SESSION_NAME: 'bench', REDIS_KEY_PREFIX: 'bench:' };
    const rate = Number(process.env.RATE_RPS ?? 4);
    const guard = createLimiter({ redis, prefix: config.REDIS_KEY_PREFIX, ratePerSecond: rate, burst: Number(process.env.RATE_BURST ?? 4) });
    const deps = accountDepsFromConfig(config, { redis, guard, account: 'bench' });
    await loginTelegramAccount({ ...deps, prompts: { phone: async () => owner.phone, code: async () => info.login_code, password: async () => 'unused' } });

    const store = new LocalArtifactStore(join(dir, 'data'));
    const native = await NativeConnection.connect({ address: temporal.address });
    const taskQueue = 'bench-userbot';
    const worker = await createGeneralWorker({ connection: native, namespace: 'default', taskQueue, deps: { store, openSource: openJobSource, llm: null } });
    const running = worker.run();
    stops.push(async () => {
      worker.shutdown();
      await running;
      await native.close();
    });
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());
    const userbot = await startUserbot({
      connection: native,
      client: new Client({ connection, namespace: 'default' }),
      namespace: 'default',
      taskQueue,
      account: 'bench',
      deps,
      store,
      allowlist: parseAllowlist(''),
      jobSlots: createJobSlots({ redis, prefix: config.REDIS_KEY_PREFIX, limits: { perHour: 1000, atOnce: 1, globalAtOnce: 4 } }),
    });
    stops.unshift(() => userbot.stop());

    // What the owner's phone receives in Saved Messages, with the moment it arrived.
    const arrivals: { at: number; message: Api.Message }[] = [];
    const saved = (m: Api.Message) => m.peerId instanceof Api.PeerUser && m.peerId.userId.toString() === String(owner.id);
    owner.client.addEventHandler((e: NewMessageEvent) => {
      if (saved(e.message)) arrivals.push({ at: performance.now(), message: e.message });
    }, new NewMessage({}));
    const until = async (what: string, test: (m: Api.Message) => boolean, from: number, ms = 600_000): Promise<number> => {
      const end = Date.now() + ms;
      for (;;) {
        const hit = arrivals.slice(from).find((a) => test(a.message));
        if (hit) return hit.at;
        if (Date.now() > end) throw new Error(`no ${what} within ${ms / 1000} s`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const isFile = (m: Api.Message) => m.media instanceof Api.MessageMediaDocument;
    const runJob = async (chat: string) => {
      const from = arrivals.length;
      const t0 = performance.now();
      await owner.client.sendMessage('me', { message: `/summarize https://t.me/${chat} what happened` });
      const first = await until('first status', (m) => /^Run \d+: reading/.test(m.message), from);
      let files = 0;
      const done = await until('result files', (m) => isFile(m) && ++files >= 2, from);
      return { first: first - t0, result: done - t0 };
    };

    const firsts: number[] = [];
    const results: number[] = [];
    for (let i = 0; i < jobs; i++) {
      const { first, result } = await runJob(small.username);
      firsts.push(first);
      results.push(result);
    }
    process.stdout.write(`${summary('first status reply (small group)', firsts)}\n${summary('result files (small group, 6 messages)', results)}\n`);

    const sample = JSON.parse(readFileSync(resolve(__dirname, '../../samples/cohort-export/result.json'), 'utf8')) as { messages: { type: string; text: unknown }[] };
    const texts = sample.messages
      .filter((m) => m.type === 'message')
      .map((m) => (typeof m.text === 'string' ? m.text : Array.isArray(m.text) ? m.text.map((p) => (typeof p === 'string' ? p : (p as { text: string }).text)).join('') : ''))
      .filter((t) => t.trim() !== '');
    const cohort = await piltoverGroup(owner, 'Build Cohort #7 (bench)');
    const posting = Date.now();
    await postMany(owner, `@${cohort.username}`, texts, 10);
    process.stdout.write(`posted the sample's ${texts.length} text messages in ${((Date.now() - posting) / 1000).toFixed(1)} s\n`);
    const sampleResults: number[] = [];
    for (let i = 0; i < sampleRuns; i++) sampleResults.push((await runJob(cohort.username)).result);
    process.stdout.write(`${summary(`result files (the bundled sample, ${texts.length} messages)`, sampleResults)}\n`);
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    redis.disconnect();
    await stopPiltover(info);
    await Promise.all([temporal.stop(), redisServer.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
