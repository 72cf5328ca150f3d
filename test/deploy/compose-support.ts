import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export const ROOT = resolve(__dirname, '../..');

/**
 * `KEY=value` lines of an env file (comments and blanks skipped), as Compose and dotenv read them. With
 * `commented`, the documented `# KEY=value` lines instead (.env.example documents docker-compose.yml's own
 * variables that way, since tgpulse itself does not read them).
 */
export function readEnvFile(path: string, opts: { commented?: boolean } = {}): Map<string, string> {
  const env = new Map<string, string>();
  const line = opts.commented ? /^#\s?([A-Z][A-Z0-9_]*)=(\S*)$/ : /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    const m = line.exec(text);
    if (m) env.set(m[1]!, m[2]!.trim());
  }
  return env;
}

/** A `${VAR:?message}` that had no value: Compose stops with this message, and so does {@link interpolate}. */
export class MissingVariableError extends Error {}

/**
 * Compose's variable interpolation (`$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`,
 * `${VAR?err}`, `$$` for a literal `$`) over every string of a parsed file. `used` collects each variable named.
 */
export function interpolate(value: unknown, env: ReadonlyMap<string, string>, used: Set<string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, op?: string, arg?: string, bare?: string) => {
      if (whole === '$$') return '$';
      const name = (braced ?? bare)!;
      used.add(name);
      const v = env.get(name);
      const empty = v === undefined || (op?.startsWith(':') && v === '');
      if (op === ':-' || op === '-') return empty ? (arg ?? '') : v!;
      if (op === ':?' || op === '?') {
        if (empty) throw new MissingVariableError(`required variable ${name} is missing a value: ${arg}`);
        return v!;
      }
      return v ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env, used));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, used)]));
  }
  return value;
}

/** docker-compose.yml parsed as Compose reads it: YAML merge keys (`<<: *anchor`) resolved. */
export function readComposeFile(file = join(ROOT, 'docker-compose.yml')): Record<string, unknown> {
  return parse(readFileSync(file, 'utf8'), { merge: true }) as Record<string, unknown>;
}

/** The part of a service this suite reads. */
export interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  env_file?: ({ path: string; required?: boolean } | string)[] | string;
  volumes?: (string | { type: string; source?: string; target: string; read_only?: boolean })[];
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  healthcheck?: { test: string[] | string };
  restart?: string;
  profiles?: string[];
  ports?: string[];
}
