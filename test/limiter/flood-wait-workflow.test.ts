import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createLimiter } from '../../src/limiter';
import { uniqueName } from '../support/stack';
import { FakeTelegram } from './support/fake-telegram';
import { createFloodTestActivities } from './support/flood-activities';
import { SkippedClock, startTimeSkipping } from '../support/temporal-test-env';
import { redisPool } from './support/test-limiter';
import type { fetchThroughFloodWaits } from './flood-wait-workflows';

const pool = redisPool();
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await startTimeSkipping();
});

afterAll(async () => {
  await env?.teardown();
  await pool.closeAll();
});

async function run(floodSeconds: number) {
  const account = 'alice';
  const clock = new SkippedClock();
  const telegram = new FakeTelegram(account, clock.now).floodNext(floodSeconds);
  const limiter = createLimiter({ redis: pool.client(), prefix: `${uniqueName('wf')}:`, testTimeShiftMs: () => clock.now() - Date.now(), ratePerSecond: 100, burst: 5, floodTimerThresholdSeconds: 60 });
  const taskQueue = uniqueName('limiter');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./flood-wait-workflows'),
    activities: createFloodTestActivities(limiter, telegram, clock, 60),
  });
  const workflowId = uniqueName('flood');
  const result = await worker.runUntil(
    env.client.workflow.execute<typeof fetchThroughFloodWaits>('fetchThroughFloodWaits', { taskQueue, workflowId, args: [account] }),
  );
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  return { result, telegram, history };
}

describe('flood wait across a workflow', () => {
  it('sleeps a 3,600 s flood wait as a durable timer, calls Telegram again only after it', async () => {
    const { result, telegram, history } = await run(3600);
    expect(result.page).toBe('page-1');
    expect(result.waits).toHaveLength(1);
    // A call made during the pause met the paused account and never reached Telegram.
    expect(result.probe).toBe('FloodWait');
    expect(telegram.calls).toHaveLength(2);
    const [first, second] = telegram.calls.map((c) => c.at);
    expect(second! - first!).toBeGreaterThanOrEqual(3600_000);
    const timers = (history.events ?? []).flatMap((e) => (e.timerStartedEventAttributes ? [Number(e.timerStartedEventAttributes.startToFireTimeout?.seconds ?? 0)] : []));
    expect(timers).toHaveLength(1);
    expect(timers[0]).toBeGreaterThanOrEqual(3600);
  });

  it('retries a short flood wait after nextRetryDelay, with no workflow timer', async () => {
    const { result, telegram, history } = await run(2);
    expect(result).toEqual({ page: 'page-1', waits: [] });
    expect(telegram.calls).toHaveLength(2);
    expect(telegram.calls[1]!.at - telegram.calls[0]!.at).toBeGreaterThanOrEqual(2000);
    expect((history.events ?? []).some((e) => e.timerStartedEventAttributes)).toBe(false);
  });
});
