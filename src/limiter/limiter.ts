import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { ReplyError } from 'ioredis';
import { BadInputError, FloodWaitError, QuotaExceededError, RemoteRefusedError, TransportError } from '../domain';
import {
  floodWaitEvents,
  limiterRedisErrors,
  quotaLimit,
  quotaUsed,
  rateLimitRequests,
  rateLimitThrottled,
  teleCallLatency,
} from '../observability';
import { AccountPausedError } from './account-paused-error';
import type { CallGuard, SafeCallOptions, TelegramOp, WaitInfo } from './call-guard';
import { limiterKeys, type LimiterKeys, type PauseGroup } from './keys';
import { DEFAULT_LIMITER_SETTINGS, type LimiterLogger, type LimiterOptions, type LimiterSettings } from './options';
import { redisWhere } from './redis-client';
import { withLimiterCommands, type LimiterCommands } from './scripts';
import { neverSent } from './never-sent';
import { nextUtcMidnight, redisTimeMs, utcDay } from './utc-day';

/** Every kind of call, in the order `tgpulse limits` lists them. */
export const TELEGRAM_OPS: readonly TelegramOp[] = ['api', 'dm', 'join', 'leave', 'members'];

const DAY_MS = 86_400_000;
// Stats are per UTC day and kept a week, for `tgpulse limits`.
const STATS_TTL_MS = 8 * DAY_MS;
// A daily counter outlives its day by an hour, so `tgpulse limits` just after midnight still finds yesterday's.
const QUOTA_GRACE_MS = 3_600_000;
// A claim only has to live as long as the call it covers (its wait, its request, a retry of the give-back).
const CLAIM_TTL_MS = DAY_MS;

const PAUSE_GROUP: Record<TelegramOp, PauseGroup | undefined> = { api: undefined, dm: 'dm', join: 'join', leave: 'join', members: 'members' };

/** Options of {@link Limiter.acquire}. */
export interface AcquireOptions {
  /** Stops waiting (Temporal activity cancellation): the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Longest pause to wait out here. A longer one rejects at once with an {@link AccountPausedError} carrying the
   * seconds left, so the workflow can sleep it durably. Default: wait however long it takes.
   */
  maxWaitMs?: number;
  /** Called before each wait (heartbeat here). */
  onWait?: (wait: WaitInfo) => void;
  /** The Telegram method about to be called, for error messages. */
  method?: string;
}

/** What {@link Limiter.acquire} got. */
export interface AcquireResult {
  /** The moment the token was taken (epoch ms, the limiter's clock as Redis saw it). */
  grantedAt: number;
  /** How long the caller waited, ms. */
  waitedMs: number;
}

/** One quota as `tgpulse limits` shows it. */
export interface QuotaUsage {
  /** The setting that sets it: MAX_DM_PER_DAY, MAX_JOINS_PER_DAY, MAX_GROUPS. */
  quota: string;
  used: number;
  limit: number;
  /** ISO 8601; absent for the groups ceiling, which a leave frees instead. */
  resetsAt?: string;
}

/** What one account did today (UTC), and what holds it back now. */
export interface LimiterStats {
  account: string;
  /** The UTC day the counts are for, `YYYY-MM-DD`. */
  day: string;
  /** Per kind of call: calls made (tokens granted) and calls that had to wait first. */
  operations: { op: TelegramOp; calls: number; throttled: number }[];
  calls: number;
  throttled: number;
  /** FLOOD_WAIT / SLOWMODE_WAIT answers today. */
  floodWaits: number;
  /** ISO 8601 while the whole account is paused by a flood wait. */
  pausedUntil?: string;
  /** Smart pauses in force, by group, ISO 8601. */
  groupPauses: { group: PauseGroup; until: string }[];
  quotas: QuotaUsage[];
}

interface QuotaSlot {
  /** The counter (a ceiling) or the stem the scripts append the UTC day to (a daily quota). */
  key: string;
  quota: string;
  limit: number;
  daily: boolean;
}

