import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../src/devstack';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { runCli } from '../support/cli';
import { testStack } from '../support/stack';
import { startTestWorker, type TestWorker } from '../support/worker';

const SAMPLE = resolve(__dirname, '../../samples/cohort-export/result.json');

describe('tgpulse CLI: bad input gets a clear error and a non-zero exit', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-cli-'));
    // A cwd without .env; Temporal at the test server so only the input can be at fault.
    env = { TEMPORAL_ADDRESS: testStack().temporalAddress };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('summarize without --export names the missing option', async () => {
    const r = await runCli(['summarize'], env, dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--export/);
  });

  test('a missing export file names the path and says what to pass', async () => {
    const r = await runCli(['summarize', '--export', 'no/such/result.json'], env, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`export file not found: ${join(dir, 'no/such/result.json')}`);
    expect(r.stderr).toMatch(/Telegram Desktop/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('a date that is not a date, and a range that is backwards', async () => {
    const bad = await runCli(['summarize', '--export', SAMPLE, '--since', '2026-13-45'], env, dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since "2026-13-45" is not a date/);
    const backwards = await runCli(['summarize', '--export', SAMPLE, '--since', '2026-11-10', '--until', '2026-11-01'], env, dir);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toMatch(/--since must be before --until/);
  });

  test('an empty or huge prompt is refused before anything starts', async () => {
    const empty = await runCli(['summarize', '--export', SAMPLE, '--prompt', '   '], env, dir);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/prompt is empty/);
    const huge = await runCli(['summarize', '--export', SAMPLE, '--prompt', 'x'.repeat(5000)], env, dir);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/prompt is longer than 4000 characters/);
  });

  test('an unknown command and a wrong --limit', async () => {
    expect((await runCli(['summarise'], env, dir)).code).not.toBe(0);
    const r = await runCli(['runs', '--limit', 'lots'], env, dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/whole number/);
  });

  test('a wrong setting stops the CLI with one line per problem', async () => {
    const r = await runCli(['runs'], { ...env, RATE_RPS: 'fast', REDIS_URL: 'http://x' }, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/2 problem/);
    expect(r.stderr).toMatch(/RATE_RPS \("fast"\)/);
    expect(r.stderr).toMatch(/REDIS_URL .*redis:\/\//);
  });

  test('Temporal down: says where it looked and how to start it, exit 3', async () => {
    const port = await freePort();
    const r = await runCli(['summarize', '--export', SAMPLE], { TEMPORAL_ADDRESS: `127.0.0.1:${port}` }, dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`Temporal at 127.0.0.1:${port} is unreachable`);
  });

  test('result of a run that does not exist', async () => {
    const r = await runCli(['result', 'summarize-nothing-00000000'], env, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no run named summarize-nothing-00000000/);
  });
});

describe('tgpulse CLI against a running worker', () => {
  let dir: string;
  let tw: TestWorker;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-cli-run-'));
    tw = await startTestWorker({ store: new LocalArtifactStore(join(dir, 'data')), openSource: openJobSource, llm: null });
    env = { TEMPORAL_ADDRESS: testStack().temporalAddress, TEMPORAL_TASK_QUEUE: tw.taskQueue, OUTPUT_DIR: join(dir, 'out') };
    writeFileSync(join(dir, '.env'), '# no settings\n');
  });
  afterAll(async () => {
    await tw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('summarize prints the summary, its files and the Web UI page; runs, result and rerun find it', async () => {
    const r = await runCli(['summarize', '--export', SAMPLE], env, dir);
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
    const id = /started (summarize-\S+)/.exec(r.stdout)?.[1];
    expect(id).toBeDefined();
    expect(r.stdout).toMatch(/Web UI: http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\/summarize-/);
    expect(r.stdout).toMatch(/## Most active members/);
    expect(r.stdout).toContain(join(dir, 'out'));

    const runs = await runCli(['runs', '--limit', '50'], env, dir);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toMatch(new RegExp(`Completed\\s.*${id}`, 'i'));

    const result = await runCli(['result', id!], env, dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/COMPLETED/);
    expect(result.stdout).toMatch(/## Most active members/);

    const rerun = await runCli(['rerun', id!], env, dir);
    expect(rerun.code).toBe(0);
    const second = /started (summarize-\S+) \(rerun of/.exec(rerun.stdout)?.[1];
    expect(second).toBeDefined();
    expect(second).not.toBe(id);
    expect(rerun.stdout).toMatch(/## Most active members/);
  });

  test('a run that fails says why in one line: a truncated export names the byte where it breaks', async () => {
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, readFileSync(SAMPLE).subarray(0, 30_000));
    const r = await runCli(['summarize', '--export', truncated], env, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: the run failed: .*truncated at byte \d+/m);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const id = /started (summarize-\S+)/.exec(r.stdout)![1]!;
    const later = await runCli(['result', id], env, dir);
    expect(later.code).toBe(2);
    expect(later.stdout).toMatch(/FAILED/);
    expect(later.stderr).toMatch(/truncated at byte \d+/);
    expect(later.stderr).toContain(`tgpulse rerun ${id}`);
  });
});
