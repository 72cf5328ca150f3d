import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../src/config';
import { freePort } from '../../src/devstack';
import { LocalArtifactStore } from '../../src/store';
import { createLinkSigner, fileId, parseFileId, resolveUnder, signingKeyOf } from '../../src/web';
import { startWeb, testClock, TEST_KEY, webConfig, webDirs, type RunningWeb } from './web-support';

const ROOT = resolve(__dirname, '../..');

describe('signed links', () => {
  test('a link checks out until it expires; a changed id or signature is forged, even once expired', () => {
    const clock = testClock();
    const signer = createLinkSigner({ key: TEST_KEY, ttlSeconds: 60, now: clock.now });
    const link = new URL(signer.link('recap.42.2026-W46.md'), 'http://x');
    const [exp, sig] = [link.searchParams.get('exp'), link.searchParams.get('sig')];
    expect(link.pathname).toBe('/files/recap.42.2026-W46.md');
    expect(signer.check('recap.42.2026-W46.md', exp, sig)).toBe('ok');
    expect(signer.check('recap.43.2026-W46.md', exp, sig)).toBe('forged');
    expect(signer.check('recap.42.2026-W46.md', String(Number(exp) + 3600), sig)).toBe('forged');
    expect(signer.check('recap.42.2026-W46.md', exp, `${sig!.slice(0, -1)}${sig!.endsWith('A') ? 'B' : 'A'}`)).toBe('forged');
    expect(signer.check('recap.42.2026-W46.md', null, null)).toBe('forged');
    // Another key's signature is forged.
    const other = new URL(createLinkSigner({ key: 'x'.repeat(40), ttlSeconds: 60, now: clock.now }).link('recap.42.2026-W46.md'), 'http://x');
    expect(signer.check('recap.42.2026-W46.md', other.searchParams.get('exp'), other.searchParams.get('sig'))).toBe('forged');
    clock.advance(61_000);
    expect(signer.check('recap.42.2026-W46.md', exp, sig)).toBe('expired');
    expect(signer.check('recap.43.2026-W46.md', exp, sig)).toBe('forged');
  });

  test('the signing key is required and must be long; the error never shows it', () => {
    expect(() => signingKeyOf({ WEB_SIGNING_KEY: undefined })).toThrow(ConfigError);
    expect(() => signingKeyOf({ WEB_SIGNING_KEY: undefined })).toThrow(/WEB_SIGNING_KEY \(unset\): .*openssl rand -base64 32/);
    const short = 'shortsecret-1234';
    let message = '';
    try {
      signingKeyOf({ WEB_SIGNING_KEY: short });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/WEB_SIGNING_KEY \(set \(hidden\)\): 16 characters is too short/);
    expect(message).not.toContain(short);
    expect(signingKeyOf({ WEB_SIGNING_KEY: TEST_KEY })).toBe(TEST_KEY);
  });

  test('file ids name runs and recaps, never paths', () => {
    const id = fileId({ kind: 'run', workflowId: 'summarize-build-cohort-7-3f9a1c2e', index: 1 });
    expect(id).not.toContain('/');
    expect(parseFileId(id)).toEqual({ kind: 'run', workflowId: 'summarize-build-cohort-7-3f9a1c2e', index: 1 });
    expect(parseFileId('recap.-100.2026-W46.png')).toEqual({ kind: 'recap', chatId: -100, week: '2026-W46', file: 'png' });
    for (const bad of ['../../etc/passwd', '/etc/passwd', 'recap.42.2026-W46.json', 'recap.42.../../x.md', 'run..1', '']) expect(parseFileId(bad)).toBeNull();
  });

  test('only files inside the configured folders resolve: no `..`, no absolute path elsewhere, no symlink out', async () => {
    const { dir, out, data } = webDirs('tgpulse-web-roots-');
    try {
      mkdirSync(out, { recursive: true });
      mkdirSync(data, { recursive: true });
      writeFileSync(join(out, 'a.md'), 'a');
      writeFileSync(join(dir, 'secret.txt'), 'secret');
      symlinkSync(join(dir, 'secret.txt'), join(out, 'link.md'));
      expect(await resolveUnder([out, data], join(out, 'a.md'))).toBe(join(out, 'a.md'));
      expect(await resolveUnder([out, data], join(out, '..', 'secret.txt'))).toBeNull();
      expect(await resolveUnder([out, data], `${out}/../secret.txt`)).toBeNull();
      expect(await resolveUnder([out, data], '/etc/passwd')).toBeNull();
      expect(await resolveUnder([out, data], 'a.md')).toBeNull();
      expect(await resolveUnder([out, data], join(out, 'link.md'))).toBeNull();
      expect(await resolveUnder([out, data], out)).toBeNull();
      expect(await resolveUnder([out, data], join(out, 'missing.md'))).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the web service over plain HTTP, with Temporal down', () => {
  const dirs = webDirs('tgpulse-web-http-');
  const clock = testClock();
  let web: RunningWeb;
  let deadTemporal: string;
  const mounted: string[] = [];

  beforeAll(async () => {
    deadTemporal = `127.0.0.1:${await freePort()}`;
    const store = new LocalArtifactStore(dirs.data);
    // A stored recap of cohort 42, as a recap run leaves it (only the files the download route reads).
    await store.put('cohorts/42/recaps/2026-W46/recap.md', '# Cohort 42: week 46\n');
    web = await startWeb({
      config: webConfig({ out: dirs.out, data: dirs.data, temporal: deadTemporal }),
      now: clock.now,
      store,
      routes: [
        {
          prefix: '/codec',
          handle: (req, res) => {
            mounted.push(req.url ?? '');
            res.writeHead(200, { 'content-type': 'application/json' }).end('{"payloads":[]}');
          },
        },
      ],
    });
  });
  afterAll(async () => {
    await web?.web.close();
    rmSync(dirs.dir, { recursive: true, force: true });
  });

  const signed = (id: string) => createLinkSigner({ key: TEST_KEY, ttlSeconds: 600, now: clock.now }).link(id);

  test('a signed link downloads the file; a forged one is 403, an expired one 410', async () => {
    const link = signed('recap.42.2026-W46.md');
    const res = await web.get(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('filename="recap-42-2026-W46.md"');
    expect(await res.text()).toBe('# Cohort 42: week 46\n');

    // A good signature over a week that is not stored: nothing to serve.
    const unstored = await web.get(signed('recap.42.2026-W45.md'));
    expect(unstored.status).toBe(404);
    expect(await unstored.text()).toContain('That recap file is not stored');

    const forged = await web.get(link.replace('recap.42.', 'recap.43.'));
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('This download link is not valid');
    expect((await web.get('/files/recap.42.2026-W46.md')).status).toBe(403);

    clock.advance(601_000);
    try {
      const expired = await web.get(link);
      expect(expired.status).toBe(410);
      expect(await expired.text()).toContain('This download link has expired');
    } finally {
      clock.advance(-601_000);
    }
  });

  test('an id that is a path is refused even with a good signature: `..` and absolute paths serve nothing', async () => {
    for (const id of ['../../../../etc/passwd', '/etc/passwd', '..%2F..%2Fetc%2Fpasswd', `recap.42.2026-W46.md/../../../../etc/passwd`]) {
      const res = await web.get(signed(id));
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('root:');
    }
    // Traversal in the path itself never reaches the files route with another file.
    const res = await web.get('/files/..%2F..%2F..%2Fetc%2Fpasswd?exp=9999999999&sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(res.status).toBe(403);
  });

  test('with Temporal down, a run page says Temporal is unreachable (503, no stack); the start page says it too', async () => {
    const res = await web.get('/runs/summarize-anything-1234');
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(body).toContain(`Temporal at ${deadTemporal} is unreachable`);
    expect(body).not.toMatch(/\bat .+\(.+:\d+:\d+\)/);
    const index = await web.get('/');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain(`Temporal at ${deadTemporal} is unreachable`);
  });

  test('/healthz names Temporal as the failing check; /metrics counts the requests answered', async () => {
    const health = await web.get('/healthz');
    expect(health.status).toBe(503);
    const body = (await health.json()) as { status: string; checks: Record<string, string> };
    expect(body.status).toBe('unhealthy');
    expect(body.checks.temporal).toMatch(/^error: (Temporal at .* is unreachable|no answer within)/);
    await web.get('/files/recap.42.2026-W46.md');
    const metrics = await (await web.get('/metrics')).text();
    expect(metrics).toMatch(/web_requests_total\{route="files",status="403"\} [1-9]/);
  });

  test('unknown paths are 404 pages, writes are 405, a mounted route gets its prefix and nothing else', async () => {
    const missing = await web.get('/nothing/here');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('text/html');
    expect((await web.get('/cohorts/777')).status).toBe(404);
    expect((await web.get('/', { method: 'POST' })).status).toBe(405);
    const codec = await web.get('/codec/decode', { method: 'POST', body: '{}' });
    expect(codec.status).toBe(200);
    expect(await codec.json()).toEqual({ payloads: [] });
    expect((await web.get('/codecs')).status).toBe(404);
    expect(mounted).toEqual(['/codec/decode']);
  });
});

describe('access and startup', () => {
  test('with WEB_TOKEN, pages need it (bearer, or once in the address, then a cookie); signed links and /healthz do not', async () => {
    const dirs = webDirs('tgpulse-web-token-');
    const web = await startWeb({ config: webConfig({ out: dirs.out, data: dirs.data, temporal: `127.0.0.1:${await freePort()}`, token: 'open-sesame-token' }), store: new LocalArtifactStore(dirs.data) });
    try {
      const denied = await web.get('/cohorts/1');
      expect(denied.status).toBe(401);
      expect(await denied.text()).toContain('needs the access token');
      expect((await web.get('/cohorts/1', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await web.get('/cohorts/1', { headers: { authorization: 'Bearer open-sesame-token' } })).status).toBe(404);
      const login = await web.get('/cohorts/1?token=open-sesame-token');
      expect(login.status).toBe(303);
      expect(login.headers.get('location')).toBe('/cohorts/1');
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      expect((await web.get('/cohorts/1', { headers: { cookie } })).status).toBe(404);
      expect((await web.get('/files/x?exp=1&sig=y')).status).toBe(403);
      expect([200, 503]).toContain((await web.get('/healthz')).status);
    } finally {
      await web.web.close();
      rmSync(dirs.dir, { recursive: true, force: true });
    }
  });

  test('a busy port is one line and exit 2; so is a missing signing key', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const dirs = webDirs('tgpulse-web-main-');
    try {
      const env = { ...process.env, WEB_PORT: String(port), WEB_SIGNING_KEY: TEST_KEY, OUTPUT_DIR: dirs.out, DATA_DIR: dirs.data, TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` };
      // Run from the repository so its modules resolve; the working folder only matters for .env.
      const run = (extra: Record<string, string | undefined>) =>
        spawnSync(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'src/web/main.ts')], { cwd: dirs.dir, env: { ...env, ...extra }, encoding: 'utf8', timeout: 60_000 });
      const inUse = run({});
      expect(inUse.status).toBe(2);
      expect(inUse.stderr.trim()).toBe(`error: WEB_PORT ${port} is in use on 127.0.0.1. Stop what listens there, or set WEB_PORT to a free port`);
      const noKey = run({ WEB_SIGNING_KEY: '' });
      expect(noKey.status).toBe(2);
      expect(noKey.stderr).toContain('WEB_SIGNING_KEY (unset)');
      expect(noKey.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
      rmSync(dirs.dir, { recursive: true, force: true });
    }
  });
});