/** What one guarded call took from the quotas: given back by its claim if the call never reached Telegram. */
interface Consumed {
  account: string;
  slots: QuotaSlot[];
  claim: string;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function checkCall(account: string, op: string): void {
  if (typeof account !== 'string' || account.trim() === '' || account.length > 128) {
    throw new BadInputError(`account name ${JSON.stringify(account)} is not usable by the limiter`, 'Use the session name (1 to 128 characters)');
  }
  if (!TELEGRAM_OPS.includes(op as TelegramOp)) {
    throw new BadInputError(`unknown Telegram operation ${JSON.stringify(op)}`, `Use one of ${TELEGRAM_OPS.join(', ')}`);
  }
}

/**
 * The anti-spam limiter: a Redis token bucket per account, daily quotas, smart pauses and the account-wide
 * FLOOD_WAIT pause, shared by every process that uses the same Redis and key prefix. Build it with
 * {@link createLimiter}; the Telegram adapter calls {@link Limiter.safeCall} around every request.
 */
export class Limiter implements CallGuard {
  readonly settings: LimiterSettings;
  private readonly redis: Redis & LimiterCommands;
  private readonly keys: LimiterKeys;
  private readonly shift: () => number;
  private readonly redisTimeoutMs: number;
  private readonly maxPollMs: number;
  private readonly logger?: LimiterLogger;
  private readonly knownAccounts = new Set<string>();
  /** Claims whose give-back failed (Redis unreachable): given back before this process counts again. */
  private readonly pendingRefunds = new Map<string, Consumed>();

  constructor(opts: LimiterOptions) {
    const { redis, prefix, testTimeShiftMs, redisTimeoutMs, maxPollMs, logger, ...settings } = opts;
    this.settings = { ...DEFAULT_LIMITER_SETTINGS, ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) };
    for (const [name, value] of Object.entries(this.settings)) {
      if (!Number.isFinite(value) || value < 0) throw new BadInputError(`limiter setting ${name} is ${value}`, 'Use a number of 0 or more');
    }
    if (this.settings.ratePerSecond <= 0 || this.settings.burst < 1) {
      throw new BadInputError(`limiter rate ${this.settings.ratePerSecond}/s with burst ${this.settings.burst} lets no call through`, 'Set RATE_RPS above 0 and RATE_BURST to 1 or more');
    }
    this.redis = withLimiterCommands(redis);
    this.keys = limiterKeys(prefix);
    this.shift = testTimeShiftMs ?? (() => 0);
    this.redisTimeoutMs = redisTimeoutMs ?? 3000;
    this.maxPollMs = maxPollMs ?? 1000;
    this.logger = logger;
  }

  /**
   * Waits for a token of the account. Waits past any pause of the account (FLOOD_WAIT) and of the call's kind
   * (smart pauses), however set and by whichever process. Fails closed with a {@link TransportError} when Redis
   * does not answer.
   */
  async acquire(account: string, op: TelegramOp, opts: AcquireOptions = {}): Promise<AcquireResult> {
    checkCall(account, op);
    rateLimitRequests.inc({ account, operation: op });
    await this.remember(account);
    const group = PAUSE_GROUP[op];
    const k = this.keys;
    const holdMs = op === 'join' || op === 'leave' ? Math.round(this.settings.pauseJoinSeconds * 1000) : 0;
    // A duration on this process's monotonic clock: no moment of it reaches Redis.
    const started = performance.now();
    for (let first = true; ; first = false) {
      opts.signal?.throwIfAborted();
      const [granted, waitMs, reason, at] = await this.redisOp('before', () =>
        this.redis.tgpulseAcquire(
          k.bucket(account),
          k.floodPause(account),
          group ? k.opPause(account, group) : k.floodPause(account),
          k.statsStem(account),
          this.shiftMs(),
          this.settings.ratePerSecond,
          this.settings.burst,
          op,
          first ? 1 : 0,
          STATS_TTL_MS,
          holdMs,
        ),
      );
      if (granted === 1) return { grantedAt: Number(at), waitedMs: Math.max(0, Math.round(performance.now() - started)) };
      if (reason === 'granted') throw new Error('acquire.lua refused a token but said granted');
      if (first) rateLimitThrottled.inc({ account, operation: op, reason });
      if (reason !== 'rate' && opts.maxWaitMs !== undefined && waitMs > opts.maxWaitMs) {
        throw new AccountPausedError(Math.ceil(waitMs / 1000), opts.method ?? op, account, new Date(Number(at)).toISOString(), reason);
      }
      opts.onWait?.({ waitMs, reason, until: new Date(Number(at)).toISOString() });
      await sleep(Math.max(1, Math.min(waitMs, this.maxPollMs)), opts.signal);
    }
  }

