import { jobSlotReply } from '../../src/workflows/job-slot-reply';

const now = new Date('2031-03-14T13:40:00.000Z');

test('a refused job says why and when to try again, in UTC, with the date when it is not today', () => {
  expect(jobSlotReply({ reason: 'hourly', retryAt: '2031-03-14T14:32:10.000Z' }, now)).toBe('You have started as many jobs this hour as you may. You can start another job at 14:32 UTC.');
  expect(jobSlotReply({ reason: 'hourly', retryAt: '2031-03-15T00:05:00.000Z' }, now)).toBe('You have started as many jobs this hour as you may. You can start another job at 2031-03-15 00:05 UTC.');
  expect(jobSlotReply({ reason: 'running', retryAt: '2031-03-14T19:40:00.000Z' }, now)).toBe('Your other jobs are still running: you can start another job when one finishes (at 19:40 UTC at the latest), or stop one with /cancel.');
  expect(jobSlotReply({ reason: 'global', retryAt: '2031-03-14T19:40:00.000Z' }, now)).toBe("The userbot is busy with other people's jobs. You can start another job when one of them finishes (at 19:40 UTC at the latest).");
});
