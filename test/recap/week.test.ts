import { BadInputError } from '../../src/domain';
import { formatWeekSpan, lastCompletedWeek, parseWeekId, shiftWeek, weekOf, weekRange, weeksEndingAt } from '../../src/recap';

const hours = (r: { start: Date; end: Date }) => (r.end.getTime() - r.start.getTime()) / 3_600_000;

describe('ISO weeks in a time zone', () => {
  test('the autumn DST week in Berlin lasts 169 hours, its Sunday 25', () => {
    const r = weekRange('2026-W43', 'Europe/Berlin');
    expect(r.start.toISOString()).toBe('2026-10-18T22:00:00.000Z'); // Mon 19 Oct 00:00 CEST
    expect(r.end.toISOString()).toBe('2026-10-25T23:00:00.000Z'); // Mon 26 Oct 00:00 CET
    expect(hours(r)).toBe(169);
    expect(r.dayStarts).toHaveLength(8);
    expect((r.dayStarts[7]!.getTime() - r.dayStarts[6]!.getTime()) / 3_600_000).toBe(25);
  });

  test('the spring DST week in Berlin lasts 167 hours', () => {
    const r = weekRange('2026-W13', 'Europe/Berlin');
    expect(r.start.toISOString()).toBe('2026-03-22T23:00:00.000Z');
    expect(r.end.toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(hours(r)).toBe(167);
  });

  test('an ordinary week lasts 168 hours, in UTC and elsewhere', () => {
    expect(hours(weekRange('2026-W46', 'UTC'))).toBe(168);
    expect(weekRange('2026-W46', 'Asia/Kolkata').start.toISOString()).toBe('2026-11-08T18:30:00.000Z');
  });

  test('an instant belongs to the week of its local date', () => {
    // Sunday 25 Oct 23:30 CET is still W43 in Berlin, but already Monday (W44) in Moscow.
    expect(weekOf(new Date('2026-10-25T22:30:00Z'), 'Europe/Berlin')).toBe('2026-W43');
    expect(weekOf(new Date('2026-10-25T22:30:00Z'), 'Europe/Moscow')).toBe('2026-W44');
  });

  test('weeks across the year boundary follow ISO rules', () => {
    expect(weekOf(new Date('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
    expect(shiftWeek('2027-W01', 1)).toBe('2026-W53');
    expect(shiftWeek('2026-W53', -1)).toBe('2027-W01');
    expect(weeksEndingAt('2027-W02', 3)).toEqual(['2026-W53', '2027-W01', '2027-W02']);
  });

  test('a Monday-morning recap reports on the week that just ended', () => {
    expect(lastCompletedWeek(new Date('2026-11-16T08:00:00Z'), 'Europe/Berlin')).toBe('2026-W46');
  });

  test('week spans read naturally', () => {
    expect(formatWeekSpan('2026-W46', 'UTC')).toBe('9–15 Nov 2026');
    expect(formatWeekSpan('2026-W49', 'UTC')).toBe('30 Nov – 6 Dec 2026');
    expect(formatWeekSpan('2026-W01', 'UTC')).toBe('29 Dec 2025 – 4 Jan 2026');
  });

  test.each([
    ['2026-46', /write an ISO week as YYYY-Www/],
    ['2026-W6', /write an ISO week as YYYY-Www/],
    ['2026-W00', /ISO year 2026 has weeks W01 to W53/],
    ['2025-W53', /ISO year 2025 has weeks W01 to W52/],
    ['last week', /write an ISO week/],
  ])('bad week id %s is refused with what to write instead', (id, hint) => {
    expect(() => parseWeekId(id)).toThrow(BadInputError);
    expect(() => parseWeekId(id)).toThrow(hint);
  });

  test('an unknown time zone is refused with examples', () => {
    expect(() => weekRange('2026-W46', 'Berlin')).toThrow(/unknown time zone "Berlin".*Europe\/Berlin/);
  });
});