  /**
   * The one guarded entry to Telegram: waits for a token and any pause, consumes the call's quotas, makes the
   * call, measures it, and on a flood wait pauses the whole account before rethrowing. Pauses longer than
   * `floodTimerThresholdSeconds` are not waited here: they reject with {@link AccountPausedError}.
   */
  async safeCall<T>(account: string, op: TelegramOp, method: string, fn: () => Promise<T>, opts: SafeCallOptions<T> = {}): Promise<T> {
    await this.acquire(account, op, { signal: opts.signal, onWait: opts.onWait, method, maxWaitMs: this.settings.floodTimerThresholdSeconds * 1000 });
    const consumed = await this.consumeQuotas(account, op);
    if (opts.signal?.aborted) {
      if (consumed) await this.giveBack(consumed);
      opts.signal.throwIfAborted();
    }
    const labels = { account, operation: op };
    const started = performance.now();
    let result: T;
    try {
      result = await fn();
    } catch (err) {
      const mapped = opts.mapError ? opts.mapError(err) : err;
      const flood = mapped instanceof FloodWaitError;
      teleCallLatency.observe({ ...labels, outcome: flood ? 'flood_wait' : 'error' }, (performance.now() - started) / 1000);
      if (flood) {
        await this.afterFloodWait(account, op, mapped, consumed);
        throw mapped.account === account ? mapped : new FloodWaitError(mapped.seconds, mapped.method, account, mapped.code, { cause: mapped });
      }
      // A refused join or leave still counts as one for the spacing between them.
      if (op === 'join' || op === 'leave') await this.afterCall(account, op, 1, false);
      // Telegram refused it, or it never left this host: the join or DM never happened, so it uses no quota. A
      // connection lost after the request left may have delivered it, so that keeps its quota.
      const notSent = mapped instanceof RemoteRefusedError || (opts.neverSent ?? neverSent)(mapped);
      if (notSent && consumed) await this.giveBack(consumed);
      throw mapped;
    }
    teleCallLatency.observe({ ...labels, outcome: 'ok' }, (performance.now() - started) / 1000);
    const items = op === 'members' ? (opts.itemsOf ? opts.itemsOf(result) : Array.isArray(result) ? result.length : 0) : 1;
    await this.afterCall(account, op, items, true);
    return result;
  }

  /**
   * Pauses every call of the account until `seconds` from now, in every process (a later pause already set
   * wins). `safeCall` does this by itself on a flood wait; this is for callers that learn of one elsewhere.
   * Returns when the account resumes, ISO 8601.
   */
  async pauseAccount(account: string, seconds: number): Promise<string> {
    checkCall(account, 'api');
    if (!Number.isFinite(seconds) || seconds < 0) throw new BadInputError(`pause of ${seconds} s`, 'Use a number of seconds of 0 or more');
    const until = await this.redisOp('after', () =>
      this.redis.tgpulsePauseAccount(this.keys.floodPause(account), this.keys.statsStem(account), this.shiftMs(), Math.ceil(seconds * 1000), STATS_TTL_MS),
    );
    return new Date(Number(until)).toISOString();
  }

  /** Sets the number of groups the account is in (from its dialogs), the base of the MAX_GROUPS ceiling. */
  async setGroupCount(account: string, groups: number): Promise<void> {
    checkCall(account, 'join');
    if (!Number.isInteger(groups) || groups < 0) throw new BadInputError(`group count ${groups}`, 'Use a whole number of 0 or more');
    await this.redisOp('before', () => this.redis.set(this.keys.groups(account), groups));
    quotaUsed.set({ account, quota: 'MAX_GROUPS' }, groups);
  }

  /** Today's (UTC) calls, waits, flood waits, quota use and pauses of one account, from Redis (every process). */
  async getStats(account: string): Promise<LimiterStats> {
    checkCall(account, 'api');
    const now = await this.redisNow();
    const day = utcDay(now);
    const k = this.keys;
    const groups: PauseGroup[] = ['dm', 'join', 'members'];
    const [stats, dm, joins, joined, flood, ...pauses] = await this.redisOp('read', () =>
      Promise.all([
        this.redis.hgetall(k.stats(account, day)),
        this.redis.get(k.dailyQuota(account, 'dm', day)),
        this.redis.get(k.dailyQuota(account, 'joins', day)),
        this.redis.get(k.groups(account)),
        this.redis.get(k.floodPause(account)),
        ...groups.map((g) => this.redis.get(k.opPause(account, g))),
      ]),
    );
    const count = (field: string) => Number((stats as Record<string, string>)[field] ?? 0);
    const operations = TELEGRAM_OPS.map((op) => ({ op, calls: count(`calls:${op}`), throttled: count(`throttled:${op}`) }));
    const resetsAt = new Date(nextUtcMidnight(now)).toISOString();
    const pausedUntil = Number(flood ?? 0) > now ? new Date(Number(flood)).toISOString() : undefined;
    return {
      account,
      day,
      operations,
      calls: operations.reduce((sum, o) => sum + o.calls, 0),
      throttled: operations.reduce((sum, o) => sum + o.throttled, 0),
      floodWaits: count('flood_waits'),
      ...(pausedUntil ? { pausedUntil } : {}),
      groupPauses: groups.flatMap((group, i) => {
        const until = Number(pauses[i] ?? 0);
        return until > now ? [{ group, until: new Date(until).toISOString() }] : [];
      }),
      quotas: [
        { quota: 'MAX_DM_PER_DAY', used: Number(dm ?? 0), limit: this.settings.maxDmPerDay, resetsAt },
        { quota: 'MAX_JOINS_PER_DAY', used: Number(joins ?? 0), limit: this.settings.maxJoinsPerDay, resetsAt },
        { quota: 'MAX_GROUPS', used: Number(joined ?? 0), limit: this.settings.maxGroups },
      ],
    };
  }

