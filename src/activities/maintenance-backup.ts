import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type Redis from 'ioredis';
import { BadInputError } from '../domain';
import { redisTimeMs } from '../limiter';
import type { ArtifactStore } from '../store';

const MAGIC = 'TGPULSE-BACKUP 1\n';
const EXTENSION = '.tgpb';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_HINT = 'set BACKUP_KEY to 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`';
/** Store keys that are state, not artifacts: where incremental syncs and the userbot resume. */
const CURSOR_FOLDERS: { prefix: string; suffix: string }[] = [
  { prefix: 'chats', suffix: '/sync-cursor.json' },
  { prefix: 'userbot', suffix: '/updates-cursor.json' },
];
/** Redis keys that describe a live process, not state: a restored lease would lock its account out until it expired. */
const LIVE_KEYS = [/^telegram:\{[^}]*\}:lease$/, /^limiter:\{[^}]*\}:claim:/];

/** What one backup holds, as `tgpulse backup list` shows it (read from the archive's clear header; no secret in it). */
export interface BackupSummary {
  id: string;
  /** ISO 8601, the workflow's clock. */
  createdAt: string;
  bytes: number;
  redisKeys: number;
  sessions: number;
  cursors: number;
}

/** Where backups come from and go to: the worker's settings. */
export interface BackupDeps {
  redis: Redis;
  /** REDIS_KEY_PREFIX: every key under it is backed up (live leases and claims aside). */
  prefix: string;
  sessionDir: string;
  store: ArtifactStore;
  backupDir: string;
  /** How many backups to keep (BACKUP_KEEP). */
  keep: number;
  /** BACKUP_KEY, base64 of 32 bytes. Never logged, never in workflow history. */
  key: string | undefined;
}

interface RedisEntry {
  /** The key without the prefix, so a restore may go under another prefix. */
  key: string;
  /** DUMP, base64: the value exactly, whatever its type. */
  dump: string;
  /** Absolute expiry in epoch ms by Redis's clock (PEXPIRETIME), or -1 for none. */
  expiresAt: number;
}

interface Payload {
  createdAt: string;
  redis: RedisEntry[];
  sessions: { name: string; data: string }[];
  cursors: { key: string; data: string }[];
}

/** Reads BACKUP_KEY: 32 bytes in base64. Throws one line saying how to make one; never echoes the value. */
export function parseBackupKey(raw: string | undefined): Buffer {
  if (raw === undefined || raw.trim() === '') throw new BadInputError('BACKUP_KEY is not set, so backups cannot be encrypted or read', KEY_HINT);
  const trimmed = raw.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== 32) {
    throw new BadInputError(`BACKUP_KEY is not 32 bytes in base64 (it decodes to ${key.length} bytes)`, KEY_HINT);
  }
  return key;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

async function scanPrefix(redis: Redis, prefix: string): Promise<string[]> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 1000);
    cursor = next;
    for (const k of batch) if (!LIVE_KEYS.some((re) => re.test(k.slice(prefix.length)))) keys.add(k);
  } while (cursor !== '0');
  return [...keys].sort();
}

async function sessionFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.session')).map((e) => e.name).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

async function cursorKeys(store: ArtifactStore): Promise<string[]> {
  const out: string[] = [];
  for (const { prefix, suffix } of CURSOR_FOLDERS) out.push(...(await store.list(prefix)).filter((k) => k.endsWith(suffix)));
  return out.sort();
}

function backupPath(dir: string, id: string): string {
  if (!/^backup-[0-9TZ-]+$/.test(id)) throw new BadInputError(`no backup ${JSON.stringify(id)}`, 'list them with `tgpulse backup list`');
  return join(dir, `${id}${EXTENSION}`);
}

