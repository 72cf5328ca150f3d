import { copyFile, mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { BadInputError } from '../domain';

/**
 * Copies a run's result files (written by the worker into its own OUTPUT_DIR) into the folder the user named with
 * `--out`, and returns the copies' paths. Workers decide where they write; a CLI on the worker's host (or with its
 * OUTPUT_DIR mounted) hands the user their files where they asked. Files already in that folder stay as they are.
 */
export async function copyResultFiles(files: readonly string[], out: string): Promise<string[]> {
  const dir = resolve(out);
  await mkdir(dir, { recursive: true });
  const copies: string[] = [];
  for (const file of files) {
    const target = join(dir, basename(file));
    if (resolve(dirname(file)) !== dir) {
      try {
        await copyFile(file, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        throw new BadInputError(
          `the worker wrote ${file} on its own machine, and it cannot be read from here to copy it to ${dir}`,
          'leave --out out and read the file where the worker runs (its OUTPUT_DIR), or run the CLI where that folder is mounted',
          { cause: err },
        );
      }
    }
    copies.push(target);
  }
  return copies;
}
