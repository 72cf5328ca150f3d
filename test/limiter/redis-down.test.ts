import { TransportError } from '../../src/domain';
import { startRedis, type RunningService } from '../../src/devstack';
import { createLimiter, createLimiterRedis } from '../../src/limiter';
import { testStack, uniqueName } from '../support/stack';
import { FakeTelegram } from './support/fake-telegram';

// This suite stops and starts a Redis of its own, so the shared one stays up for the others.
let redis: RunningService | undefined;
afterAll(async () => {
  await redis?.stop();
});

describe('Redis down', () => {
  it('fails closed with a clear error, makes no Telegram call, and resumes when Redis is back', async () => {
    const { logDir } = testStack();
    redis = await startRedis({ logDir });
    const port = redis.port;
    const client = createLimiterRedis(`redis://127.0.0.1:${port}`, { timeoutMs: 500 });
    try {
      const limiter = createLimiter({ redis: client, prefix: `${uniqueName('down')}:`, ratePerSecond: 100, burst: 10, redisTimeoutMs: 1500 });
      const telegram = new FakeTelegram('alice');
      const call = () => limiter.safeCall('alice', 'api', 'messages.GetHistory', () => telegram.call('messages.GetHistory', 'page'));
      await expect(call()).resolves.toBe('page');

      await redis.stop();
      const started = Date.now();
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as Error).message).toBe(`Redis at 127.0.0.1:${port} is unreachable: no Telegram call was made`);
      // Bounded, never a hang (the deadline is 1.5 s; the rest is slack for a loaded machine; unbounded would be minutes).
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(telegram.calls).toHaveLength(1);
      await expect(limiter.getStats('alice')).rejects.toThrow(TransportError);

      redis = await startRedis({ logDir, port });
      // The client reconnects by itself; a retry (as Temporal would make) goes through.
      let result: unknown;
      for (let attempt = 0; attempt < 40 && result !== 'page'; attempt++) {
        result = await call().catch((e: unknown) => {
          if (!(e instanceof TransportError)) throw e;
          return new Promise((r) => setTimeout(r, 250));
        });
      }
      expect(result).toBe('page');
      expect(telegram.calls).toHaveLength(2);
    } finally {
      client.disconnect();
    }
  });
});
