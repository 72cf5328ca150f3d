import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The AWS SDK takes longer to load than the rest of the CLI: a process on the local store must never load it.
// Jest keeps a module registry of its own, so what a real process loads is seen from a child process.

jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '../..');

/**
 * Runs `script` in a Node process as the CLI runs (tsx), with a clean environment plus `env`, and returns what it
 * printed last: the script ends by printing whether the AWS SDK is in `require.cache`.
 */
function probe(script: string, env: Record<string, string>): Promise<{ sdkLoaded: boolean; said: string }> {
  const report = `process.stdout.write('\\n' + JSON.stringify(Object.keys(require.cache).some((f) => f.includes('/node_modules/@aws-sdk/client-s3/'))));`;
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
      const last = out.trim().split('\n').pop();
      if (code !== 0 || (last !== 'true' && last !== 'false')) fail(new Error(`the probe failed (exit ${code}):\n${out}\n${err}`));
      else done({ sdkLoaded: last === 'true', said: out });
    });
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-s3-lazy-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('with ARTIFACT_STORE=local, building every CLI command and opening and using the store never loads the AWS SDK', async () => {
  const { sdkLoaded, said } = await probe(
    `
    const { Command } = require('commander');
    const { registry } = require('./src/starters/cli/commands');
    const program = new Command('tgpulse');
    for (const register of registry) register(program);
    require('./src/workers');
    const { loadConfig } = require('./src/config');
    const { openArtifactStore } = require('./src/store');
    const store = await openArtifactStore(loadConfig());
    await store.put('probe/a.txt', 'hello');
    console.log(store.constructor.name, (await store.get('probe/a.txt')).toString());
    `,
    { ARTIFACT_STORE: 'local', DATA_DIR: join(dir, 'data') },
  );
  expect(said).toContain('LocalArtifactStore hello');
  expect(sdkLoaded).toBe(false);
});

test('--help prints the commands without loading the AWS SDK', async () => {
  const { sdkLoaded, said } = await probe(
    `
    const { Command } = require('commander');
    const { registry } = require('./src/starters/cli/commands');
    const program = new Command('tgpulse').exitOverride().configureOutput({ writeOut: (s) => process.stdout.write(s) });
    for (const register of registry) register(program);
    try { await program.parseAsync(['node', 'tgpulse', '--help']); } catch (e) { if (e.code !== 'commander.helpDisplayed') throw e; }
    `,
    { ARTIFACT_STORE: 'local' },
  );
  expect(said).toMatch(/summarize/);
  expect(sdkLoaded).toBe(false);
});

test('with ARTIFACT_STORE=s3 the store is the S3 one and the SDK is loaded then (the probe sees it)', async () => {
  const { sdkLoaded, said } = await probe(
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
  expect(sdkLoaded).toBe(true);
});