  /** Every account the limiter has seen under this prefix, sorted. */
  async listAccounts(): Promise<string[]> {
    const members = await this.redisOp('read', () => this.redis.smembers(this.keys.accounts()));
    return members.sort();
  }

  private async remember(account: string): Promise<void> {
    if (this.knownAccounts.has(account)) return;
    await this.redisOp('before', () => this.redis.sadd(this.keys.accounts(), account));
    this.knownAccounts.add(account);
  }

  private quotaSlots(account: string, op: TelegramOp): QuotaSlot[] {
    const daily = (quota: 'dm' | 'joins', name: string, limit: number): QuotaSlot => ({ key: this.keys.dailyQuotaStem(account, quota), quota: name, limit, daily: true });
    if (op === 'dm') return [daily('dm', 'MAX_DM_PER_DAY', this.settings.maxDmPerDay)];
    if (op === 'join') {
      return [daily('joins', 'MAX_JOINS_PER_DAY', this.settings.maxJoinsPerDay), { key: this.keys.groups(account), quota: 'MAX_GROUPS', limit: this.settings.maxGroups, daily: false }];
    }
    return [];
  }

  /**
   * Checks and takes the call's quotas in one script, so concurrent callers can never pass a limit together. The
   * day is Redis's. What was taken is recorded under a fresh claim id; when the reply is lost (a Redis timeout
   * after counting) the claim is given back before the error is thrown, since no Telegram call follows.
   */
  private async consumeQuotas(account: string, op: TelegramOp): Promise<Consumed | undefined> {
    const slots = this.quotaSlots(account, op);
    if (slots.length === 0) return undefined;
    await this.flushRefunds();
    const consumed: Consumed = { account, slots, claim: randomUUID() };
    let reply: number[];
    try {
      reply = await this.redisOp('before', () =>
        this.redis.tgpulseConsumeQuotas(
          slots.length + 1,
          ...slots.map((s) => s.key),
          this.keys.quotaClaim(account, consumed.claim),
          this.shiftMs(),
          1,
          QUOTA_GRACE_MS,
          CLAIM_TTL_MS,
          ...slots.flatMap((s) => [s.limit, s.daily ? 'daily' : 'ceiling']),
        ),
      );
    } catch (err) {
      // The script may have run and only its reply been lost: give back whatever it took (nothing if it did not run).
      if (err instanceof TransportError) await this.giveBack(consumed);
      throw err;
    }
    const resetsAt = new Date(Number(reply[1])).toISOString();
    if (reply[0] === 0) {
      const slot = slots[(reply[2] ?? 1) - 1] ?? slots[0]!;
      const used = Number(reply[3] ?? slot.limit);
      quotaUsed.set({ account, quota: slot.quota }, used);
      throw new QuotaExceededError(slot.quota, used, slot.limit, slot.daily ? resetsAt : undefined);
    }
    slots.forEach((s, i) => {
      quotaUsed.set({ account, quota: s.quota }, Number(reply[i + 2] ?? 0));
      quotaLimit.set({ account, quota: s.quota }, s.limit);
    });
    return consumed;
  }

