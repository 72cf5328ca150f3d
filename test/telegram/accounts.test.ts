import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { ConfigError } from '../../src/config';
import { BadInputError } from '../../src/domain';
import { loginPrompts } from '../../src/starters/cli/commands/login';
import { formatAccount } from '../../src/starters/cli/commands/whoami';
import { AccountLease, accountDepsFromConfig, openTelegramAccount, SessionInUseError } from '../../src/telegram';
import { CountingGuard } from '../fakes/fake-telegram-guard';
import { testStack, uniqueName } from '../support/stack';

const API = { TG_API_ID: 12345, TG_API_HASH: '0123456789abcdef0123456789abcdef' };

describe('opening an account refuses before it connects', () => {
  let redis: Redis;
  let dir: string;
  beforeAll(() => {
    redis = new Redis(testStack().redisUrl);
  });
  afterAll(async () => {
    await redis.quit();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-acct-'));
    chmodSync(dir, 0o700);
  });
  const deps = (overrides: Partial<typeof API> = {}) => {
    const guard = new CountingGuard();
    return { guard, deps: accountDepsFromConfig({ ...API, ...overrides, SESSION_DIR: dir, SESSION_NAME: 'work', REDIS_KEY_PREFIX: `${uniqueName('acct')}:` }, { redis, guard }) };
  };

  test('without TG_API_ID / TG_API_HASH', async () => {
    await expect(openTelegramAccount(deps({ TG_API_ID: undefined }).deps)).rejects.toBeInstanceOf(ConfigError);
  });

  test('without a session: log in first', async () => {
    const err = await openTelegramAccount(deps().deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadInputError);
    expect((err as Error).message).toMatch(/Account "work" is not logged in .*Log in with `tgpulse login --account work`/);
  });

  test('with a world-readable session file', async () => {
    writeFileSync(join(dir, 'work.session'), 'secret-session', { mode: 0o644 });
    chmodSync(join(dir, 'work.session'), 0o644);
    await expect(openTelegramAccount(deps().deps)).rejects.toThrow(/chmod 600/);
  });

  test('while another process holds the account: denied, naming it, and no Telegram call made', async () => {
    writeFileSync(join(dir, 'work.session'), 'secret-session', { mode: 0o600 });
    const { deps: d, guard } = deps();
    const holder = await AccountLease.acquire(redis, d.keys, 'work', { holder: 'tgpulse-worker@host-a:77' });
    try {
      const err = await openTelegramAccount(d).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SessionInUseError);
      expect((err as Error).message).toMatch(/connected to Telegram by tgpulse-worker@host-a:77/);
      expect(guard.calls).toHaveLength(0);
    } finally {
      await holder.release();
    }
  });
});

describe('login answers', () => {
  test('flags first, then the environment, then a prompt', async () => {
    const asked: string[] = [];
    const prompt = async (q: string) => {
      asked.push(q);
      return '12345';
    };
    const fromFlags = loginPrompts({ phone: '+49 151 2345 6789', code: '55555' }, { TG_CODE: '11111', TG_PASSWORD: 'pw-env' }, prompt);
    expect(await fromFlags.phone()).toBe('+4915123456789');
    expect(await fromFlags.code()).toBe('55555');
    expect(await fromFlags.password()).toBe('pw-env');
    const prompted = loginPrompts({}, {}, prompt);
    expect(await prompted.code()).toBe('12345');
    expect(await prompted.password('my cat')).toBe('12345');
    expect(asked.at(-1)).toContain('hint: my cat');
  });

  test('a phone number that is not one is refused', async () => {
    await expect(loginPrompts({ phone: 'call me' }, {}).phone()).rejects.toThrow(/not a phone number. Give it in international form/);
  });

  test('whoami shows only the ends of the phone number', () => {
    const text = formatAccount('work', { id: 'user900', firstName: 'Test', username: 'test_account', phone: '+15550000900', premium: true });
    expect(text).toContain('username @test_account');
    expect(text).toContain('phone    +15…900');
    expect(text).not.toContain('15550000900');
  });
});
