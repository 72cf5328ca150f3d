import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { BadInputError, type JobSource } from '../domain';

/** Whether `path` lies in `dir` (or is it). */
const inside = (dir: string, path: string) => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** The real path of `path` (symlinks followed), or its plain absolute form when it does not exist. */
const real = (path: string) => realpath(path).catch(() => resolve(path));

/**
 * The job's source as this worker may read it: with EXPORTS_DIR set, an export is read only from under that folder,
 * symlinks followed, so a run's input cannot make the worker read a file of its choosing (a session file, a key).
 * Without it (one user on one machine) any path the worker can read will do. A live chat passes as it is.
 *
 * @throws BadInputError naming EXPORTS_DIR when the export lies elsewhere.
 */
export async function confineJobSource<S extends JobSource>(source: S, exportsDir: string | undefined): Promise<S> {
  if (source.kind !== 'export' || exportsDir === undefined) return source;
  const [dir, path] = await Promise.all([real(exportsDir), real(source.path)]);
  if (!inside(dir, path)) {
    throw new BadInputError(`The export ${source.path} is outside this worker's EXPORTS_DIR (${dir})`, `Put the export under ${dir} and name it there`);
  }
  return { ...source, path };
}