  /**
   * Gives back what a call took, once (by its claim). Never throws: when Redis cannot be reached the claim waits
   * in this process and is given back before its next count (or the quota stays used until the day ends).
   */
  private async giveBack(consumed: Consumed): Promise<void> {
    try {
      const after = await this.redisOp('after', () => this.redis.tgpulseReleaseClaim(this.keys.quotaClaim(consumed.account, consumed.claim)));
      this.pendingRefunds.delete(consumed.claim);
      const used = new Map<string, number>();
      for (let i = 0; i + 1 < after.length; i += 2) used.set(String(after[i]), Number(after[i + 1]));
      for (const slot of consumed.slots) {
        const count = [...used].find(([key]) => key.startsWith(slot.key))?.[1];
        if (count !== undefined) quotaUsed.set({ account: consumed.account, quota: slot.quota }, count);
      }
    } catch (err) {
      this.pendingRefunds.set(consumed.claim, consumed);
      this.logger?.warn({ err, account: consumed.account }, 'could not give back the quota of a call that never reached Telegram; will retry before the next one');
    }
  }

  private async flushRefunds(): Promise<void> {
    for (const consumed of [...this.pendingRefunds.values()]) await this.giveBack(consumed);
  }

  private async releaseQuotas(account: string, slots: QuotaSlot[]): Promise<void> {
    if (slots.length === 0) return;
    const after = await this.redisOp('after', () => this.redis.tgpulseReleaseQuotas(slots.length, ...slots.map((s) => s.key), 1));
    slots.forEach((s, i) => quotaUsed.set({ account, quota: s.quota }, Number(after[i] ?? 0)));
  }

  /** Redis's clock (TIME), epoch ms, with the test-only shift: the one clock the limiter reads. */
  private async redisNow(): Promise<number> {
    const reply = await this.redisOp('read', () => this.redis.time());
    return redisTimeMs(reply) + this.shiftMs();
  }

  private shiftMs(): number {
    return Math.round(this.shift());
  }

  /** Counts what a call did and sets the smart pauses. The call happened: a Redis failure here is logged, never thrown. */
  private async afterCall(account: string, op: TelegramOp, items: number, ok: boolean): Promise<void> {
    const s = this.settings;
    const advance = (group: PauseGroup, amount: number, every: number, seconds: number) =>
      this.redisOp('after', () =>
        this.redis.tgpulseAdvancePause(this.keys.pauseCounter(account, group), this.keys.opPause(account, group), this.shiftMs(), amount, every, Math.round(seconds * 1000), DAY_MS),
      );
    try {
      if (op === 'members' && items > 0) await advance('members', items, s.pauseMembersEvery, s.pauseMembersSeconds);
      if (op === 'dm' && ok) await advance('dm', 1, s.pauseDmEvery, s.pauseDmSeconds);
      if (op === 'join' || op === 'leave') await advance('join', 1, 1, s.pauseJoinSeconds);
      if (op === 'leave' && ok) await this.releaseQuotas(account, [{ key: this.keys.groups(account), quota: 'MAX_GROUPS', limit: s.maxGroups, daily: false }]);
    } catch (err) {
      this.logger?.warn({ err, account, op }, 'limiter bookkeeping after a Telegram call was lost (pauses or counts may be short)');
    }
  }

  private async afterFloodWait(account: string, op: TelegramOp, err: FloodWaitError, consumed: Consumed | undefined): Promise<void> {
    floodWaitEvents.inc({ account, operation: op });
    // Telegram refused the call: it never happened, so it uses no quota.
    if (consumed) await this.giveBack(consumed);
    try {
      await this.pauseAccount(account, err.seconds);
    } catch (cause) {
      this.logger?.warn({ err: cause, account, op, seconds: err.seconds }, 'could not record a flood wait in Redis; other processes will not see the pause');
    }
  }

  /** Runs one Redis request with a deadline. An outage becomes a {@link TransportError}; a script error stays as it is. */
  private async redisOp<T>(stage: 'before' | 'after' | 'read', run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no reply within ${this.redisTimeoutMs} ms`)), this.redisTimeoutMs);
    });
    try {
      return await Promise.race([run(), deadline]);
    } catch (err) {
      if (err instanceof ReplyError) throw err;
      limiterRedisErrors.inc({ stage });
      const what = stage === 'before' ? ': no Telegram call was made' : stage === 'after' ? ' after a Telegram call' : '';
      throw new TransportError(`Redis at ${redisWhere(this.redis)} is unreachable${what}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Builds the limiter over a Redis client.
 *
 * @example
 * const limiter = createLimiter({ redis: createLimiterRedis(config.REDIS_URL), ...limiterOptionsFromConfig(config) });
 * const dialogs = await limiter.safeCall(account, 'api', 'messages.GetDialogs', () => client.invoke(req), { signal, mapError });
 */
export function createLimiter(opts: LimiterOptions): Limiter {
  return new Limiter(opts);
}
