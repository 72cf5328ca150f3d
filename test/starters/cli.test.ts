import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ScheduleNotFoundError } from '@temporalio/client';
import { freePort } from '../../src/devstack';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { runCli } from '../support/cli';
import { testStack, uniqueName } from '../support/stack';
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
    expect(r.stderr).toContain(`no export at ${join(dir, 'no/such/result.json')}`);
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
    // The message names the prompt itself: no "prompt: " path in front of it.
    expect(empty.stderr).toBe('error: the prompt is empty: say what you want to know, or leave --prompt out for the digest\n');
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

  test('result or rerun of a run that does not exist: one line, no gRPC stack', async () => {
    for (const command of ['result', 'rerun']) {
      const r = await runCli([command, 'summarize-nothing-00000000'], env, dir);
      expect({ command, code: r.code, stderr: r.stderr }).toEqual({ command, code: 2, stderr: 'error: no run summarize-nothing-00000000; list runs with tgpulse runs\n' });
    }
  });

  test('--version prints the version in package.json', async () => {
    const r = await runCli(['--version'], env, dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${(JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { version: string }).version}\n`);
  });

  test('--help shows default values, not variable names, as the environment sets them', async () => {
    const plain = await runCli(['summarize', '--help'], env, dir);
    expect(plain.stdout).toMatch(/--account <name>[\s\S]*\(default: "default", from\s+SESSION_NAME\)/);
    expect(plain.stdout).toMatch(/--out <dir>\s+output folder: copied there from the worker's\s+OUTPUT_DIR \(default: left in "out\/"\)/);
    const set = await runCli(['export', 'members', '--help'], { ...env, SESSION_NAME: 'work' }, dir);
    expect(set.stdout).toMatch(/\(default: "work", from\s+SESSION_NAME\)/);
    for (const help of [plain.stdout, set.stdout]) expect(help).not.toMatch(/default: (SESSION_NAME|OUTPUT_DIR)\)/);
  });

  test('one account flag everywhere: the old spellings still work and say so in one line', async () => {
    const telegram = { TG_API_ID: '12345', TG_API_HASH: '0123456789abcdef0123456789abcdef', SESSION_DIR: join(dir, 'sessions'), REDIS_URL: 'redis://127.0.0.1:1' };
    const session = await runCli(['whoami', '--session', 'old_name'], { ...env, ...telegram }, dir);
    expect(session.stderr.split('\n')[0]).toBe('warning: --session is deprecated; use --account');
    expect(session.stderr).toMatch(/Account "old_name" is not logged in/);
    const limits = await runCli(['limits', 'alice'], { ...env, REDIS_URL: 'redis://127.0.0.1:1' }, dir);
    expect(limits.stderr.split('\n')[0]).toBe('warning: naming the account without --account is deprecated; use tgpulse limits --account alice');
    const commands = ['login', 'logout', 'whoami', 'limits'];
    const helps = await Promise.all(commands.map((cmd) => runCli([cmd, '--help'], env, dir)));
    helps.forEach((help, i) => {
      expect({ cmd: commands[i], account: /--account <name>/.test(help.stdout), session: /--session/.test(help.stdout) }).toEqual({ cmd: commands[i], account: true, session: false });
    });
  });
});

describe('tgpulse CLI against a running worker', () => {
  let dir: string;
  let tw: TestWorker;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-cli-run-'));
    tw = await startTestWorker({ outputDir: join(dir, 'out'), store: new LocalArtifactStore(join(dir, 'data')), openSource: openJobSource, llm: null });
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
    // The count is split the way the summary counts: messages, and the service notices read with them.
    expect(rerun.stdout).toMatch(/^410 messages and 33 service notices \(joins, leaves, pins\) read \(no-model digest\)\. Files:$/m);
  });

  test('a long chat title and a long run id: a rerun writes its own files beside the first run\'s', async () => {
    // The CLI names an export's run after its folder: a long one makes a long run id.
    const folder = join(dir, 'ChatExport_2026-11-16 Build Cohort 7 Founders Makers and Indie Hackers of Greater Berlin');
    mkdirSync(folder);
    copyFileSync(SAMPLE, join(folder, 'result.json'));
    const out = join(dir, 'long-out');
    const first = await runCli(['summarize', '--export', join(folder, 'result.json'), '--out', out], env, dir);
    expect(first.code).toBe(0);
    const id = /started (summarize-\S+)/.exec(first.stdout)![1]!;
    const rerun = await runCli(['rerun', id], env, dir);
    expect(rerun.code).toBe(0);
    const second = /started (summarize-\S+) \(rerun of/.exec(rerun.stdout)![1]!;
    // The rerun's files stay in the worker's OUTPUT_DIR (a run names no folder), beside the first run's copies there.
    const files = readdirSync(join(dir, 'out')).filter((f) => f.includes(id) || f.includes(second)).sort();
    expect(files).toHaveLength(4);
    for (const run of [id, second]) expect(files.filter((f) => f.endsWith(`${run}.md`) || f.endsWith(`${run}.json`))).toHaveLength(2);
  });

  test('rerun of a summary whose export broke since: refused before a run starts', async () => {
    const file = join(dir, 'will-break.json');
    copyFileSync(SAMPLE, file);
    const first = await runCli(['summarize', '--export', file, '--no-wait'], env, dir);
    const id = /started (summarize-\S+)/.exec(first.stdout)![1]!;
    await tw.client.workflow.getHandle(id).result();
    writeFileSync(file, Buffer.alloc(0));
    const r = await runCli(['rerun', id], env, dir);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^error: \S+will-break\.json is truncated at byte 0: expected a Telegram Desktop export \(the file is empty\)/);
  });

  test('terminal output has no Markdown escapes; the files keep them', async () => {
    const folder = join(dir, 'escapes');
    mkdirSync(folder);
    const raw = { name: 'Dev_Chat', type: 'public_supergroup', id: 1700000001, messages: [1, 2, 3].map((id) => ({ id, type: 'message', date: `2026-11-0${id}T10:00:00`, date_unixtime: String(1793786400 + id * 86400), from: 'Ana_B', from_id: 'user42', text: 'my snake_case var is *bold* [sic] anyone?', text_entities: [], ...(id > 1 ? { reactions: [{ type: 'emoji', count: id, emoji: '👍' }] } : {}) })) };
    writeFileSync(join(folder, 'result.json'), JSON.stringify(raw));
    const r = await runCli(['summarize', '--export', join(folder, 'result.json'), '--out', join(dir, 'escapes-out')], env, dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('# Dev_Chat: digest');
    expect(r.stdout).toContain('Ana_B: “my snake_case var is *bold* [sic] anyone?”');
    expect(r.stdout).not.toMatch(/\\[_*[\]]/);
    const md = readFileSync(/^\s+(\S+\.md)$/m.exec(r.stdout)![1]!, 'utf8');
    expect(md).toContain('my snake\\_case var is \\*bold\\* \\[sic\\]');
  });

  describe('a bad export is refused before any workflow starts', () => {
    /** Runs started on this suite's task queue: what a refused command must not add to. */
    const started = async () => {
      let n = 0;
      for await (const _ of tw.client.workflow.list({ query: `TaskQueue = '${tw.taskQueue}'` })) n++;
      return n;
    };
    const bad: Array<[string, () => Buffer | null, RegExp]> = [
      ['missing', () => null, /error: no export at \S+missing\.json\. Check the path/],
      ['empty', () => Buffer.alloc(0), /is truncated at byte 0: expected a Telegram Desktop export \(the file is empty\)/],
      ['truncated', () => readFileSync(SAMPLE).subarray(0, 30_000), /truncated at byte 30000, in message #\d+ \(messages\[\d+\]/],
      ['binary', () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), /is not a Telegram Desktop export: it does not start with `\{`/],
      ['not-an-export', () => Buffer.from('{"name":"x","list":[1,2,3]}'), /is JSON but not a Telegram Desktop export: it has neither `messages`/],
    ];
    test.each(bad)('%s file: summarize, recap run and recap schedule refuse it with where and what, and start nothing', async (name, bytes, error) => {
      const file = join(dir, `${name}.json`);
      const content = bytes();
      if (content) writeFileSync(file, content);
      const before = await started();
      const commands = [
        ['summarize', '--export', file],
        ['recap', 'run', file, '--tz', 'Europe/Berlin', '--week', '2026-W46'],
        ['recap', 'run', `c-${name}`, '--export', file, '--tz', 'Europe/Berlin'],
        ['recap', 'schedule', `c-${name}`, '--export', file, '--tz', 'Europe/Berlin'],
      ];
      const results = await Promise.all(commands.map((args) => runCli(args, env, dir)));
      results.forEach((r, i) => {
        const args = commands[i];
        expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
        expect(r.stderr).toMatch(error);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
      });
      expect(await started()).toBe(before);
      await expect(tw.client.schedule.getHandle(`recap-c-${name}`).describe()).rejects.toThrow(ScheduleNotFoundError);
    });
  });

  test('rerun of a recap week, of an export, of a run whose input no longer fits, of another kind of run', async () => {
    const recap = await runCli(['recap', 'run', SAMPLE, '--tz', 'Europe/Berlin', '--week', '2026-W46', '--out', join(dir, 'recaps')], env, dir);
    expect(recap.code).toBe(0);
    const recapId = /^started (recap-\S+)$/m.exec(recap.stdout)![1]!;
    const again = await runCli(['rerun', recapId], env, dir);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`started ${recapId} (rerun of ${recapId})`);
    expect(again.stdout).toContain('2026-W46 of Build Cohort #7:');

    // An export runs on the account's worker, which this suite does not start: the rerun is only started.
    const exported = await runCli(['export', 'members', '@buildcohort', '--account', 'alice', '--csv', join(dir, 'members.csv'), '--no-wait'], env, dir);
    expect(exported.code).toBe(0);
    const exportId = /^started (export-members-\S+)$/m.exec(exported.stdout)![1]!;
    const exportAgain = await runCli(['rerun', exportId, '--no-wait'], env, dir);
    expect(exportAgain.code).toBe(0);
    const newExport = /^started (export-members-\S+) \(rerun of/m.exec(exportAgain.stdout)![1]!;
    const newPath = join(dir, 'out', `members-${newExport.slice(-8)}.csv`);
    expect(exportAgain.stdout).toContain(`It writes ${newPath} (the first run's file stays).`);
    for (const id of [exportId, newExport]) await tw.client.workflow.getHandle(id).terminate('test over');

    const misfit = uniqueName('summarize-misfit');
    await tw.client.workflow.start('summarizeChat', { taskQueue: uniqueName('nobody'), workflowId: misfit, args: [{ source: { kind: 'export' } }] });
    const refused = await runCli(['rerun', misfit], env, dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^error: cannot rerun ${misfit}: its input does not fit what summarizeChat takes now \\(.+\\)\\. start it anew with tgpulse summarize\n$`));

    const other = uniqueName('other');
    await tw.client.workflow.start('someoneElsesWorkflow', { taskQueue: uniqueName('nobody'), workflowId: other, args: [] });
    const foreign = await runCli(['rerun', other], env, dir);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toBe(`error: ${other} is a someoneElsesWorkflow run, which tgpulse rerun does not start. rerun starts summarize, recap and export runs again\n`);
    for (const id of [misfit, other]) await tw.client.workflow.getHandle(id).terminate('test over');

    const runs = await runCli(['runs', '--limit', '100'], env, dir);
    for (const id of [recapId, exportId]) expect(runs.stdout).toContain(id);
  });

  test('a schedule whose export broke after it was made: run, trigger and backfill refuse it and start nothing', async () => {
    const name = uniqueName('broken');
    const file = join(dir, `${name}.json`);
    copyFileSync(SAMPLE, file);
    const made = await runCli(['recap', 'schedule', name, '--export', file, '--tz', 'Europe/Berlin', '--paused'], env, dir);
    expect(made.code).toBe(0);
    try {
      writeFileSync(file, readFileSync(SAMPLE).subarray(0, 1000));
      for (const args of [['recap', 'run', name, '--week', '2026-W46'], ['recap', 'trigger', name], ['recap', 'backfill', name, '--weeks', '1']]) {
        const r = await runCli(args, env, dir);
        expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
        expect(r.stderr).toMatch(/^error: \S+ is truncated at byte 1000/);
      }
      const { info } = await tw.client.schedule.getHandle(`recap-${name}`).describe();
      expect(info.recentActions).toHaveLength(0);

      // Posting a backfill: one flag, --post-to; the old --post still works and says so.
      const files = await runCli(['recap', 'backfill', name, '--weeks', '1', '--post-to'], env, dir);
      expect(files.code).toBe(2);
      expect(files.stderr).toBe(`error: the schedule of ${name} writes files, it posts nowhere. name the group: --post-to <chat> --account <name>\n`);
      const old = await runCli(['recap', 'backfill', name, '--weeks', '1', '--post'], env, dir);
      expect(old.stderr.split('\n')[0]).toBe('warning: --post is deprecated; use --post-to (with no chat: where the schedule posts)');
      const noAccount = await runCli(['recap', 'backfill', name, '--weeks', '1', '--post-to', '@buildcohort'], env, dir);
      expect(noAccount.stderr).toBe('error: --post-to needs --account. name the account that posts into the group\n');
    } finally {
      await runCli(['recap', 'delete', name], env, dir);
    }
    // Nine CLI starts of several seconds each on a busy machine.
  }, 240_000);

  test('a schedule\'s next run is shown in its own zone', async () => {
    const name = uniqueName('berlin');
    const r = await runCli(['recap', 'schedule', name, '--export', SAMPLE, '--tz', 'Europe/Berlin'], env, dir);
    await runCli(['recap', 'delete', name], env, dir);
    expect(r.code).toBe(0);
    // Mondays 09:00 in Berlin: 08:00 UTC in winter, 07:00 in summer, whatever today is.
    expect(r.stdout).toMatch(/^next run: Mon \d{4}-\d\d-\d\d 09:00 Europe\/Berlin \(0[78]:00 UTC\)$/m);
  });

  test('a run that fails says why in one line: a message of the wrong shape names where it is', async () => {
    // Whole and valid JSON, so the pre-start check (syntax and layout) passes; the run reads each message's fields.
    const misshapen = join(dir, 'misshapen.json');
    const raw = JSON.parse(readFileSync(SAMPLE, 'utf8')) as { messages: Array<Record<string, unknown>> };
    raw.messages[38]!.id = 'thirty-nine';
    writeFileSync(misshapen, JSON.stringify(raw, null, 1));
    const r = await runCli(['summarize', '--export', misshapen], env, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: the run failed: .*misshapen\.json is malformed at byte \d+, in message #38 \(messages\[38\]\): expected a numeric `id`, found/m);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const id = /started (summarize-\S+)/.exec(r.stdout)![1]!;
    const later = await runCli(['result', id], env, dir);
    expect(later.code).toBe(2);
    expect(later.stdout).toMatch(/FAILED/);
    expect(later.stderr).toMatch(/malformed at byte \d+, in message #38/);
    expect(later.stderr).toContain(`tgpulse rerun ${id}`);
  });
});
