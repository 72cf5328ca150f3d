import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The AWS SDK takes longer to load than the rest of the CLI: a process on the local store must never load it.
// Jest keeps a module registry of its own, so what a real process loads is seen from a child process.

jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '../..');

/** Packages that take long to load, and which CLI paths have no use for. */
const HEAVY = ['@aws-sdk/client-s3', 'telegram', 'openai', 'gpt-tokenizer', 'ioredis', '@temporalio/worker'];

/**
 * Runs `script` in a Node process as the CLI runs (tsx), with a clean environment plus `env`, and returns what it
 * printed and which of HEAVY it loaded (read from `require.cache` at the end).
 */
function probe(script: string, env: Record<string, string>): Promise<{ loaded: string[]; said: string }> {
  const report = `process.stdout.write('\\n' + JSON.stringify(${JSON.stringify(HEAVY)}.filter((p) => Object.keys(require.cache).some((f) => f.includes('/node_modules/' + p + '/')))));`;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-r', require.resolve('tsx/cjs'), '-e', `(async () => { ${script} })().then(() => { ${report} }, (e) => { console.error(e); process.exitCode = 1; });`], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('[')) fail(new Error(`the probe failed (exit ${code}):\n${out}\n${err}`));
      else done({ loaded: JSON.parse(last) as string[], said: out });
    });
  });
}

/**
 * Runs the real CLI (`bin/tgpulse.js`, as npx does) with a preload that writes, as the process exits, which of HEAVY
 * it loaded.
 */
function cliLoads(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; loaded: string[] }> {
  const preload = join(dir, 'report-loads.js');
  const report = join(dir, `loads-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADS_FILE, JSON.stringify(${JSON.stringify(HEAVY)}.filter((p) => Object.keys(require.cache).some((f) => f.includes('/node_modules/' + p + '/'))))));`,
  );
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['-r', preload, join(ROOT, 'bin/tgpulse.js'), ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOADS_FILE: report, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, out, loaded: JSON.parse(readFileSync(report, 'utf8')) as string[] }));
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-s3-lazy-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('with ARTIFACT_STORE=local, building every CLI command and opening and using the store never loads the AWS SDK', async () => {
  const { loaded, said } = await probe(
    `
    const { Command } = require('commander');
    const { registry } = require('./src/starters/cli/commands');
    const program = new Command('tgpulse');
    for (const register of registry) register(program);
    // The worker, the web service and the userbot import the store folder too.
    require('./src/workers');
    require('./src/web');
    const { loadConfig } = require('./src/config');
    const { openArtifactStore } = require('./src/store');
    const store = await openArtifactStore(loadConfig());
    await store.put('probe/a.txt', 'hello');
    console.log(store.constructor.name, (await store.get('probe/a.txt')).toString());
    `,
    { ARTIFACT_STORE: 'local', DATA_DIR: join(dir, 'data') },
  );
  expect(said).toContain('LocalArtifactStore hello');
  expect(loaded).not.toContain('@aws-sdk/client-s3');
  expect(loaded).toContain('telegram'); // the worker's adapters: what the probe would see if the SDK were loaded
});

test('--help lists the commands without loading the AWS SDK, gramjs, the LLM client, Redis or the worker package', async () => {
  const { code, out, loaded } = await cliLoads(['--help']);
  expect(code).toBe(0);
  expect(out).toMatch(/summarize \[options\]/);
  expect(out).toMatch(/whoami/);
  expect(loaded).toEqual([]);
});

test('summarize --export checks the export before loading any of them (a missing file: one line, exit 2)', async () => {
  const { code, out, loaded } = await cliLoads(['summarize', '--export', join(dir, 'nowhere/result.json')]);
  expect(code).toBe(2);
  expect(out).toMatch(/^error: no export at .*nowhere\/result\.json\. Check the path/);
  expect(loaded).toEqual([]);
});

test('a command that needs one of them still loads it when it runs (login: gramjs)', async () => {
  // No API id: login stops at the credentials check, after loading src/telegram, which owns that check.
  const { code, out, loaded } = await cliLoads(['login', '--account', 'probe'], { TG_API_ID: '', TG_API_HASH: '' });
  expect(code).not.toBe(0);
  expect(out).toMatch(/TG_API_ID/);
  expect(loaded).toContain('telegram');
});

test('with ARTIFACT_STORE=s3 the store is the S3 one and the SDK is loaded then (the probe sees it)', async () => {
  const { loaded, said } = await probe(
    `
    const { loadConfig } = require('./src/config');
    const { artifactStoreFromConfig } = require('./src/store');
    const store = artifactStoreFromConfig(loadConfig());
    console.log(store.constructor.name, store.locationOf('a/b.json'));
    store.close();
    `,
    // Made, not checked: opening it against a live bucket is what test/store/s3-contract.test.ts does.
    { ARTIFACT_STORE: 's3', S3_BUCKET: 'tgpulse-lazy', S3_ENDPOINT: 'http://127.0.0.1:1', S3_FORCE_PATH_STYLE: 'true' },
  );
  expect(said).toContain('S3ArtifactStore s3://tgpulse-lazy/tgpulse/a/b.json');
  expect(loaded).toEqual(['@aws-sdk/client-s3']);
});
