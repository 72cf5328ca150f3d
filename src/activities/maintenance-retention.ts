import { readdir, rm, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { BadInputError } from '../domain';
import { slug } from '../deliver';
import type { ArtifactStore } from '../store';

const DAY_MS = 86_400_000;

/** What one retention run is asked to do. `now` is the workflow's clock, passed in: ages never read a host clock. */
export interface RetentionInput {
  /** Epoch ms the ages are measured from. */
  now: number;
  /** Data last written more than this many days before `now` is deleted. */
  retentionDays: number;
  /** Count only: nothing is deleted. */
  dryRun: boolean;
}

/** The kinds of data retention deletes. Session files, backups, sync cursors and recap history are never among them. */
export type RetentionKind = 'job artifacts' | 'output files';

/** Per kind: how many files, and how many bytes, are (or would be) deleted. */
export interface RetentionCount {
  kind: RetentionKind;
  files: number;
  bytes: number;
}

/** What a retention run found and did. */
export interface RetentionReport {
  /** ISO 8601: data last written before this moment is old. */
  cutoff: string;
  dryRun: boolean;
  kinds: RetentionCount[];
  files: number;
  bytes: number;
  /** Runs whose data is old but which are still open, so it was kept. */
  keptOpen: string[];
}

/** Where retention looks, and how it knows a run is still open. */
export interface RetentionDeps {
  /** The artifact store; a job's artifacts are `jobs/<run id>/…`, deleted whole once all of them are old. */
  store: ArtifactStore;
  /** The worker's output folder (OUTPUT_DIR); its files are deleted one by one by age. */
  outputDir?: string;
  /** Folders never touched even if they sit inside the output folder (SESSION_DIR, BACKUP_DIR). */
  protectedDirs?: string[];
  /** Workflow ids of the runs still open (Temporal), read once per retention run. */
  openRunIds(): Promise<Set<string>>;
}

interface FileAge {
  path: string;
  bytes: number;
  modifiedMs: number;
}

async function walk(dir: string, skip: (path: string) => boolean): Promise<FileAge[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: FileAge[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (skip(path)) continue;
    if (entry.isDirectory()) out.push(...(await walk(path, skip)));
    else if (entry.isFile()) {
      const s = await stat(path);
      out.push({ path, bytes: s.size, modifiedMs: s.mtimeMs });
    }
  }
  return out;
}

function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
}

/**
 * Deletes job artifacts and output files last written more than `retentionDays` before `now`, or only counts them
 * (`dryRun`). A job's artifacts go whole, and only when every one of them is old and its run is closed; an output
 * file goes unless its name carries the id of an open run. Session files, backups, sync cursors, delivery records
 * and recap history are never touched.
 */
export async function applyRetention(deps: RetentionDeps, input: RetentionInput): Promise<RetentionReport> {
  if (!Number.isFinite(input.now)) throw new BadInputError(`retention clock ${input.now} is not a moment`, 'pass epoch ms');
  if (!Number.isInteger(input.retentionDays) || input.retentionDays < 1) {
    throw new BadInputError(`RETENTION_DAYS is ${input.retentionDays}`, 'use a whole number of days, 1 or more');
  }
  const cutoff = input.now - input.retentionDays * DAY_MS;
  const open = await deps.openRunIds();
  const keptOpen = new Set<string>();
  const counts: Record<RetentionKind, RetentionCount> = {
    'job artifacts': { kind: 'job artifacts', files: 0, bytes: 0 },
    'output files': { kind: 'output files', files: 0, bytes: 0 },
  };

  // Job artifacts, grouped by run: a half-deleted job would be worse than a whole one kept a day longer.
  const jobs = new Map<string, FileAge[]>();
  for (const key of await deps.store.list('jobs')) {
    const jobId = key.split('/')[1];
    if (!jobId) continue;
    const s = await deps.store.stat(key);
    if (!s) continue; // deleted meanwhile
    jobs.set(jobId, [...(jobs.get(jobId) ?? []), { path: key, ...s }]);
  }
  for (const [jobId, files] of jobs) {
    if (files.some((f) => f.modifiedMs >= cutoff)) continue;
    if (open.has(jobId)) {
      keptOpen.add(jobId);
      continue;
    }
    counts['job artifacts'].files += files.length;
    counts['job artifacts'].bytes += files.reduce((sum, f) => sum + f.bytes, 0);
    if (!input.dryRun) await deps.store.remove(`jobs/${jobId}`);
  }

  if (deps.outputDir) {
    const protectedDirs = (deps.protectedDirs ?? []).map((d) => resolve(d));
    const files = await walk(resolve(deps.outputDir), (path) => protectedDirs.some((d) => inside(path, d)));
    const openStems = [...open].map((id) => ({ id, stem: slug(id, Infinity) }));
    for (const file of files) {
      if (file.modifiedMs >= cutoff) continue;
      const holder = openStems.find((o) => o.stem !== '' && file.path.includes(o.stem));
      if (holder) {
        keptOpen.add(holder.id);
        continue;
      }
      counts['output files'].files += 1;
      counts['output files'].bytes += file.bytes;
      if (!input.dryRun) await rm(file.path, { force: true });
    }
  }

  const kinds = Object.values(counts);
  return {
    cutoff: new Date(cutoff).toISOString(),
    dryRun: input.dryRun,
    kinds,
    files: kinds.reduce((sum, k) => sum + k.files, 0),
    bytes: kinds.reduce((sum, k) => sum + k.bytes, 0),
    keptOpen: [...keptOpen].sort(),
  };
}
