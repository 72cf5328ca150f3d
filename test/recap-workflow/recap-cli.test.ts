import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRecap } from '../../src/starters/recap-schedules';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { runCli } from '../support/cli';
import { testStack, uniqueName } from '../support/stack';
import { startTestWorker, type TestWorker } from '../support/worker';
import { BOT_ID, SAMPLE } from './sample-facts';

describe('tgpulse recap', () => {
  let dir: string;
  let env: Record<string, string>;
  let tw: TestWorker;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-recap-cli-'));
    const store = new LocalArtifactStore(join(dir, 'data'));
    tw = await startTestWorker({ outputDir: join(dir, 'out'), store, openSource: openJobSource, llm: null });
    // A cwd without .env; the CLI's runs go to this suite's worker, and it reads the worker's store.
    env = { TEMPORAL_ADDRESS: testStack().temporalAddress, TEMPORAL_TASK_QUEUE: tw.taskQueue, DATA_DIR: join(dir, 'data'), OUTPUT_DIR: join(dir, 'out') };
  });
  afterAll(async () => {
    await tw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('bad cron, zone, week or cohort: a clear error, exit code 2, no stack trace', async () => {
    const ghost = uniqueName('ghost');
    const cases: Array<[string[], RegExp]> = [
      [['recap', 'schedule', 'c7', '--export', SAMPLE, '--tz', 'Europe/Berlin', '--cron', '0 9 * *'], /bad cron "0 9 \* \*": it has 4 field\(s\), not 5\. write five fields/],
      [['recap', 'schedule', 'c7', '--export', SAMPLE, '--tz', 'Mars/Olympus'], /unknown time zone "Mars\/Olympus"\. use an IANA zone name such as Europe\/Berlin/],
      [['recap', 'run', SAMPLE, '--tz', 'Europe/Berlin', '--week', '2026-W60'], /week 2026-W60 does not exist\. ISO year 2026 has weeks W01 to W53/],
      [['recap', 'run', SAMPLE, '--tz', 'Europe/Berlin', '--week', '46'], /bad week "46"\. write an ISO week as YYYY-Www/],
      [['recap', 'pause', ghost], new RegExp(`no recap schedule for "${ghost}"`)],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(args, env, dir)));
    runs.forEach((r, i) => {
      expect({ args: cases[i]![0], code: r.code }).toEqual({ args: cases[i]![0], code: 2 });
      expect(r.stderr).toMatch(cases[i]![1]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  });

  test('run two weeks of an export, then history prints them week over week', async () => {
    const common = ['--tz', 'Europe/Berlin', '--bot', BOT_ID];
    // W45 straight through the client (the CLI names an export's cohort after its folder), W46 through the CLI.
    await (
      await startRecap(tw.client, tw.taskQueue, {
        cohort: { name: 'cohort-export', source: { kind: 'export', path: SAMPLE }, zone: 'Europe/Berlin', botIds: [BOT_ID] },
        week: '2026-W45',
        delivery: { kind: 'files', dir: join(dir, 'out') },
      })
    ).result();
    const w46 = await runCli(['recap', 'run', SAMPLE, '--week', '2026-W46', ...common], env, dir);
    expect(w46.stderr).toBe('');
    expect(w46.code).toBe(0);
    expect(w46.stdout).toMatch(/^started recap-cohort-export-2026-W46\n/);
    expect(w46.stdout).toContain('2026-W46 of Build Cohort #7: 183 messages');
    expect(w46.stdout).toContain('# Weekly recap · Build Cohort #7 · 2026-W46');
    expect(existsSync(join(dir, 'out', 'recap-build-cohort-7-2026-W46.png'))).toBe(true);

    const history = await runCli(['recap', 'history', 'cohort-export', '--weeks', '3'], env, dir);
    expect(history.code).toBe(0);
    const lines = history.stdout.split('\n');
    expect(lines[0]).toMatch(/^Week\s+Msgs\s+Active/);
    expect(lines.slice(2, 5).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['2026-W44 —', '2026-W45 212', '2026-W46 183']);
    expect(history.stdout).toMatch(/2026-W46 vs the week before: messages −14%/);
  });
});