async function backupIds(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => n.startsWith('backup-') && n.endsWith(EXTENSION)).map((n) => n.slice(0, -EXTENSION.length)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

function encrypt(key: Buffer, header: Buffer, payload: Payload): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  // The clear header is authenticated too: counts or an id edited in the file make the archive unreadable.
  cipher.setAAD(header);
  const body = Buffer.concat([cipher.update(gzipSync(JSON.stringify(payload))), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), body]);
}

function splitArchive(id: string, file: Buffer): { header: Buffer; summary: Omit<BackupSummary, 'bytes'>; rest: Buffer } {
  const damaged = () => new BadInputError(`backup ${id} is not a tgpulse backup or is damaged`, 'pick another one from `tgpulse backup list`');
  if (!file.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) throw damaged();
  const end = file.indexOf(0x0a, MAGIC.length);
  if (end < 0) throw damaged();
  try {
    const summary = JSON.parse(file.subarray(MAGIC.length, end).toString('utf8')) as Omit<BackupSummary, 'bytes'>;
    return { header: file.subarray(0, end + 1), summary, rest: file.subarray(end + 1) };
  } catch (err) {
    throw new BadInputError(`backup ${id} has a damaged header`, 'pick another one from `tgpulse backup list`', { cause: err });
  }
}

