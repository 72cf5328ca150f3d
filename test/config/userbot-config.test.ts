import { ConfigError, loadConfig } from '../../src/config';
import { parseAllowlist } from '../../src/starters/userbot';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('userbot settings', () => {
  test('an allowlist of ids and @usernames is read as such; unset, only the owner may talk', () => {
    const config = loadConfig({ USERBOT_ALLOWLIST: ' 12345 , @Alice_B,bob_c ' });
    expect(parseAllowlist(config.USERBOT_ALLOWLIST)).toEqual({ ids: new Set(['12345']), usernames: new Set(['alice_b', 'bob_c']) });
    expect(parseAllowlist(loadConfig({}).USERBOT_ALLOWLIST)).toEqual({ ids: new Set(), usernames: new Set() });
  });

  test('a bad allowlist entry stops the start with one line naming it and what to write', () => {
    const problems = problemsOf({ USERBOT_ALLOWLIST: '12345, https://t.me/alice, alice smith' });
    expect(problems).toEqual([
      'USERBOT_ALLOWLIST ("12345, https://t.me/alice, alice smith"): "https://t.me/alice" is neither a user id (digits) nor a @username (letters, digits and _, starting with a letter): list ids or usernames, comma-separated, e.g. 12345,@alice',
      'USERBOT_ALLOWLIST ("12345, https://t.me/alice, alice smith"): "alice smith" is neither a user id (digits) nor a @username (letters, digits and _, starting with a letter): list ids or usernames, comma-separated, e.g. 12345,@alice',
    ]);
    // The same check where the userbot reads its list.
    expect(() => parseAllowlist('@ok_user,@')).toThrow(/USERBOT_ALLOWLIST: "@" is neither a user id/);
  });

  test('job limits default to 10 an hour, 1 at once per user, 4 at once in all; below 1 is refused', () => {
    const c = loadConfig({});
    expect([c.USERBOT_JOBS_PER_HOUR, c.USERBOT_JOBS_AT_ONCE, c.USERBOT_GLOBAL_JOBS_AT_ONCE]).toEqual([10, 1, 4]);
    const problems = problemsOf({ USERBOT_JOBS_PER_HOUR: '0', USERBOT_JOBS_AT_ONCE: 'two', USERBOT_GLOBAL_JOBS_AT_ONCE: '3' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/USERBOT_JOBS_PER_HOUR \("0"\)/);
    expect(problems.join('\n')).toMatch(/USERBOT_JOBS_AT_ONCE \("two"\)/);
  });

  test('bot mode: the owner is a user id; a malformed token is refused without showing it', () => {
    expect(loadConfig({ USERBOT_OWNER_ID: '777000', USERBOT_BOT_TOKEN: '123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw' }).USERBOT_OWNER_ID).toBe('777000');
    const problems = problemsOf({ USERBOT_OWNER_ID: '@maya', USERBOT_BOT_TOKEN: 'secret-looking-thing' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^USERBOT_OWNER_ID \("@maya"\): must be a Telegram user id/);
    expect(problems[1]).toBe('USERBOT_BOT_TOKEN (set (hidden)): must be the token @BotFather gave (digits, a colon, then letters)');
    expect(problems.join('\n')).not.toContain('secret-looking-thing');
  });
});
