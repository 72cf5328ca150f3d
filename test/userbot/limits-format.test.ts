import { formatLimits } from '../../src/activities/userbot-limits';
import type { LimiterStats } from '../../src/limiter';

const base: LimiterStats = {
  account: 'pulse',
  day: '2026-11-27',
  operations: [],
  calls: 12,
  throttled: 1,
  floodWaits: 0,
  groupPauses: [],
  quotas: [
    { quota: 'MAX_DM_PER_DAY', used: 2, limit: 20, resetsAt: '2026-11-28T00:00:00.000Z' },
    { quota: 'MAX_JOINS_PER_DAY', used: 5, limit: 5, resetsAt: '2026-11-28T00:00:00.000Z' },
    { quota: 'MAX_GROUPS', used: 10, limit: 200 },
  ],
};

describe('/limits text', () => {
  test('what is left of each quota and when it resets, from the clock passed in', () => {
    const text = formatLimits(base, Date.parse('2026-11-27T19:25:00Z'));
    expect(text.split('\n')).toEqual([
      'Telegram limits of account "pulse", today (2026-11-27 UTC):',
      '• Direct messages: 18 of 20 left (2 used; MAX_DM_PER_DAY); resets at 00:00 UTC (in 4 h 35 min)',
      '• Joins: 0 of 5 left (5 used; MAX_JOINS_PER_DAY); resets at 00:00 UTC (in 4 h 35 min)',
      '• Groups joined: 190 of 200 left (10 used; MAX_GROUPS); a leave frees a place',
      '• No account pause in force.',
      'Calls today: 12 (1 had to wait), flood waits: 0.',
    ]);
  });

  test('an account pause and a smart pause in force are named with their end', () => {
    const text = formatLimits({ ...base, floodWaits: 1, pausedUntil: '2026-11-27T21:40:00.000Z', groupPauses: [{ group: 'dm', until: '2026-11-27T19:30:00.000Z' }] }, Date.parse('2026-11-27T19:25:00Z'));
    expect(text).toContain('• PAUSED until 2026-11-27 21:40 UTC (in 2 h 15 min): Telegram asked us to wait (a flood wait); nothing goes out before then.');
    expect(text).toContain('• dm calls paused until 2026-11-27 19:30 UTC (in 5 min)');
    expect(text).not.toContain('No account pause');
  });
});