function decrypt(id: string, key: Buffer, file: Buffer): Payload {
  const { header, rest } = splitArchive(id, file);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, rest.subarray(0, IV_BYTES));
    decipher.setAAD(header);
    decipher.setAuthTag(rest.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const clear = Buffer.concat([decipher.update(rest.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    return JSON.parse(gunzipSync(clear).toString('utf8')) as Payload;
  } catch (err) {
    // GCM cannot tell a wrong key from a damaged file; neither is worth a stack trace.
    throw new BadInputError(`backup ${id} cannot be decrypted with this BACKUP_KEY (a different key, or a damaged file): nothing was restored`, 'set the BACKUP_KEY the backup was made with', { cause: err });
  }
}

/** The id of a backup made at `now`: `backup-20261127T031500Z` (sortable, so rotation keeps the newest). */
export function backupIdAt(now: number): string {
  return `backup-${new Date(now).toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '')}`;
}

/**
 * Writes one encrypted archive of everything a lost disk would take: the session files, every Redis key under the
 * prefix (DUMP with its absolute expiry, so quotas, flood pauses, peers and stats come back exactly) and the sync
 * cursors. Then deletes all but the newest `keep` backups. The folder is 0700, the archive 0600.
 */
export async function createBackup(deps: BackupDeps, input: { now: number }): Promise<BackupSummary & { removed: string[] }> {
  const key = parseBackupKey(deps.key);
  const createdAt = new Date(input.now).toISOString();
  const redisKeys = await scanPrefix(deps.redis, deps.prefix);
  const redis: RedisEntry[] = [];
  for (const k of redisKeys) {
    const [dump, expiresAt] = await Promise.all([deps.redis.dumpBuffer(k), deps.redis.call('PEXPIRETIME', k) as Promise<number>]);
    if (dump === null || expiresAt === -2) continue; // expired between SCAN and DUMP
    redis.push({ key: k.slice(deps.prefix.length), dump: dump.toString('base64'), expiresAt: Number(expiresAt) });
  }
  const sessions = await Promise.all((await sessionFiles(deps.sessionDir)).map(async (name) => ({ name, data: (await readFile(join(deps.sessionDir, name))).toString('base64') })));
  const cursors = await Promise.all((await cursorKeys(deps.store)).map(async (k) => ({ key: k, data: (await deps.store.get(k)).toString('base64') })));

  await mkdir(deps.backupDir, { recursive: true, mode: 0o700 });
  await chmod(deps.backupDir, 0o700);
  const existing = new Set(await backupIds(deps.backupDir));
  let id = backupIdAt(input.now);
  for (let n = 2; existing.has(id); n++) id = `${backupIdAt(input.now)}-${n}`;
  const summary = { id, createdAt, redisKeys: redis.length, sessions: sessions.length, cursors: cursors.length };
  const archive = encrypt(key, Buffer.from(`${MAGIC}${JSON.stringify(summary)}\n`), { createdAt, redis, sessions, cursors });
  const path = backupPath(deps.backupDir, id);
  const tmp = `${path}.tmp`;
  await writeFile(tmp, archive, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);

  const ids = await backupIds(deps.backupDir);
  const removed = ids.slice(0, Math.max(0, ids.length - deps.keep));
  for (const old of removed) await rm(backupPath(deps.backupDir, old), { force: true });
  return { ...summary, bytes: archive.length, removed };
}

/** The backups in a folder, newest first, from their clear headers (no key needed). */
export async function listBackups(backupDir: string): Promise<(BackupSummary & { damaged?: true })[]> {
  const out: (BackupSummary & { damaged?: true })[] = [];
  for (const id of (await backupIds(backupDir)).reverse()) {
    const file = await readFile(backupPath(backupDir, id));
    try {
      out.push({ ...splitArchive(id, file).summary, id, bytes: file.length });
    } catch {
      out.push({ id, createdAt: '?', bytes: file.length, redisKeys: 0, sessions: 0, cursors: 0, damaged: true });
    }
  }
  return out;
}

/**
 * Restores a backup into an empty Redis prefix, session folder and cursor set (after a lost disk). Decrypts and
 * checks everything first: a wrong key, a damaged archive or a place that is not empty fails with one line and
 * writes nothing. Keys come back with their original absolute expiry; a pause that has since ended stays ended.
 */
export async function restoreBackup(deps: Omit<BackupDeps, 'keep' | 'backupDir'> & { backupDir: string }, id: string): Promise<BackupSummary & { expired: number }> {
  const key = parseBackupKey(deps.key);
  const path = backupPath(deps.backupDir, id);
  const file = await readFile(path).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BadInputError(`no backup ${id} in ${deps.backupDir}`, 'list them with `tgpulse backup list`', { cause: err });
    throw err;
  });
  const payload = decrypt(id, key, file);

  const present = await scanPrefix(deps.redis, deps.prefix);
  const sessions = await sessionFiles(deps.sessionDir);
  const cursors = await cursorKeys(deps.store);
  if (present.length > 0 || sessions.length > 0 || cursors.length > 0) {
    const what = [present.length ? `${present.length} Redis key(s) under "${deps.prefix}"` : '', sessions.length ? `${sessions.length} session file(s) in ${deps.sessionDir}` : '', cursors.length ? `${cursors.length} sync cursor(s)` : '']
      .filter(Boolean)
      .join(', ');
    throw new BadInputError(`not restoring backup ${id} over existing state (${what}): nothing was changed`, 'stop the workers and restore into an empty Redis and session folder');
  }

  let expired = 0;
  for (const entry of payload.redis) {
    const args: (string | number | Buffer)[] = [`${deps.prefix}${entry.key}`, entry.expiresAt > 0 ? entry.expiresAt : 0, Buffer.from(entry.dump, 'base64')];
    if (entry.expiresAt > 0) {
      if (entry.expiresAt <= redisTimeMs(await deps.redis.time())) {
        expired++;
        continue;
      }
      args.push('ABSTTL');
    }
    await deps.redis.call('RESTORE', ...args);
  }
  await mkdir(deps.sessionDir, { recursive: true, mode: 0o700 });
  await chmod(deps.sessionDir, 0o700);
  for (const s of payload.sessions) {
    const target = join(deps.sessionDir, s.name.replace(/[/\\]/g, '_'));
    await writeFile(target, Buffer.from(s.data, 'base64'), { mode: 0o600 });
    await chmod(target, 0o600);
  }
  for (const c of payload.cursors) await deps.store.put(c.key, Buffer.from(c.data, 'base64'));
  const { summary } = splitArchive(id, file);
  return { ...summary, id, bytes: file.length, expired };
}
