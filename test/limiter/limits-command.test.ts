import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLimiter } from '../../src/limiter';
import { testStack, uniqueName } from '../support/stack';
import { FakeTelegram } from './support/fake-telegram';
import { redisPool } from './support/test-limiter';

const pool = redisPool();
afterAll(() => pool.closeAll());

const ROOT = join(__dirname, '..', '..');

function tgpulse(args: string[], env: Record<string, string>) {
  return promisify(execFile)(process.execPath, ['-r', 'tsx/cjs', 'src/starters/cli/main.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
}

describe('tgpulse limits', () => {
  it("prints an account's calls, flood waits and quotas from Redis", async () => {
    const prefix = `${uniqueName('cli')}:`;
    const limiter = createLimiter({ redis: pool.client(), prefix, ratePerSecond: 1000, burst: 10, pauseDmSeconds: 0 });
    const telegram = new FakeTelegram('alice').floodNext(0);
    await limiter.safeCall('alice', 'api', 'm', () => telegram.call('m', 1)).catch((e: unknown) => e);
    await limiter.safeCall('alice', 'dm', 'messages.SendMessage', () => telegram.call('messages.SendMessage', 1));
    await limiter.safeCall('alice', 'dm', 'messages.SendMessage', () => telegram.call('messages.SendMessage', 1));

    const { stdout } = await tgpulse(['limits'], { REDIS_URL: testStack().redisUrl, REDIS_KEY_PREFIX: prefix, MAX_DM_PER_DAY: '20' });
    expect(stdout).toContain('account alice, today');
    expect(stdout).toMatch(/^dm\s+2\s+0$/m);
    expect(stdout).toMatch(/^total\s+3\s+0$/m);
    expect(stdout).toContain('flood waits today: 1');
    expect(stdout).toMatch(/^MAX_DM_PER_DAY\s+2\s+20\s+\d{4}-\d\d-\d\dT00:00:00.000Z$/m);
    expect(stdout).toMatch(/^MAX_GROUPS\s+0\s+200\s+on leave$/m);
  });

  it('says so when Redis is unreachable, without a stack trace', async () => {
    const err = (await tgpulse(['limits', '--account', 'alice'], { REDIS_URL: 'redis://127.0.0.1:1' }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(3);
    expect(err.stderr.trim()).toBe('error: Redis at 127.0.0.1:1 is unreachable');
  });
});
