import { join } from 'node:path';
import { Context } from '@temporalio/activity';
import type { CallGuard } from '../../src/limiter';
import { createLimiter } from '../../src/limiter';
import { LocalArtifactStore, readHistory } from '../../src/store';
import { createGeneralWorker, openJobSource } from '../../src/workers';
import { FakeTelegram, floodWait } from '../fakes/fake-telegram';
import { uniqueName } from '../support/stack';
import { seededChat } from './support/chat';
import { startFakeAccountWorker } from './support/fake-account';
import { SkippedClock, startPlainSummarize, useTimeSkippingRig } from '../support/temporal-test-env';

const rig = useTimeSkippingRig('tgpulse-flood-');

test('a 3,600 s flood wait mid-extraction is slept as a durable timer: no call during the pause, every message once', async () => {
  const { env, redis, dir } = rig;
  const account = 'alice';
  const messages = 6000;
  const clock = new SkippedClock();
  const limiter = createLimiter({ redis, prefix: `${uniqueName('flood')}:`, testTimeShiftMs: () => clock.now() - Date.now(), ratePerSecond: 1000, burst: 100, floodTimerThresholdSeconds: 60 });
  /** When each call really reached Telegram, on the limiter's clock. */
  const reached: number[] = [];
  const guard: CallGuard = {
    safeCall: (acct, op, method, fn, opts) => {
      clock.follow(Context.current().info.currentAttemptScheduledTimestampMs);
      return limiter.safeCall(acct, op, method, () => {
        reached.push(clock.now());
        return fn();
      }, opts);
    },
  };
  const telegram = new FakeTelegram({ messages: seededChat(messages), account, guard });
  // The 21st page request: 2,000 messages are read, the first store page (5,000) is not yet written.
  telegram.failNext(1, floodWait(3600), { after: 20, method: 'messages.GetHistory' });

  const store = new LocalArtifactStore(join(dir, 'data'));
  const taskQueue = uniqueName('tq');
  const bundlePath = process.env.TGPULSE_TEST_WORKFLOW_BUNDLE;
  const general = await createGeneralWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    deps: { store, outputDir: join(dir, 'out'), openSource: openJobSource, llm: null },
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : {}),
  });
  const accountWorker = await startFakeAccountWorker({ connection: env.nativeConnection, taskQueue, account, telegram, store, redis, prefix: `${uniqueName('lease')}:`, floodTimerThresholdSeconds: 60 });
  try {
    const handle = await startPlainSummarize(env.client, taskQueue, { source: { kind: 'telegram', account, chat: '@fake_builders' }, delivery: { kind: 'files', dir: join(dir, 'out') } }, 'flood');
    const result = await general.runUntil(handle.result());

    expect(result.messages).toBe(messages);
    const counts = new Map<number, number>();
    for await (const m of readHistory(store, { prefix: `jobs/${result.jobId}/history`, pages: 2, messages })) counts.set(m.id, (counts.get(m.id) ?? 0) + 1);
    expect(counts.size).toBe(messages);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);

    // The refused call, then nothing until the pause was over.
    const refused = telegram.calls.findIndex((c) => c.failed);
    expect(refused).toBeGreaterThan(0);
    const floodAt = reached[refused]!;
    const after = reached.slice(refused + 1);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((t) => t >= floodAt + 3600_000)).toBe(true);

    const events = (await handle.fetchHistory()).events ?? [];
    const timers = events.flatMap((e) => (e.timerStartedEventAttributes ? [Number(e.timerStartedEventAttributes.startToFireTimeout?.seconds ?? 0)] : []));
    expect(timers).toHaveLength(1);
    expect(timers[0]).toBeGreaterThanOrEqual(3600);
  } finally {
    await accountWorker.stop();
  }
});
