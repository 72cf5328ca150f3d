import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobInput } from '../../src/domain';
import { createLimiter } from '../../src/limiter';
import { startSummarize } from '../../src/starters/jobs';
import { LocalArtifactStore, readHistory } from '../../src/store';
import { MAX_MESSAGE_CHARS } from '../../src/telegram';
import { FakeTelegram } from '../fakes/fake-telegram';
import { type TestWorker } from '../support/worker';
import { seededChat } from './support/chat';
import { startLivePipeline, type LivePipeline } from './support/live-pipeline';

const ACCOUNT = 'alice';
const MESSAGES = 1234;

describe('summarizeChat with a live Telegram source', () => {
  let pipeline: LivePipeline<FakeTelegram>;
  let dir: string;
  let store: LocalArtifactStore;
  let tw: TestWorker;
  let telegram: FakeTelegram;

  beforeAll(async () => {
    // Every call passes the real limiter on the real Redis, as on the live adapter.
    pipeline = await startLivePipeline({
      name: 'live',
      account: ACCOUNT,
      telegram: (redis, prefix) => new FakeTelegram({ messages: seededChat(MESSAGES), account: ACCOUNT, guard: createLimiter({ redis, prefix, ratePerSecond: 1000, burst: 100 }) }),
    });
    ({ dir, store, tw, telegram } = pipeline);
  });

  afterAll(() => pipeline?.stop());

  const run = async (input: JobInput) => {
    const handle = await startSummarize(tw.client, { TEMPORAL_TASK_QUEUE: tw.taskQueue }, input, 'live');
    return handle.result();
  };

  test('pages through the chat 100 messages a request, stores each once, and links every cited message', async () => {
    const before = telegram.callTimes('messages.GetHistory').length;
    const result = await run({ source: { kind: 'telegram', account: ACCOUNT, chat: 'https://t.me/fake_builders' }, delivery: { kind: 'files', dir: join(dir, 'out') } });

    expect(result.messages).toBe(MESSAGES);
    expect(result.chat.title).toBe('Fake builders');
    expect(telegram.callTimes('messages.GetHistory').length - before).toBe(Math.ceil(MESSAGES / 100));
    const ids: number[] = [];
    for await (const m of readHistory(store, { prefix: `jobs/${result.jobId}/history`, pages: 1, messages: result.messages })) ids.push(m.id);
    expect(ids).toEqual(Array.from({ length: MESSAGES }, (_, i) => i + 1));

    const json = JSON.parse(readFileSync(result.files.find((f) => f.endsWith('.json'))!, 'utf8'));
    expect(json.stats.messages).toBe(MESSAGES);
    expect(json.stats.participants).toBe(3);
    const points = json.sections.flatMap((s: { points: Array<{ messageIds: number[]; links: string[] }> }) => s.points);
    const cited = points.flatMap((p: { messageIds: number[] }) => p.messageIds);
    expect(cited.length).toBeGreaterThan(3);
    for (const p of points) expect(p.links).toEqual(p.messageIds.map((id: number) => `https://t.me/fake_builders/${id}`));
    for (const id of cited) expect(id >= 1 && id <= MESSAGES).toBe(true);
  });

  test('--post-to: the summary is posted in parts of at most 4096 characters, under a status message edited in place', async () => {
    const sentBefore = telegram.sent.length;
    const result = await run({ source: { kind: 'telegram', account: ACCOUNT, chat: '@fake_builders' }, delivery: { kind: 'telegram', account: ACCOUNT, chat: '@fake_builders' } });

    const posted = telegram.sent.slice(sentBefore);
    const [status, ...parts] = posted;
    expect(status!.text).toMatch(/^Summary of "Fake builders" \(\d+ history entries\): \d+ message\(s\) below\.$/);
    expect(parts.length).toBeGreaterThanOrEqual(1);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(parts[0]!.text).toContain('Fake builders');
    // Plain text with bare links, as Telegram shows it: no Markdown syntax leaking into the group.
    const all = parts.map((p) => p.text).join('\n');
    expect(all).toContain('MOST ACTIVE MEMBERS');
    expect(all).toMatch(/^• .+ https:\/\/t\.me\/fake_builders\/\d+/m);
    expect(all).not.toMatch(/^#+ |\]\(https:|^- /m);
    expect(result.files).toEqual([]);
    expect(result.notes).toContain(`Posted ${parts.length} message(s) to @fake_builders as account "${ACCOUNT}".`);
    // The messages the job posted itself are not in its summary: it read the chat before posting.
    expect(result.messages).toBe(telegram.messages.length - posted.length - sentBefore);
  });

  test('a chat the account cannot see fails the run with Telegram\'s reason', async () => {
    await expect(run({ source: { kind: 'telegram', account: ACCOUNT, chat: '@nobody_here_at_all' }, delivery: { kind: 'files', dir: join(dir, 'out') } })).rejects.toMatchObject({
      cause: { cause: { message: expect.stringContaining('No chat or user has this username') } },
    });
  });
});
