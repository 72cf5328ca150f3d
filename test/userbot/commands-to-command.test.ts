import { CONVERSATION_HELP, MAX_PROMPT_CHARS } from '../../src/domain';
import { toCommand } from '../../src/starters/userbot';

describe('toCommand: /ask, /recap, /export, /schedules, /limits', () => {
  test('/ask takes a chat and the rest as the question, several lines too', () => {
    expect(toCommand({ text: '/ask @cohort who fixed staging?\nand when?' })).toEqual({ kind: 'ask', chat: '@cohort', question: 'who fixed staging?\nand when?' });
  });

  test('/recap takes a chat and a week, "last" or nothing for the last completed week', () => {
    expect(toCommand({ text: '/recap https://t.me/cohort 2026-w47' })).toEqual({ kind: 'recap', chat: 'https://t.me/cohort', week: '2026-W47' });
    expect(toCommand({ text: '/recap @cohort last' })).toEqual({ kind: 'recap', chat: '@cohort' });
    expect(toCommand({ text: '/recap @cohort' })).toEqual({ kind: 'recap', chat: '@cohort' });
  });

  test('/export members|messages <chat>', () => {
    expect(toCommand({ text: '/export members @cohort' })).toEqual({ kind: 'export', what: 'members', chat: '@cohort' });
    expect(toCommand({ text: '/export messages https://t.me/cohort' })).toEqual({ kind: 'export', what: 'messages', chat: 'https://t.me/cohort' });
  });

  test('/schedules lists; pause and resume name one', () => {
    expect(toCommand({ text: '/schedules' })).toEqual({ kind: 'schedules' });
    expect(toCommand({ text: '/schedules Pause recap-build-cohort-7' })).toEqual({ kind: 'schedules', action: 'pause', schedule: 'recap-build-cohort-7' });
    expect(toCommand({ text: '/schedules resume recap-x' })).toEqual({ kind: 'schedules', action: 'resume', schedule: 'recap-x' });
    expect(toCommand({ text: '/limits' })).toEqual({ kind: 'limits' });
  });

  test('each bad form gets one line saying what to do', () => {
    const cases: [string, RegExp][] = [
      ['/ask', /^Say which chat: \/ask <link or @username> <your question>\.$/],
      ['/ask @cohort', /^Say what you want to know: /],
      [`/ask @cohort ${'x'.repeat(MAX_PROMPT_CHARS + 1)}`, new RegExp(`^Your question has ${MAX_PROMPT_CHARS + 1} characters; the limit is ${MAX_PROMPT_CHARS}`)],
      ['/ask https://t.me/+12 why', /phone number link, not a chat/],
      ['/recap @cohort week47', /^"week47" is not a week: write it like 2026-W47/],
      ['/recap', /^Say which chat: \/recap/],
      ['/export @cohort', /^Say what to export: \/export members <chat>/],
      ['/export members', /^Say which chat: \/export members/],
      ['/schedules stop recap-x', /^\/schedules lists your recap schedules/],
      ['/schedules pause', /^Say which schedule: \/schedules pause <id>/],
    ];
    for (const [text, line] of cases) {
      const c = toCommand({ text });
      expect(c.kind).toBe('invalid');
      if (c.kind !== 'invalid') continue;
      expect(c.reply).toMatch(line);
      expect(c.reply).not.toContain('\n');
    }
  });

  test('/help lists every command the conversation knows', () => {
    for (const name of ['summarize', 'go', 'ask', 'recap', 'export', 'schedules', 'limits', 'status', 'runs', 'cancel', 'rerun', 'help']) {
      expect(CONVERSATION_HELP).toMatch(new RegExp(`^/${name}\\b`, 'm'));
      // And each one it lists is understood, not "I don't know".
      const c = toCommand({ text: `/${name}` });
      expect(c.kind === 'invalid' ? c.reply : '').not.toMatch(/^I don't know/);
    }
  });
});
