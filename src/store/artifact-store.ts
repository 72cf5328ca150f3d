import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
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

/** The artifact store on a local (or mounted) folder. Writes go to a temporary file renamed into place. */
export class LocalArtifactStore implements ArtifactStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  pathOf(key: string): string {
    if (!KEY.test(key) || key.split('/').some((part) => part === '.' || part === '..')) {
      throw new BadInputError(`invalid artifact key ${JSON.stringify(key)}`, 'keys are relative paths of letters, digits, . _ -');
    }
    return join(this.root, ...key.split('/'));
  }

  async put(key: string, data: string | Uint8Array): Promise<ArtifactRef> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomUUID()}.tmp`;
    await writeFile(tmp, data);
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
