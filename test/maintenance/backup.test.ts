import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Redis from 'ioredis';
import { createBackup, listBackups, parseBackupKey, restoreBackup, syncCursorKey, type BackupDeps } from '../../src/activities';
import { BadInputError } from '../../src/domain';
import { createLimiter, createLimiterRedis } from '../../src/limiter';
import { LocalArtifactStore } from '../../src/store';
import { testStack, uniqueName } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const KEY = Buffer.alloc(32, 7).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 9).toString('base64');
const SESSION = '1BVtsOK4Bu0secret-session-string-of-alice';
const NOW = Date.parse('2031-06-01T03:00:00.000Z');

const clients: Redis[] = [];
function redisClient(): Redis {
  const r = createLimiterRedis(testStack().redisUrl);
  clients.push(r);
  return r;
}
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-backup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function tgpulse(args: string[], env: Record<string, string>) {
  return promisify(execFile)(process.execPath, ['-r', 'tsx/cjs', 'src/starters/cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
}

async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  return (await redis.keys(`${prefix}*`)).sort();
}

/** An account with state worth keeping: a DM counted today, a flood pause of 10 minutes, a sync cursor, a session. */
async function accountState(redis: Redis, prefix: string) {
  const limiter = createLimiter({ redis, prefix, ratePerSecond: 100, burst: 5, pauseDmSeconds: 0 });
  await limiter.safeCall('alice', 'dm', 'messages.SendMessage', async () => 1);
  await limiter.pauseAccount('alice', 600);
  const deps: BackupDeps = {
    redis,
    prefix,
    sessionDir: join(dir, 'sessions'),
    store: new LocalArtifactStore(join(dir, 'data')),
    backupDir: join(dir, 'backups'),
    keep: 3,
    key: KEY,
  };
  mkdirSync(deps.sessionDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(deps.sessionDir, 'alice.session'), SESSION, { mode: 0o600 });
  await deps.store.put(syncCursorKey('alice', 123), JSON.stringify({ lastId: 4242 }));
  return { limiter, deps };
}

/** What a lost disk and a fresh Redis leave: nothing. */
async function wipe(deps: BackupDeps): Promise<void> {
  const keys = await keysUnder(deps.redis, deps.prefix);
  if (keys.length > 0) await deps.redis.del(...keys);
  rmSync(deps.sessionDir, { recursive: true, force: true });
  rmSync(join(dir, 'data'), { recursive: true, force: true });
}

describe('backups', () => {
  it('survive a wipe: quota used, flood pause with its end, sync cursor and session file come back exactly', async () => {
    const redis = redisClient();
    const prefix = `${uniqueName('bk')}:`;
    const { limiter, deps } = await accountState(redis, prefix);
    const before = await limiter.getStats('alice');
    const pauseKey = `${prefix}limiter:{alice}:pause`;
    const expiresAt = Number(await redis.call('PEXPIRETIME', pauseKey));

    const made = await createBackup(deps, { now: NOW });
    expect(made).toMatchObject({ id: 'backup-20310601T030000Z', sessions: 1, cursors: 1, removed: [] });
    expect(made.redisKeys).toBeGreaterThanOrEqual(4);
    const path = join(deps.backupDir, `${made.id}.tgpb`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(deps.backupDir).mode & 0o777).toBe(0o700);
    // Encrypted: neither the session nor the cursor nor the key is readable in the file.
    const raw = readFileSync(path);
    for (const secret of [SESSION, '4242', KEY]) expect(raw.includes(Buffer.from(secret))).toBe(false);

    await wipe(deps);
    expect((await limiter.getStats('alice')).pausedUntil).toBeUndefined();

    const { stdout } = await tgpulse(['backup', 'restore', made.id], {
      REDIS_URL: testStack().redisUrl,
      REDIS_KEY_PREFIX: prefix,
      SESSION_DIR: deps.sessionDir,
      DATA_DIR: join(dir, 'data'),
      BACKUP_DIR: deps.backupDir,
      BACKUP_KEY: KEY,
    });
    expect(stdout).toMatch(new RegExp(`^restored ${made.id} \\(2031-06-01T03:00:00.000Z\\): \\d+ Redis key\\(s\\), 1 session file\\(s\\), 1 sync cursor\\(s\\)( \\(\\d key\\(s\\) had expired since, and stay gone\\))?\\n$`));

    const after = await limiter.getStats('alice');
    expect(after.quotas).toEqual(before.quotas);
    expect(after.pausedUntil).toBe(before.pausedUntil);
    expect(Number(await redis.call('PEXPIRETIME', pauseKey))).toBe(expiresAt);
    // The pause still holds calls back.
    await expect(limiter.safeCall('alice', 'api', 'm', async () => 1)).rejects.toThrow(/paused after a Telegram flood wait/);
    const session = join(deps.sessionDir, 'alice.session');
    expect(readFileSync(session, 'utf8')).toBe(SESSION);
    expect(statSync(session).mode & 0o777).toBe(0o600);
    expect(statSync(deps.sessionDir).mode & 0o777).toBe(0o700);
    expect(JSON.parse((await deps.store.get(syncCursorKey('alice', 123))).toString())).toEqual({ lastId: 4242 });
  });

  it('with the wrong key: one clear line, nothing written', async () => {
    const redis = redisClient();
    const prefix = `${uniqueName('bk')}:`;
    const { deps } = await accountState(redis, prefix);
    const made = await createBackup(deps, { now: NOW });
    await wipe(deps);

    const err = (await tgpulse(['backup', 'restore', made.id], {
      REDIS_URL: testStack().redisUrl,
      REDIS_KEY_PREFIX: prefix,
      SESSION_DIR: deps.sessionDir,
      DATA_DIR: join(dir, 'data'),
      BACKUP_DIR: deps.backupDir,
      BACKUP_KEY: OTHER_KEY,
    }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr.trim().split('\n')).toEqual([
      `error: backup ${made.id} cannot be decrypted with this BACKUP_KEY (a different key, or a damaged file): nothing was restored. set the BACKUP_KEY the backup was made with`,
    ]);
    expect(err.stderr).not.toContain(OTHER_KEY);
    expect(await keysUnder(redis, prefix)).toEqual([]);
    expect(existsSync(deps.sessionDir)).toBe(false);
  });

  it('never restores over existing state', async () => {
    const redis = redisClient();
    const prefix = `${uniqueName('bk')}:`;
    const { deps } = await accountState(redis, prefix);
    const made = await createBackup(deps, { now: NOW });
    writeFileSync(join(deps.sessionDir, 'alice.session'), 'a newer login', { mode: 0o600 });
    const keys = await keysUnder(redis, prefix);
    await expect(restoreBackup(deps, made.id)).rejects.toThrow(/not restoring backup .* over existing state \(\d+ Redis key\(s\) under .*, 1 session file\(s\) in .*, 1 sync cursor\(s\)\): nothing was changed/);
    expect(readFileSync(join(deps.sessionDir, 'alice.session'), 'utf8')).toBe('a newer login');
    expect(await keysUnder(redis, prefix)).toEqual(keys);
  });

  it('keeps the newest BACKUP_KEEP backups and lists them newest first', async () => {
    const redis = redisClient();
    const { deps } = await accountState(redis, `${uniqueName('bk')}:`);
    const ids: string[] = [];
    const removed: string[] = [];
    for (let i = 0; i < 4; i++) {
      const made = await createBackup(deps, { now: NOW + i * 86_400_000 });
      ids.push(made.id);
      removed.push(...made.removed);
    }
    expect(removed).toEqual([ids[0]]);
    // Two in the same second get distinct ids.
    const twin = await createBackup(deps, { now: NOW + 3 * 86_400_000 });
    expect(twin.id).toBe(`${ids[3]}-2`);
    expect(twin.removed).toEqual([ids[1]]);
    expect(readdirSync(deps.backupDir).sort()).toEqual([`${ids[2]}.tgpb`, `${ids[3]}-2.tgpb`, `${ids[3]}.tgpb`]);
    const listed = await listBackups(deps.backupDir);
    expect(listed.map((b) => b.id)).toEqual([`${ids[3]}-2`, ids[3], ids[2]]);
    expect(listed[0]).toMatchObject({ createdAt: '2031-06-04T03:00:00.000Z', sessions: 1, cursors: 1 });
  });

  it('refuses to run without a usable BACKUP_KEY, never echoing it', async () => {
    expect(() => parseBackupKey(undefined)).toThrow(/BACKUP_KEY is not set/);
    const short = Buffer.alloc(16, 1).toString('base64');
    let err: unknown;
    try {
      parseBackupKey(short);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toBe('BACKUP_KEY is not 32 bytes in base64 (it decodes to 16 bytes). set BACKUP_KEY to 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`');
    expect(parseBackupKey(KEY)).toHaveLength(32);
    const redis = redisClient();
    const { deps } = await accountState(redis, `${uniqueName('bk')}:`);
    await expect(createBackup({ ...deps, key: 'not base64 at all!' }, { now: NOW })).rejects.toThrow(BadInputError);
    expect(existsSync(deps.backupDir)).toBe(false);
  });
});
