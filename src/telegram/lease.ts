import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type Redis from 'ioredis';
import { TransportError } from '../domain';
import type { TelegramKeys } from './keys';
import { SessionInUseError } from './telegram-errors';

interface LeaseCommands {
  tgpulseLeaseRenew(lease: string, record: string, ttlMs: number): Promise<number>;
  tgpulseLeaseRelease(lease: string, record: string): Promise<number>;
}

const registered = new WeakSet<Redis>();
let sources: { renew: string; release: string } | undefined;

function withLeaseCommands(redis: Redis): Redis & LeaseCommands {
  if (!registered.has(redis)) {
    sources ??= {
      renew: readFileSync(join(__dirname, 'lua', 'lease-renew.lua'), 'utf8'),
      release: readFileSync(join(__dirname, 'lua', 'lease-release.lua'), 'utf8'),
    };
    redis.defineCommand('tgpulseLeaseRenew', { lua: sources.renew, numberOfKeys: 1 });
    redis.defineCommand('tgpulseLeaseRelease', { lua: sources.release, numberOfKeys: 1 });
    registered.add(redis);
  }
  return redis as Redis & LeaseCommands;
}

export interface LeaseOptions {
  /** How long the lease outlives a silent holder (a crashed process). */
  ttlMs?: number;
  /** Who holds it, shown to a process that is denied. Default: `host:pid`. */
  holder?: string;
  /** Keep trying this long while another process holds it (a restarted worker waits out its crashed predecessor). */
  waitMs?: number;
}

interface LeaseRecord {
  holder: string;
  since: string;
  token: string;
}

const DEFAULT_TTL_MS = 30_000;
const RETRY_MS = 500;

/**
 * The one live connection of an account. Telegram cancels a session used by two connections at once
 * (AUTH_KEY_DUPLICATED), so a process takes this Redis lease before it connects, renews it while connected, and
 * gives it back on shutdown. A crashed holder's lease runs out after `ttlMs`.
 *
 * @example
 * const lease = await AccountLease.acquire(redis, keys, 'default');
 * try { await work(lease.lost); } finally { await lease.release(); }
 */
export class AccountLease {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private lastRenewed = Date.now();

  private constructor(
    private readonly redis: Redis & LeaseCommands,
    private readonly key: string,
    readonly account: string,
    private readonly record: string,
    private readonly ttlMs: number,
  ) {}

  /** Aborted when the lease is lost (taken over after a long stall, or Redis unreachable past the TTL). */
  get lost(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * Takes the account's lease or throws {@link SessionInUseError} naming the process that holds it.
   * Redis failures become {@link TransportError}.
   */
  static async acquire(redis: Redis, keys: TelegramKeys, account: string, opts: LeaseOptions = {}): Promise<AccountLease> {
    const ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
    const record: LeaseRecord = { holder: opts.holder ?? `${hostname()}:${process.pid}`, since: new Date().toISOString(), token: randomUUID() };
    const value = JSON.stringify(record);
    const key = keys.lease(account);
    const deadline = Date.now() + (opts.waitMs ?? 0);
    const commands = withLeaseCommands(redis);
    for (;;) {
      let taken: string | null;
      let current: string | null = null;
      try {
        taken = await redis.set(key, value, 'PX', ttlMs, 'NX');
        if (taken !== 'OK') current = await redis.get(key);
      } catch (err) {
        throw new TransportError(`Cannot reach Redis to take the connection lease of account "${account}"`, { cause: err });
      }
      if (taken === 'OK') {
        const lease = new AccountLease(commands, key, account, value, ttlMs);
        lease.startRenewing();
        return lease;
      }
      // The holder may have released between SET and GET: try again at once.
      if (current === null) continue;
      if (Date.now() >= deadline) {
        const holder = parseRecord(current);
        throw new SessionInUseError(account, holder?.holder ?? 'another process', holder?.since);
      }
      await new Promise((r) => setTimeout(r, Math.min(RETRY_MS, Math.max(1, deadline - Date.now()))));
    }
  }

  /** Extends the lease now; false (and `lost` aborted) when another process holds it. */
  async renew(): Promise<boolean> {
    if (this.controller.signal.aborted) return false;
    try {
      const ok = (await this.redis.tgpulseLeaseRenew(this.key, this.record, this.ttlMs)) === 1;
      if (ok) this.lastRenewed = Date.now();
      else this.lose('the lease expired and was taken by another process');
      return ok;
    } catch (err) {
      // Redis may come back before the TTL runs out; past it, another process may hold the account.
      if (Date.now() - this.lastRenewed >= this.ttlMs) this.lose('Redis was unreachable for longer than the lease lasts', err);
      return false;
    }
  }

  /** Gives the lease back (only if still ours) and stops renewing. */
  async release(): Promise<void> {
    this.stopRenewing();
    try {
      await this.redis.tgpulseLeaseRelease(this.key, this.record);
    } catch (err) {
      throw new TransportError(`Cannot reach Redis to give back the connection lease of account "${this.account}"; it expires by itself in ${this.ttlMs} ms`, { cause: err });
    }
  }

  private startRenewing(): void {
    this.timer = setInterval(() => void this.renew(), Math.max(10, Math.floor(this.ttlMs / 3)));
    // A held lease must not keep a finished process alive.
    this.timer.unref();
  }

  private stopRenewing(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private lose(why: string, cause?: unknown): void {
    this.stopRenewing();
    this.controller.abort(new TransportError(`Lost the connection lease of account "${this.account}": ${why}`, { cause }));
  }
}

function parseRecord(value: string): LeaseRecord | undefined {
  try {
    const parsed = JSON.parse(value) as Partial<LeaseRecord>;
    return typeof parsed.holder === 'string' ? (parsed as LeaseRecord) : undefined;
  } catch {
    // A record not written by tgpulse: the denial still names "another process".
    return undefined;
  }
}
