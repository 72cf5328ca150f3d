import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvCell } from '../../src/activities/csv';
import { readProgress } from '../../src/starters/jobs';
import type { exportMembers, exportMessages } from '../../src/workflows';
import { fakeMembers, FakeTelegram } from '../fakes/fake-telegram';
import { runCli } from '../support/cli';
import { uniqueName } from '../support/stack';
import { type TestWorker } from '../support/worker';
import { seededChat } from './support/chat';
import { startLivePipeline, type LivePipeline } from './support/live-pipeline';

/** A small RFC 4180 reader, to check what a spreadsheet would read back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  return rows;
}

describe('CSV cells', () => {
  test('quotes what needs quoting and defuses formulas, leaves phone numbers alone', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('Smith, "Jo"')).toBe('"Smith, ""Jo"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('+15550001234')).toBe('+15550001234');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(false)).toBe('false');
  });
});

describe('export workflows', () => {
  let pipeline: LivePipeline<FakeTelegram>;
  let dir: string;
  let tw: TestWorker;

  beforeAll(async () => {
    const members = fakeMembers(450);
    members[1] = { ...members[1]!, firstName: 'Smith, "Jo"', lastName: '=HYPERLINK("http://evil")' };
    pipeline = await startLivePipeline({ name: 'export', account: 'alice', telegram: () => new FakeTelegram({ messages: seededChat(700), members, account: 'alice' }) });
    ({ dir, tw } = pipeline);
  });

  afterAll(() => pipeline?.stop());

  test('members to CSV: one row per member, names read back as written, phones only when asked', async () => {
    const run = async (includePhone: boolean) => {
      const path = join(dir, `members-${includePhone}.csv`);
      const handle = await tw.client.workflow.start<typeof exportMembers>('exportMembers', {
        taskQueue: tw.taskQueue,
        workflowId: uniqueName('export-members'),
        args: [{ account: 'alice', chat: '@fake_builders', path, ...(includePhone ? { includePhone } : {}) }],
      });
      const result = await handle.result();
      return { result, rows: parseCsv(readFileSync(path, 'utf8')), progress: await readProgress(handle) };
    };
    const plain = await run(false);
    expect(plain.result.members).toBe(450);
    expect(plain.rows[0]).toEqual(['id', 'username', 'first_name', 'last_name', 'admin', 'bot', 'premium', 'verified']);
    expect(plain.rows).toHaveLength(451);
    expect(plain.rows[2]!.slice(0, 4)).toEqual(['user2', 'member_2', 'Smith, "Jo"', `'=HYPERLINK("http://evil")`]);
    expect(plain.rows[1]![4]).toBe('true');
    expect(plain.progress).toEqual({ phase: 'done', messages: 450 });

    const withPhone = await run(true);
    expect(withPhone.rows[0]!.at(-1)).toBe('phone');
    expect(withPhone.rows[1]!.at(-1)).toBe('+15550000001');
  });

  test('messages to JSONL: the range asked for, oldest first, each once', async () => {
    const path = join(dir, 'messages.jsonl');
    // seededChat: ids 1..700 a minute apart from 2025-01-06T09:00Z; since 10:00 → ids 61..700.
    const result = await tw.client.workflow.execute<typeof exportMessages>('exportMessages', {
      taskQueue: tw.taskQueue,
      workflowId: uniqueName('export-messages'),
      args: [{ account: 'alice', chat: 'https://t.me/fake_builders', since: '2025-01-06T10:00:00Z', path }],
    });
    const ids = readFileSync(path, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: number }).id);
    expect(result.messages).toBe(640);
    expect(ids).toEqual(Array.from({ length: 640 }, (_, i) => i + 61));
  });
});

describe('the CLI checks its input before starting anything', () => {
  // No Temporal or Redis in this environment: a command that got past validation would fail on connecting.
  const env = { TEMPORAL_ADDRESS: '127.0.0.1:1' };

  test('a chat that is not a chat', async () => {
    const run = await runCli(['export', 'members', 'https://example.com/x', '--csv', 'out.csv'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('<chat>: "https://example.com/x" is not a Telegram link');
  });

  test('--export with --account, and --post-to with a bad chat', async () => {
    const both = await runCli(['summarize', '--export', 'package.json', '--account', 'alice'], env);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--export and --account are mutually exclusive');
    const post = await runCli(['summarize', '--chat', '@fake_builders', '--post-to', '@no'], env);
    expect(post.code).toBe(2);
    expect(post.stderr).toContain('--post-to: "@no" is not a valid Telegram username');
    const none = await runCli(['summarize'], env);
    expect(none.stderr).toContain('No chat to summarize');
  });
});
