import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createTelegramActivities, type PostToChatInput } from '../../src/activities';
import { accountTaskQueue, type RecapInput } from '../../src/domain';
import { startRecap } from '../../src/starters/recap-schedules';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { FakeTelegram } from '../fakes/fake-telegram';
import { testStack, uniqueName } from '../support/stack';
import { startTestWorker, type TestWorker } from '../support/worker';
import { BOT_ID, SAMPLE, ZONE } from './sample-facts';

describe('a recap posted into the group through the account worker', () => {
  let dir: string;
  let store: LocalArtifactStore;
  let tw: TestWorker;
  let connection: NativeConnection;
  let accountWorker: Worker;
  let accountRun: Promise<void>;
  const telegram = new FakeTelegram({ account: 'organizer', chat: { title: 'Cohort 7 announcements', username: 'cohort7_news' } });
  const attempts: PostToChatInput[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-recap-tg-'));
    store = new LocalArtifactStore(join(dir, 'data'));
    tw = await startTestWorker({ outputDir: join(dir, 'out'), store, openSource: openJobSource, llm: null });
    connection = await NativeConnection.connect({ address: testStack().temporalAddress });
    const real = createTelegramActivities({ account: 'organizer', telegram, store, outputDir: tmpdir() });
    accountWorker = await Worker.create({
      connection,
      taskQueue: accountTaskQueue(tw.taskQueue, 'organizer'),
      activities: {
        /** The real activity over a fake group; the first call of each delivery loses its answer after posting. */
        async postToChat(input: PostToChatInput) {
          attempts.push(input);
          const result = await real.postToChat(input);
          if (attempts.filter((a) => a.deliveryKey === input.deliveryKey).length === 1) {
            throw ApplicationFailure.retryable('connection reset after the messages went out', 'Transport');
          }
          return result;
        },
      },
    });
    accountRun = accountWorker.run();
  });
  afterAll(async () => {
    accountWorker?.shutdown();
    await accountRun;
    await connection?.close();
    await tw?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const input = (): RecapInput => ({
    cohort: { name: uniqueName('cohort'), source: { kind: 'export', path: SAMPLE }, zone: ZONE, botIds: [BOT_ID] },
    week: '2026-W46',
    delivery: { kind: 'telegram', account: 'organizer', chat: '@cohort7_news' },
  });

  test('the image with the first part as caption, then the rest; a retried delivery posts each once', async () => {
    const recap = input();
    const result = await (await startRecap(tw.client, tw.taskQueue, recap)).result();
    const texts = JSON.parse((await store.get(`cohorts/${result.chatId}/recaps/2026-W46/telegram.json`)).toString('utf8')) as string[];

    // Each delivery was attempted twice (the first lost its answer), and the group got each message once.
    expect(attempts.length).toBe(4);
    const flat = (t: string) => t.replace(/\s+/g, ' ').trim();
    expect(flat(telegram.sent.map((s) => s.text).join('\n'))).toBe(flat(texts.join('\n')));
    expect(new Set(telegram.sent.map((s) => s.text)).size).toBe(telegram.sent.length);
    // The picture leads, its caption the recap's opening (within Telegram's 1024 characters), the rest as text.
    expect(telegram.sent[0]!.file).toBe('recap.png');
    expect(telegram.sent[0]!.text).toMatch(/^Weekly recap · Build Cohort #7 · 2026-W46 \(9–15 Nov 2026\)\n\nHIGHLIGHTS\n• 183 messages/);
    expect(telegram.sent[0]!.text.length).toBeLessThanOrEqual(1024);
    expect(telegram.sent.length).toBeGreaterThan(1);
    expect(telegram.sent.slice(1).every((s) => s.file === undefined && s.text.length <= 4096)).toBe(true);
    expect(telegram.sent.map((s) => s.text).join('\n')).toMatch(/DEMOS\n• /);
    expect(result.posted).toEqual(telegram.sent.map((s) => s.id));

    // Running the week again (after a crash, or by hand) recomputes it but does not post it again.
    const again = await (await startRecap(tw.client, tw.taskQueue, recap)).result();
    expect(again.posted).toEqual(result.posted);
    expect(telegram.sent).toHaveLength(result.posted.length);
  });
});
