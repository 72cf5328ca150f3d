import { randomUUID } from 'node:crypto';
import { chmod, copyFile, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ArtifactRef } from '../domain';
import { BadInputError } from '../domain';

/**
 * Where activities keep what is too big for workflow history: history pages, checkpoints, partial and final
 * summaries, charts, delivery records. Addressed by key (`jobs/<id>/history/page-000001.jsonl`); writing a key
 * again replaces it whole, and a reader sees the old bytes or the new ones, never half of either, which makes
 * retried activities idempotent.
 *
 * Everything one activity writes and a later one reads goes through here, never through a worker's own disk:
 * the next step may run on another worker on another host (see {@link S3ArtifactStore}). Only the user's output
 * files leave it, through {@link ArtifactStore.copyToFile}.
 *
 * @example
 * await store.put('jobs/j1/summary.json', JSON.stringify(summary));
 * const raw = await store.tryGet('jobs/j1/summary.json'); // Buffer, or null before the first put
 */
export interface ArtifactStore {
  put(key: string, data: string | Uint8Array): Promise<ArtifactRef>;
  get(key: string): Promise<Buffer>;
  /** Null when the key has never been written. */
  tryGet(key: string): Promise<Buffer | null>;
  exists(key: string): Promise<boolean>;
  /** Keys under a prefix (a folder: `jobs/j1/history` lists `jobs/j1/history/…`), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Size and last write of a key, or null when it is not there (retention reads ages through it). */
  stat(key: string): Promise<ArtifactStat | null>;
  /** Removes a key or everything under a prefix. Removing what is not there is not an error. */
  remove(prefixOrKey: string): Promise<void>;
  /**
   * Copies a key into a file on this worker's disk (an output file, a document to upload), through a temporary
   * name so that a reader of `path` never sees half of it.
   */
  copyToFile(key: string, path: string): Promise<void>;
  /** Where a key lives, for people to read (`/data/jobs/…` or `s3://bucket/…`); not for opening. */
  locationOf(key: string): string;
  /**
   * Checks at start that the store can be written and read back, so a wrong folder, bucket or credentials
   * stop the worker with one line instead of failing the first job. Throws a domain error.
   */
  check(): Promise<void>;
}

const KEY = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** What {@link ArtifactStore.stat} tells about a key. */
export interface ArtifactStat {
  bytes: number;
  modifiedMs: number;
}

/** Chat data is its owner's only: folders 0700, files 0600 (whatever the umask), as session files are. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** The artifact store on a local (or mounted) folder. Writes go to a temporary file renamed into place. */
export class LocalArtifactStore implements ArtifactStore {
  readonly root: string;
  private rootPrivate: Promise<void> | undefined;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /**
   * The root folder, created 0700 or tightened to 0700 once: a store written by an older version (world-readable
   * folders) is closed to others by its root, without walking it.
   */
  private privateRoot(): Promise<void> {
    this.rootPrivate ??= (async () => {
      await mkdir(this.root, { recursive: true, mode: PRIVATE_DIR_MODE });
      await chmod(this.root, PRIVATE_DIR_MODE);
    })().catch((err: unknown) => {
      this.rootPrivate = undefined;
      throw err;
    });
    return this.rootPrivate;
  }

  pathOf(key: string): string {
    if (!KEY.test(key) || key.split('/').some((part) => part === '.' || part === '..')) {
      throw new BadInputError(`invalid artifact key ${JSON.stringify(key)}`, 'keys are relative paths of letters, digits, . _ -');
    }
    return join(this.root, ...key.split('/'));
  }

  async put(key: string, data: string | Uint8Array): Promise<ArtifactRef> {
    const path = this.pathOf(key);
    await this.privateRoot();
    await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
    const tmp = `${path}.${randomUUID()}.tmp`;
    await writeFile(tmp, data, { mode: PRIVATE_FILE_MODE });
    await rename(tmp, path);
    return { key, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength };
  }

  get(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }

  async tryGet(key: string): Promise<Buffer | null> {
    try {
      return await this.get(key);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.pathOf(key));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const base = this.pathOf(prefix.replace(/\/+$/, ''));
    let entries: string[];
    try {
      entries = (await readdir(base, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile() && !e.name.endsWith('.tmp'))
        .map((e) => join(e.parentPath, e.name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return entries.map((p) => relative(this.root, p).split(sep).join('/')).sort();
  }

  async stat(key: string): Promise<ArtifactStat | null> {
    try {
      const s = await stat(this.pathOf(key));
      return { bytes: s.size, modifiedMs: s.mtimeMs };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async remove(prefixOrKey: string): Promise<void> {
    await rm(this.pathOf(prefixOrKey.replace(/\/+$/, '')), { recursive: true, force: true });
  }

  async copyToFile(key: string, path: string): Promise<void> {
    const tmp = `${path}.${randomUUID()}.tmp`;
    try {
      await copyFile(this.pathOf(key), tmp);
      await chmod(tmp, PRIVATE_FILE_MODE);
      await rename(tmp, path);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  locationOf(key: string): string {
    return this.pathOf(key);
  }

  async check(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
      await this.put(PROBE_KEY, 'probe');
      await this.remove(PROBE_KEY);
    } catch (err) {
      throw new BadInputError(`The artifact folder ${this.root} cannot be written (${(err as NodeJS.ErrnoException).code ?? String(err)})`, 'Set DATA_DIR to a folder this worker may write', { cause: err });
    }
  }
}

/** What {@link ArtifactStore.check} writes and removes again. */
export const PROBE_KEY = '.tgpulse-probe';
