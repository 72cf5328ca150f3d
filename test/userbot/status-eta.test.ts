import { estimateRemainingMs, etaText } from '../../src/workflows/conversation/eta';

describe('the status message ETA: only when it can be estimated', () => {
  test('from the rate between two samples and the expected count', () => {
    // 1000 messages in 60 s, 4000 to go at that rate: 240 s.
    expect(estimateRemainingMs({ atMs: 0, read: 0 }, { atMs: 60_000, read: 1000 }, 5000)).toBe(240_000);
    expect(etaText(240_000)).toBe('about 4 min left');
    // The rate counts from the first sample, not from zero: 500 read in 10 s after 2000 already read.
    expect(estimateRemainingMs({ atMs: 1_000_000, read: 2000 }, { atMs: 1_010_000, read: 2500 }, 3500)).toBe(20_000);
    expect(etaText(20_000)).toBe('less than a minute left');
    // Rounded up: 61 s is "about 2 min", never a shorter promise.
    expect(etaText(61_000)).toBe('about 2 min left');
  });

  test('no estimate without an expected count, without a measurable rate, or past the expected count', () => {
    expect(estimateRemainingMs({ atMs: 0, read: 0 }, { atMs: 60_000, read: 1000 }, undefined)).toBeUndefined();
    expect(estimateRemainingMs({ atMs: 0, read: 0 }, { atMs: 60_000, read: 1000 }, 0)).toBeUndefined();
    // Nothing read since the first sample (a flood wait, a slow start): the rate is unknown, not infinite.
    expect(estimateRemainingMs({ atMs: 0, read: 300 }, { atMs: 60_000, read: 300 }, 5000)).toBeUndefined();
    // Too soon to tell: a first burst.
    expect(estimateRemainingMs({ atMs: 0, read: 0 }, { atMs: 1_000, read: 400 }, 5000)).toBeUndefined();
    // The chat grew past the earlier count: no made-up number.
    expect(estimateRemainingMs({ atMs: 0, read: 0 }, { atMs: 60_000, read: 5200 }, 5000)).toBeUndefined();
  });
});
