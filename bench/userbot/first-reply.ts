/**
 * The userbot's latency on a real MTProto server (the piltover kit), through everything `npm run userbot` runs: the
 * listener, update-with-start to the conversation workflow on a Temporal dev server, the account worker and its
 * Redis limiter, gramjs both ways. The owner writes in Saved Messages from a second session (their "phone"); the
 * clock runs from just before the owner's message is sent to the moment the owner's client receives the answer.
 *
 * - first reply: `/status` → its answer; `/summarize <small group>` → the job's first status message ("Run N: …"),
 *   then the job's result files (time to result on a 6-message group).
 * - the bundled sample: the text messages of samples/cohort-export/result.json posted into a piltover group,
 *   then `/summarize` → the result files.
 *
 * Run: npx tsx bench/userbot/first-reply.ts [--messages 30] [--jobs 10] [--sample-runs 2]
 * (starts its own Temporal dev server, Redis and piltover; RATE_RPS as configured, default 4)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { Api } from 'telegram';
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
  const { values } = parseArgs({ options: { messages: { type: 'string', default: '30' }, jobs: { type: 'string', default: '10' }, 'sample-runs': { type: 'string', default: '2' } } });
  const statusMessages = Number(values.messages);
  const jobCount = Number(values.jobs);
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
    const worker = await createGeneralWorker({ connection: native, namespace: 'default', taskQueue, deps: { store, outputDir: join(dir, 'out'), openSource: openJobSource, llm: null } });
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
      outputDir: join(dir, 'out'),
      allowlist: parseAllowlist(''),
      jobSlots: createJobSlots({ redis, prefix: config.REDIS_KEY_PREFIX, limits: { perHour: 1000, atOnce: 1, globalAtOnce: 4 } }),
    });
    stops.unshift(() => userbot.stop());

    // What the owner's phone sees in Saved Messages, polled (gramjs events on a second session are not reliable on
    // piltover): a figure is late by at most one poll, about 50 ms plus one history request.
    let lastSeen = (await owner.client.getMessages('me', { limit: 1 }))[0]?.id ?? 0;
    const until = async (what: string, test: (m: Api.Message) => boolean, ms = Number(process.env.BENCH_WAIT_MS ?? 600_000)): Promise<number> => {
      const end = Date.now() + ms;
      for (;;) {
        const at = performance.now();
        const fresh = [...(await owner.client.getMessages('me', { limit: 10 }))].filter((m) => m.id > lastSeen).reverse();
        const hit = fresh.find((m) => test(m));
        if (hit) {
          lastSeen = hit.id;
          return at;
        }
        if (Date.now() > end) {
          const seen = [...(await owner.client.getMessages('me', { limit: 10 }))].map((m) => `${m.id}${m.media ? ` [${m.media.className}]` : ''}: ${m.message.slice(0, 80)}`);
          throw new Error(`no ${what} within ${ms / 1000} s; Saved Messages ends with:\n${seen.join('\n')}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const isFile = (m: Api.Message) => m.media instanceof Api.MessageMediaDocument;
    const runJob = async (chat: string) => {
      const t0 = performance.now();
      const sent = await owner.client.sendMessage('me', { message: `/summarize https://t.me/${chat} what happened` });
      lastSeen = sent.id;
      const first = await until('first status', (m) => /^Run \d+\b/.test(m.message));
      // The Markdown and JSON files: count distinct messages (a poll sees a file again until the next one comes).
      const files = new Set<number>();
      const done = await until('result files', (m) => isFile(m) && files.add(m.id).size >= 2);
      return { first: first - t0, result: done - t0 };
    };

    const replies: number[] = [];
    for (let i = 0; i < statusMessages; i++) {
      const t0 = performance.now();
      const sent = await owner.client.sendMessage('me', { message: '/status' });
      lastSeen = sent.id;
      replies.push((await until('/status reply', (m) => m.message.startsWith('Nothing is running'))) - t0);
    }
    process.stdout.write(`${summary('first reply to /status', replies)}\n`);

    const firsts: number[] = [];
    const results: number[] = [];
    for (let i = 0; i < jobCount; i++) {
      const { first, result } = await runJob(small.username);
      firsts.push(first);
      results.push(result);
    }
    process.stdout.write(`${summary('first status message of a job (small group)', firsts)}\n${summary('result files (small group, 6 messages)', results)}\n`);

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
