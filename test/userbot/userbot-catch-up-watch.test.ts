import { metricsText } from '../../src/observability';
import { watchCatchUps } from '../../src/starters/userbot';

/** The listener's health as `/healthz` and `/metrics` show it, on a clock the test moves. */

const PERIOD_MS = 30_000;

function clock(start: number) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function metric(line: RegExp): Promise<number | undefined> {
  const { body } = await metricsText();
  const found = body.split('\n').find((l) => line.test(l));
  return found === undefined ? undefined : Number(found.split(' ').pop());
}

test('healthy while catch-ups work; after three periods without one, the check names how long and why', async () => {
  const t = clock(Date.parse('2026-03-01T10:00:00Z'));
  const watch = watchCatchUps({ watchdogMs: PERIOD_MS, now: t.now });
  watch.onCatchUp({ ok: true, missed: 0 });
  t.advance(3 * PERIOD_MS);
  await expect(watch.check.check()).resolves.toBeUndefined();
  watch.onCatchUp({ ok: false });
  t.advance(1000);
  expect(watch.check.name).toBe('updates');
  await expect(watch.check.check()).rejects.toThrow('no successful catch-up for 91 s (Telegram unreachable?)');
  t.advance(4 * 60_000);
  await expect(watch.check.check()).rejects.toThrow('no successful catch-up for 6 min (Telegram unreachable?)');
  expect(await metric(/^userbot_seconds_since_last_catch_up /)).toBe(331);
  watch.onCatchUp({ ok: true, missed: 2 });
  await expect(watch.check.check()).resolves.toBeUndefined();
  expect(await metric(/^userbot_seconds_since_last_catch_up /)).toBe(0);
});

test('catch-ups are counted by outcome, and the messages they recovered', async () => {
  const before = {
    ok: (await metric(/^userbot_catch_ups_total\{outcome="ok"\}/)) ?? 0,
    failed: (await metric(/^userbot_catch_ups_total\{outcome="failed"\}/)) ?? 0,
    recovered: (await metric(/^userbot_catch_up_recovered_messages_total /)) ?? 0,
  };
  const watch = watchCatchUps({ watchdogMs: PERIOD_MS });
  watch.onCatchUp({ ok: true, missed: 3 });
  watch.onCatchUp({ ok: false });
  watch.onCatchUp({ ok: true, missed: 0 });
  expect(await metric(/^userbot_catch_ups_total\{outcome="ok"\}/)).toBe(before.ok + 2);
  expect(await metric(/^userbot_catch_ups_total\{outcome="failed"\}/)).toBe(before.failed + 1);
  expect(await metric(/^userbot_catch_up_recovered_messages_total /)).toBe(before.recovered + 3);
});

test('a userbot whose first catch-up never worked turns unhealthy three periods after it started', async () => {
  const t = clock(Date.parse('2026-03-01T10:00:00Z'));
  const watch = watchCatchUps({ watchdogMs: PERIOD_MS, now: t.now });
  t.advance(3 * PERIOD_MS);
  await expect(watch.check.check()).resolves.toBeUndefined();
  t.advance(1);
  await expect(watch.check.check()).rejects.toThrow(/^no successful catch-up for 90 s/);
});
