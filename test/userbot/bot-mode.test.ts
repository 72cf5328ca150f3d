import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config';
import { botAccessOf, botSettings, parseAllowlist } from '../../src/starters/userbot';
import { botAccountName } from '../../src/telegram';

const TOKEN = '123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const ROOT = join(__dirname, '..', '..');

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('bot mode settings', () => {
  test('the token and the owner id are both required, each missing one named on its own line', () => {
    expect(botSettings({ USERBOT_BOT_TOKEN: TOKEN, USERBOT_OWNER_ID: '777' })).toEqual({ token: TOKEN, ownerId: '777' });
    expect(problemsOf(() => botSettings({ USERBOT_BOT_TOKEN: TOKEN }))).toEqual([expect.stringMatching(/^USERBOT_OWNER_ID \(unset\): required by --bot; /)]);
    expect(problemsOf(() => botSettings({ USERBOT_OWNER_ID: '777' }))).toEqual([expect.stringMatching(/^USERBOT_BOT_TOKEN \(unset\): required by --bot; .*@BotFather/)]);
    expect(problemsOf(() => botSettings({}))).toHaveLength(2);
  });

  test("the bot's account is named by the token's public id, never its secret", () => {
    expect(botAccountName(TOKEN)).toBe('bot-123456');
    expect(problemsOf(() => botAccountName('no-colon-here'))).toEqual([expect.stringMatching(/^USERBOT_BOT_TOKEN \(set \(hidden\)\)/)]);
  });
});

describe('who a bot obeys', () => {
  const allow = parseAllowlist('42, @Friend');
  const dm = (senderId: string, extra: { senderUsername?: string; out?: boolean; chatUserId?: string } = {}) => ({ id: 1, chatUserId: senderId, senderId, out: false, text: '/help', ...extra });

  test('the owner by id, allowlisted users by id or username; anyone else is a stranger', () => {
    expect(botAccessOf(dm('777'), '777', allow)).toEqual({ kind: 'owner' });
    expect(botAccessOf(dm('42'), '777', allow)).toEqual({ kind: 'allowed' });
    expect(botAccessOf(dm('43', { senderUsername: 'FRIEND' }), '777', allow)).toEqual({ kind: 'allowed' });
    expect(botAccessOf(dm('44', { senderUsername: 'someone' }), '777', allow)).toEqual({ kind: 'ignored', reason: 'stranger' });
  });

  test('group messages and the bot\'s own are no command chat, even from the owner', () => {
    const { chatUserId: _omitted, ...inGroup } = dm('777');
    expect(botAccessOf(inGroup, '777', allow)).toEqual({ kind: 'ignored', reason: 'not-a-command-chat' });
    expect(botAccessOf(dm('777', { out: true }), '777', allow)).toEqual({ kind: 'ignored', reason: 'not-a-command-chat' });
  });
});

describe('npm run userbot -- --bot', () => {
  test('without USERBOT_OWNER_ID it stops at once with one line naming it, and never prints the token', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tgpulse-botcli-'));
    try {
      const env = { PATH: process.env.PATH ?? '', HOME: cwd, TG_API_ID: '1', TG_API_HASH: '0123456789abcdef0123456789abcdef', USERBOT_BOT_TOKEN: TOKEN, OUTPUT_DIR: join(cwd, 'out'), DATA_DIR: join(cwd, 'data') };
      const run = spawnSync(process.execPath, ['-r', require.resolve('tsx/cjs'), join(ROOT, 'src/starters/userbot/main.ts'), '--bot', '--account', 'reader'], { cwd, env, encoding: 'utf8', timeout: 120_000 });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/USERBOT_OWNER_ID \(unset\): required by --bot; [^\n]*\n/);
      expect(run.stderr.split('\n').filter((l) => l.includes('USERBOT_'))).toHaveLength(1);
      expect(run.stdout + run.stderr).not.toContain('AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
