import { MAX_PROMPT_CHARS } from '../../src/domain';
import { accessOf, parseAllowlist, toCommand } from '../../src/starters/userbot';

describe('toCommand: a message becomes one typed command', () => {
  test('a bare chat link, @username or id asks to summarize it; a forward names its chat', () => {
    expect(toCommand({ text: 'https://t.me/nodejs_ru' })).toEqual({ kind: 'summarize', chat: 'https://t.me/nodejs_ru' });
    expect(toCommand({ text: ' @nodejs_ru ' })).toEqual({ kind: 'summarize', chat: '@nodejs_ru' });
    expect(toCommand({ text: '-1001234567890' })).toEqual({ kind: 'summarize', chat: '-1001234567890' });
    expect(toCommand({ text: 'look at this', forwardedFrom: '-100777' })).toEqual({ kind: 'summarize', chat: '-100777' });
  });

  test('/summarize takes a chat and the rest as the prompt, kept whole (several lines too)', () => {
    expect(toCommand({ text: '/summarize @nodejs_ru what was decided\nand by whom?' })).toEqual({ kind: 'summarize', chat: '@nodejs_ru', prompt: 'what was decided\nand by whom?' });
    expect(toCommand({ text: '/summarize@pulse_bot @nodejs_ru' })).toEqual({ kind: 'summarize', chat: '@nodejs_ru' });
  });

  test('commands with and without a run', () => {
    expect(toCommand({ text: '/help' })).toEqual({ kind: 'help' });
    expect(toCommand({ text: '/start' })).toEqual({ kind: 'help' });
    expect(toCommand({ text: '/GO' })).toEqual({ kind: 'go' });
    expect(toCommand({ text: '/cancel 3' })).toEqual({ kind: 'cancel', run: '3' });
    expect(toCommand({ text: '/cancel' })).toEqual({ kind: 'cancel' });
    expect(toCommand({ text: '/rerun 2' })).toEqual({ kind: 'rerun', run: '2' });
    expect(toCommand({ text: '/status' })).toEqual({ kind: 'status' });
    expect(toCommand({ text: '/runs' })).toEqual({ kind: 'runs' });
  });

  test('plain text is text: the answer to "what should I look for?"', () => {
    expect(toCommand({ text: 'decisions about the launch' })).toEqual({ kind: 'text', text: 'decisions about the launch' });
  });

  test('a bad link, a missing chat, an unknown command and an overlong prompt each get one line saying what to do', () => {
    const lines = [
      toCommand({ text: 'https://t.me/+12' }),
      toCommand({ text: '@ab' }),
      toCommand({ text: '/summarize' }),
      toCommand({ text: '/summarize t.me/ok_name_here ' + 'x'.repeat(MAX_PROMPT_CHARS + 1) }),
      toCommand({ text: '/frobnicate now' }),
    ];
    for (const c of lines) {
      expect(c.kind).toBe('invalid');
      expect(c.kind === 'invalid' && c.reply).not.toContain('\n');
    }
    expect(lines.map((c) => (c.kind === 'invalid' ? c.reply : ''))).toEqual([
      expect.stringContaining('phone number link, not a chat'),
      expect.stringContaining('not a valid Telegram username'),
      'Say which chat: /summarize <link or @username> [what to look for].',
      `Your prompt has ${MAX_PROMPT_CHARS + 1} characters; the limit is ${MAX_PROMPT_CHARS}: shorten it and send it again.`,
      "I don't know /frobnicate. Send /help for the list of commands.",
    ]);
  });
});

describe('accessOf: who may drive the userbot', () => {
  const self = '100';
  const allow = parseAllowlist('200, @Alice');
  const dm = (from: string, extra: object = {}) => ({ id: 1, chatUserId: from, senderId: from, out: false, text: '/help', ...extra });

  test("the owner in their own Saved Messages (outgoing, from any device)", () => {
    expect(accessOf({ id: 1, chatUserId: self, senderId: self, out: true, text: '/help' }, self, allow)).toEqual({ kind: 'owner' });
  });

  test('allowlisted users by id or by username, any case, in a direct message', () => {
    expect(accessOf(dm('200'), self, allow)).toEqual({ kind: 'allowed' });
    expect(accessOf(dm('300', { senderUsername: 'alice' }), self, allow)).toEqual({ kind: 'allowed' });
  });

  test('strangers, the owner writing to someone else, and groups are ignored', () => {
    expect(accessOf(dm('300', { senderUsername: 'mallory' }), self, allow)).toEqual({ kind: 'ignored', reason: 'stranger' });
    expect(accessOf(dm('300'), self, parseAllowlist(undefined))).toEqual({ kind: 'ignored', reason: 'stranger' });
    expect(accessOf({ id: 1, chatUserId: '200', senderId: self, out: true, text: '/help' }, self, allow)).toEqual({ kind: 'ignored', reason: 'not-a-command-chat' });
    expect(accessOf({ id: 1, senderId: '200', out: false, text: '/help' }, self, allow)).toEqual({ kind: 'ignored', reason: 'not-a-command-chat' });
  });
});
