import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { ArtifactRef } from '../domain';
import { BadInputError } from '../domain';

/**
 * Where activities keep what is too big for workflow history: history pages, partial and final summaries,
 * charts. Addressed by key (`jobs/<id>/history/page-000001.jsonl`); writing a key again replaces it whole,
 * which makes retried activities idempotent.
 */
export interface ArtifactStore {
  put(key: string, data: string | Uint8Array): Promise<ArtifactRef>;
  get(key: string): Promise<Buffer>;
  /** Null when the key has never been written. */
  tryGet(key: string): Promise<Buffer | null>;
  exists(key: string): Promise<boolean>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  /** Removes a key or everything under a prefix. */
  remove(prefixOrKey: string): Promise<void>;
  /** The local path of a key, for delivery of files. */
  pathOf(key: string): string;
}

const KEY = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

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

  async remove(prefixOrKey: string): Promise<void> {
    await rm(this.pathOf(prefixOrKey.replace(/\/+$/, '')), { recursive: true, force: true });
  }
}
