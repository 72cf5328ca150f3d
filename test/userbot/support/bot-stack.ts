import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import type Redis from 'ioredis';
import { NewMessage, type NewMessageEvent } from 'telegram/events';
import { createJobSlots, createLimiter, createLimiterRedis } from '../../../src/limiter';
import { parseAllowlist, startBotUserbot, type BotUserbotOptions, type RunningBotUserbot } from '../../../src/starters/userbot';
import { LocalArtifactStore } from '../../../src/store';
import { accountDepsFromConfig, botAccountName } from '../../../src/telegram';
import { openJobSource } from '../../../src/workers';
import { runCli } from '../../support/cli';
import type { PiltoverInfo } from '../../support/piltover';
import type { PiltoverUser } from '../../support/piltover-users';
import { testStack } from '../../support/stack';
import { startTestWorker, type TestWorker } from '../../support/worker';
import { piltoverConfig, piltoverEnv } from '../../telegram-pipeline/support/piltover-pipeline';
import { waitFor } from './userbot-stack';

/** Creates a bot with @BotFather from `user`'s client; its token. */
export async function newBot(user: PiltoverUser, username: string): Promise<string> {
  const replies: string[] = [];
  const handler = (ev: NewMessageEvent) => {
    if (!ev.message.out) replies.push(ev.message.message);
  };
  user.client.addEventHandler(handler, new NewMessage({}));
  try {
    for (const text of ['/newbot', 'Pulse Test', username]) {
      const seen = replies.length;
      await user.client.sendMessage('@BotFather', { message: text });
      await waitFor(`@BotFather's answer to ${text}`, async () => (replies.length > seen ? true : undefined));
    }
    const found = /(\d+:[A-Za-z0-9_-]{20,})/.exec(replies.join('\n'));
    if (!found) throw new Error(`@BotFather gave no token: ${replies.join(' | ')}`);
    return found[1]!;
  } finally {
    user.client.removeEventHandler(handler, new NewMessage({}));
  }
}

/** Bot mode on piltover as `npm run userbot -- --bot` runs it: a general worker, the reading account, the bot. */
export interface BotStack {
  dir: string;
  store: LocalArtifactStore;
  token: string;
  tw: TestWorker;
  /** The running bot; throws while it is down. */
  bot: RunningBotUserbot;
  /** What `onError` heard, as text. */
  errors: string[];
  /** Stops the bot (it drains, its leases are given back) and leaves it down until {@link startAgain}. */
  stopBot(): Promise<void>;
  startAgain(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `owner` makes a bot with @BotFather, logs in a second time as the reading account (`tgpulse login`), and the bot
 * starts with `allow` on its allowlist.
 */
export async function startBotStack(opts: { owner: PiltoverUser; account: string; allow: string; watchdogMs?: number; catchUpTimeoutMs?: number; info?: PiltoverInfo }): Promise<BotStack> {
  const token = await newBot(opts.owner, `pulse${opts.owner.id}_bot`);
  const dir = mkdtempSync(join(tmpdir(), 'tgpulse-bot-'));
  const config = piltoverConfig(dir, opts.account, opts.info);
  const login = await runCli(['login', '--session', opts.account, '--phone', opts.owner.phone, '--code', '22222'], piltoverEnv(config));
  if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
  const store = new LocalArtifactStore(join(dir, 'data'));
  const redis: Redis = createLimiterRedis(testStack().redisUrl);
  const limiter = createLimiter({ redis, prefix: config.REDIS_KEY_PREFIX, ratePerSecond: 50, burst: 8 });
  const tw = await startTestWorker({ store, outputDir: join(dir, 'out'), openSource: openJobSource, llm: null });
  const connection = await NativeConnection.connect({ address: testStack().temporalAddress });
  const errors: string[] = [];
  const options: BotUserbotOptions = {
    connection,
    client: tw.client,
    namespace: 'default',
    taskQueue: tw.taskQueue,
    account: opts.account,
    deps: accountDepsFromConfig(config, { redis, guard: limiter, account: opts.account }),
    botDeps: accountDepsFromConfig(config, { redis, guard: limiter, account: botAccountName(token) }),
    token,
    ownerId: String(opts.owner.id),
    store,
    outputDir: join(dir, 'out'),
    allowlist: parseAllowlist(opts.allow),
    jobSlots: createJobSlots({ redis, prefix: config.REDIS_KEY_PREFIX, limits: { perHour: 100, atOnce: 1, globalAtOnce: 100 } }),
    heartbeatEveryMs: 200,
    watchdogMs: opts.watchdogMs ?? 600_000,
    ...(opts.catchUpTimeoutMs !== undefined ? { catchUpTimeoutMs: opts.catchUpTimeoutMs } : {}),
    onError: (err) => {
      errors.push(err instanceof Error ? err.message : String(err));
      if (process.env.TGPULSE_TEST_VERBOSE) process.stderr.write(`[bot] ${new Date().toISOString()} ${String(err)}\n`);
    },
  };
  let up: RunningBotUserbot | undefined = await startBotUserbot(options);
  return {
    dir,
    store,
    token,
    tw,
    errors,
    get bot() {
      if (!up) throw new Error('the bot is down');
      return up;
    },
    async stopBot() {
      await up?.stop();
      up = undefined;
    },
    async startAgain() {
      up = await startBotUserbot(options);
    },
    async stop() {
      await up?.stop();
      await tw.stop();
      await connection.close();
      redis.disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
