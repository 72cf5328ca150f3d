import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadDotenv } from '../../config';
import { describeError } from '../../domain';
import { createJobSlots, createLimiter, createLimiterRedis, limiterOptionsFromConfig } from '../../limiter';
import { diskCheck, redisCheck, workerCheck, type HealthCheck, type OpsServer } from '../../observability';
import { openArtifactStore } from '../../store';
import { accountDepsFromConfig, botAccountName, telegramCredentials } from '../../telegram';
import { connectClient, connectWorker, dataConverterFromConfig } from '../../temporal';
import { exitOnStartupFailure, requireRedis, startWorkerOps } from '../../workers';
import { parseAllowlist } from './access';
import { botSettings } from './bot-settings';
import { startBotUserbot } from './bot-userbot';
import { userbotNotHandedOn, watchCatchUps } from './metrics';
import { startUserbot, type UserbotOptions } from './userbot';

// A restarted userbot waits this long for the lease of the process it replaces (a crashed one's runs out in 30 s).
const LEASE_WAIT_MS = 35_000;

/**
 * `npm run userbot [-- --account <name>] [--bot]`: the account's worker plus the listener on its session, until SIGINT or
 * SIGTERM. With --bot, a bot (USERBOT_BOT_TOKEN) listens and answers instead, and the account only reads. USERBOT_ALLOWLIST (ids or usernames, comma-separated) names who besides the owner may talk to it.
 * It is that account's worker, so it serves `/metrics` and `/healthz` on ACCOUNT_METRICS_PORT, and checks what it
 * needs first, as the account worker does: the port, Redis, the artifact store, Temporal.
 */
async function main(): Promise<void> {
  loadDotenv();
  const config = loadConfig();
  const { values } = parseArgs({ args: process.argv.slice(2), options: { account: { type: 'string' }, bot: { type: 'boolean' } }, strict: true });
  const account = values.account?.trim() || config.SESSION_NAME;
  if (!/^[A-Za-z0-9_-]+$/.test(account)) throw new ConfigError([`--account (${JSON.stringify(account)}): may hold only letters, digits, _ and -`]);
  telegramCredentials(config);
  const allowlist = parseAllowlist(config.USERBOT_ALLOWLIST);
  const bot = values.bot === true ? botSettings(config) : undefined;
  const redis = createLimiterRedis(config.REDIS_URL);
  let ops: OpsServer | undefined;
  try {
    // The configuration is read: from here on a failure is the machine's, told in one line.
    starting = true;
    // The workers' and the listener's checks join once they exist; /healthz reads the list on each request.
    const checks: HealthCheck[] = [redisCheck(redis), diskCheck(config.DATA_DIR)];
    ops = await startWorkerOps({ port: config.ACCOUNT_METRICS_PORT, portSetting: 'ACCOUNT_METRICS_PORT', host: config.METRICS_HOST, checks });
    await requireRedis(redis);
    const store = await openArtifactStore(config);
    const endpoint = ops ? `; /metrics and /healthz on ${config.METRICS_HOST}:${ops.port}` : '';
    const guard = createLimiter({ redis, ...limiterOptionsFromConfig(config) });
    const deps = { ...accountDepsFromConfig(config, { redis, guard, account }), lease: { waitMs: LEASE_WAIT_MS } };
    const connection = await connectWorker(config);
    const client = await connectClient(config);
    try {
      const watchdogMs = config.USERBOT_WATCHDOG_SECONDS * 1000;
      const catchUps = watchCatchUps({ watchdogMs });
      const options: UserbotOptions = {
        connection,
        client,
        namespace: config.TEMPORAL_NAMESPACE,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        account,
        deps,
        store,
        outputDir: config.OUTPUT_DIR,
        allowlist,
        limiterStats: (name) => guard.getStats(name),
        jobSlots: createJobSlots({
          redis,
          prefix: config.REDIS_KEY_PREFIX,
          limits: { perHour: config.USERBOT_JOBS_PER_HOUR, atOnce: config.USERBOT_JOBS_AT_ONCE, globalAtOnce: config.USERBOT_GLOBAL_JOBS_AT_ONCE },
        }),
        floodTimerThresholdSeconds: config.FLOOD_WAIT_TIMER_THRESHOLD_SECONDS,
        dataConverter: dataConverterFromConfig(config, { warn: (m: string) => process.stderr.write(`${m}\n`) }),
        watchdogMs,
        onCatchUp: catchUps.onCatchUp,
        onError: (err, message) => {
          if (message) userbotNotHandedOn.inc();
          process.stderr.write(`${message ? `Message ${message.id} was not handed on (the next catch-up tries again)` : 'Catch-up failed'}: ${describeError(err).message}\n`);
        },
      };
      const allowed = allowlist.ids.size + allowlist.usernames.size;
      if (bot) {
        const botAccount = botAccountName(bot.token);
        const botDeps = { ...accountDepsFromConfig(config, { redis, guard, account: botAccount }), lease: { waitMs: LEASE_WAIT_MS } };
        const running = await startBotUserbot({ ...options, botDeps, token: bot.token, ownerId: bot.ownerId });
        // Each worker stops when its account's lease is lost; the bot's catch-ups are watched as the userbot's are.
        checks.unshift(workerCheck(running.worker.worker), { ...workerCheck(running.botWorker.worker), name: 'temporal-bot' }, catchUps.check);
        process.stdout.write(`tgpulse bot @${running.botUsername ?? running.botId} listening (direct messages from owner ${bot.ownerId} and ${allowed} allowlisted user(s)); reading through "${account}"${endpoint}\n`);
        started = true;
        await running.done;
        return;
      }
      const userbot = await startUserbot(options);
      checks.unshift(workerCheck(userbot.worker.worker), catchUps.check);
      process.stdout.write(`tgpulse userbot for "${account}" listening (owner ${userbot.selfId}'s Saved Messages and ${allowed} allowlisted user(s)); task queue ${userbot.worker.taskQueue}${endpoint}\n`);
      started = true;
      await userbot.done;
    } finally {
      await client.connection.close();
      await connection.close();
    }
  } finally {
    await ops?.close();
    redis.disconnect();
  }
}

/** Set once the configuration is read, then once it listens: a failure in between is a start that failed. */
let starting = false;
let started = false;

main().catch((err: unknown) => {
  if (starting && !started) exitOnStartupFailure('the userbot', err);
  const { message, exitCode } = describeError(err);
  process.stderr.write(`${message}\n`);
  process.exitCode = exitCode;
});
