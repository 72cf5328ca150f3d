import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Whether `path` is a file this process may run. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let pythonScripts: string | null | undefined;

/** pip installs console scripts into Python's scripts folder, which is often not on PATH. */
function pythonScriptsDir(): string | null {
  if (pythonScripts !== undefined) return pythonScripts;
  try {
    pythonScripts = execFileSync('python3', ['-c', "import sysconfig;print(sysconfig.get_path('scripts'))"], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    pythonScripts = null;
  }
  return pythonScripts;
}

/**
 * Finds an executable: first the path in `envVar`, then PATH, then Python's scripts folder and the usual sbin
 * folders. Returns null when it is nowhere.
 */
export function findBinary(name: string, envVar?: string): string | null {
  const fromEnv = envVar ? process.env[envVar] : undefined;
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const scripts = pythonScriptsDir();
  if (scripts) dirs.push(scripts);
  dirs.push('/usr/sbin', '/usr/local/sbin', '/usr/bin');
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return null;
}

/** Like {@link findBinary}, but says how to install what is missing. */
export function requireBinary(name: string, envVar: string, install: string): string {
  const found = findBinary(name, envVar);
  if (!found) throw new Error(`${name} was not found (looked at $${envVar}, PATH and Python's scripts folder): ${install}`);
  return found;
}
