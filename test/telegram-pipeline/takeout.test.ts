import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import type { JobProgress } from '../../src/domain';
import type { CallGuard } from '../../src/limiter';
import { LocalArtifactStore, readHistory } from '../../src/store';
import { openJobSource, WORKFLOWS_PATH } from '../../src/workers';
import { FakeTelegram, rpcError } from '../fakes/fake-telegram';
import { CountingGuard } from '../fakes/fake-telegram-guard';
import { uniqueName } from '../support/stack';
import { seededChat } from './support/chat';
import { startFakeAccountWorker } from './support/fake-account';
import { startPlainSummarize, useTimeSkippingRig } from '../support/temporal-test-env';

const DAY_S = 86_400;

const rig = useTimeSkippingRig('tgpulse-takeout-');

test('a takeout extraction held back 86,400 s for approval waits as a durable timer across worker restarts, then completes', async () => {
  const { env, redis, dir } = rig;
  const account = 'alice';
  const messages = 450;
  /** Server time of the activity attempt each call belonged to: the time-skipping server moves it past the wait. */
  const attemptAt: number[] = [];
  const counting = new CountingGuard();
  const guard: CallGuard = {
    safeCall: (acct, op, method, fn, opts) => {
      attemptAt.push(Context.current().info.currentAttemptScheduledTimestampMs);
      return counting.safeCall(acct, op, method, fn, opts);
    },
  };
  const telegram = new FakeTelegram({ messages: seededChat(messages), account, guard });
  telegram.failNext(1, rpcError(`TAKEOUT_INIT_DELAY_${DAY_S}`, 420, 'account.InitTakeoutSession'), { method: 'account.InitTakeoutSession' });

  const store = new LocalArtifactStore(join(dir, 'data'));
  const taskQueue = uniqueName('tq');
  const bundlePath = process.env.TGPULSE_TEST_WORKFLOW_BUNDLE;
  // The general worker's options, without a workflow cache: the time-skipping server does not move a task off
  // a stopped worker's sticky queue, and the second worker must replay the run from its history anyway.
  const generalWorker = () =>
    Worker.create({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      activities: createActivities({ store, outputDir: join(dir, 'out'), openSource: openJobSource, llm: null }),
      ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
      maxCachedWorkflows: 0,
    });
  const accountWorker = () => startFakeAccountWorker({ connection: env.nativeConnection, taskQueue, account, telegram, store, redis, prefix: `${uniqueName('lease')}:`, floodTimerThresholdSeconds: 60 });

  const handle = await startPlainSummarize(env.client, taskQueue, { source: { kind: 'telegram', account, chat: '@fake_builders', takeout: true }, delivery: { kind: 'files', dir: join(dir, 'out') } }, 'takeout');

  // Until the result is awaited the server's clock is not skipped: the run stops in its wait, and the workers go.
  const first = await accountWorker();
  let waiting: JobProgress | undefined;
  try {
    waiting = await (await generalWorker()).runUntil(async () => {
      for (let i = 0; i < 200; i++) {
        const progress = await handle.query<JobProgress>('progress');
        if (progress.phase === 'waiting') return progress;
        await delay(100);
      }
      throw new Error('the run never reached its wait');
    });
  } finally {
    await first.stop();
  }
  const refused = telegram.calls.findIndex((c) => c.method === 'account.InitTakeoutSession' && c.failed);
  expect(refused).toBeGreaterThanOrEqual(0);
  expect(waiting.resumesAt).toBeDefined();
  const refusedAt = attemptAt[refused]!;
  expect(Date.parse(waiting.resumesAt!)).toBeGreaterThanOrEqual(refusedAt + DAY_S * 1000 - 60_000);

  // New workers: the timer, the checkpoint and the job's input are all the server's.
  const second = await accountWorker();
  try {
    const result = await (await generalWorker()).runUntil(handle.result());
    expect(result.messages).toBe(messages);
    const ids = new Set<number>();
    for await (const m of readHistory(store, { prefix: `jobs/${result.jobId}/history`, pages: 1, messages })) ids.add(m.id);
    expect(ids.size).toBe(messages);
  } finally {
    await second.stop();
  }

  // Nothing read before the refusal or during the day; after it, every page inside the session, which ends well.
  const history = telegram.calls.flatMap((c, i) => (c.method === 'messages.GetHistory' ? [{ ...c, attemptAt: attemptAt[i]! }] : []));
  expect(history.length).toBeGreaterThan(0);
  expect(telegram.calls.findIndex((c) => c.method === 'messages.GetHistory')).toBeGreaterThan(refused);
  expect(history.every((c) => c.takeout === true && !c.failed && c.attemptAt >= refusedAt + DAY_S * 1000)).toBe(true);
  expect(telegram.calls.filter((c) => c.method === 'account.FinishTakeoutSession').map((c) => c.success)).toEqual([true]);
  expect(counting.calls).toHaveLength(telegram.calls.length);

  const events = (await handle.fetchHistory()).events ?? [];
  const timers = events.flatMap((e) => (e.timerStartedEventAttributes ? [Number(e.timerStartedEventAttributes.startToFireTimeout?.seconds ?? 0)] : []));
  expect(timers).toHaveLength(1);
  expect(timers[0]).toBeGreaterThanOrEqual(DAY_S - 60);
});
