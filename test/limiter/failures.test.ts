import { ApplicationFailure } from '@temporalio/common';
import { FailureType, guardActivity, toApplicationFailure, withFailureMapping } from '../../src/activities/failures';
import { BadInputError, FloodWaitError, QuotaExceededError, RemoteRefusedError, TransportError } from '../../src/domain';
import { AccountPausedError } from '../../src/limiter';

const now = () => Date.parse('2031-01-01T00:00:00.000Z');

function asFailure(err: unknown): ApplicationFailure {
  const mapped = toApplicationFailure(err, { floodTimerThresholdSeconds: 60, now });
  expect(mapped).toBeInstanceOf(ApplicationFailure);
  return mapped as ApplicationFailure;
}

describe('domain errors as Temporal failures', () => {
  it('lets Temporal retry a short flood wait after exactly its seconds', () => {
    const f = asFailure(new FloodWaitError(30, 'messages.GetHistory', 'alice'));
    expect(f).toMatchObject({ type: FailureType.FloodWait, nonRetryable: false, nextRetryDelay: 30_000 });
    expect(f.details).toEqual([{ seconds: 30, account: 'alice', resumeAt: '2031-01-01T00:00:30.000Z', method: 'messages.GetHistory', code: 'FLOOD_WAIT' }]);
  });

  it('hands a long flood wait to the workflow: non-retryable, with when the account resumes', () => {
    const f = asFailure(new FloodWaitError(3600, 'channels.JoinChannel', 'alice', 'SLOWMODE_WAIT'));
    expect(f).toMatchObject({ type: 'FloodWait', nonRetryable: true, nextRetryDelay: undefined });
    expect(f.details?.[0]).toMatchObject({ seconds: 3600, resumeAt: '2031-01-01T01:00:00.000Z', code: 'SLOWMODE_WAIT' });
  });

  it("keeps the limiter's own moment for a paused account", () => {
    const f = asFailure(new AccountPausedError(600, 'messages.GetHistory', 'alice', '2031-01-01T00:10:05.000Z', 'flood'));
    expect(f.details?.[0]).toMatchObject({ seconds: 600, resumeAt: '2031-01-01T00:10:05.000Z', code: 'ACCOUNT_PAUSED' });
  });

  it('never retries a used-up quota or bad input, and says why', () => {
    const quota = asFailure(new QuotaExceededError('MAX_DM_PER_DAY', 20, 20, '2031-01-02T00:00:00.000Z'));
    expect(quota).toMatchObject({ type: 'QuotaExceeded', nonRetryable: true, message: 'MAX_DM_PER_DAY quota used up: 20 of 20; it resets at 2031-01-02T00:00:00.000Z' });
    expect(quota.details?.[0]).toEqual({ quota: 'MAX_DM_PER_DAY', used: 20, limit: 20, resetsAt: '2031-01-02T00:00:00.000Z' });
    expect(asFailure(new BadInputError('no such chat @x', 'Check the link'))).toMatchObject({ type: 'BadInput', nonRetryable: true, message: 'no such chat @x. Check the link' });
  });

  it('retries a transport failure, and a refusal only when the remote named a time', () => {
    expect(asFailure(new TransportError('Redis at 127.0.0.1:6379 is unreachable'))).toMatchObject({ type: 'Transport', nonRetryable: false });
    expect(asFailure(new RemoteRefusedError('slow down', 'RATE', 'chat', 7))).toMatchObject({ type: 'RemoteRefused', nonRetryable: false, nextRetryDelay: 7000 });
    expect(asFailure(new RemoteRefusedError('private', 'CHANNEL_PRIVATE', 'channels.GetFullChannel'))).toMatchObject({ nonRetryable: true });
  });

  it('leaves Temporal failures and unknown errors as they are', () => {
    const failure = ApplicationFailure.nonRetryable('x');
    expect(toApplicationFailure(failure)).toBe(failure);
    const unknown = new Error('bug');
    expect(toApplicationFailure(unknown)).toBe(unknown);
  });

  it('maps what an activity body throws', async () => {
    await expect(withFailureMapping(() => Promise.reject(new QuotaExceededError('MAX_JOINS_PER_DAY', 1, 1, undefined)))).rejects.toMatchObject({ type: 'QuotaExceeded' });
    const guarded = guardActivity(async (n: number) => {
      if (n < 0) throw new BadInputError('negative');
      return n * 2;
    });
    await expect(guarded(2)).resolves.toBe(4);
    await expect(guarded(-1)).rejects.toMatchObject({ type: 'BadInput', nonRetryable: true });
  });
});
