import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { botUpdatesCursorKey, HandOnFailed, startWatchedListener, type WatchedListener, type WatchedListenerOptions, type WatchedSource } from '../../src/starters/userbot';
import { LocalArtifactStore } from '../../src/store';
import type { IncomingTelegramMessage, UpdatesCursor } from '../../src/telegram';

/**
 * The watched listener that both the userbot and bot mode use, on a scripted source (the piltover suites run it on
 * a real server): what is handed on, in which order, how often, and what a failure does.
 */

const KEY = botUpdatesCursorKey('bot-42');
const msg = (id: number, text = `/m${id}`): IncomingTelegramMessage => ({ id, chatUserId: '7', senderId: '7', out: false, text });

/** A source whose stream stands at `pts` and whose next differences are scripted. */
class ScriptedSource implements WatchedSource {
  pts = 10;
  live?: (m: IncomingTelegramMessage) => void;
  reconnected?: () => void;
  reconnects = 0;
  /** What each `messagesSince` answers, in turn; none left: nothing new. */
  readonly differences: (() => Promise<IncomingTelegramMessage[]>)[] = [];
  readonly asked: UpdatesCursor[] = [];
  onMessage(handler: (m: IncomingTelegramMessage) => void) {
    this.live = handler;
    return () => (this.live = undefined);
  }
  updatesCursor() {
    return Promise.resolve({ pts: this.pts, qts: 0, date: 1000 });
  }
  async messagesSince(cursor: UpdatesCursor) {
    this.asked.push(cursor);
    const next = this.differences.shift();
    const messages = next ? await next() : [];
    this.pts = Math.max(this.pts, cursor.pts + messages.length);
    return { messages, cursor: { pts: this.pts, qts: 0, date: 2000 } };
  }
  onReconnect(handler: () => void) {
    this.reconnected = handler;
    return () => (this.reconnected = undefined);
  }
  reconnect() {
    this.reconnects++;
    return Promise.resolve();
  }
}

let dir: string;
let store: LocalArtifactStore;
let source: ScriptedSource;
let handled: number[];
let errors: { err: string; message?: number }[];
let listener: WatchedListener | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-watched-'));
  store = new LocalArtifactStore(dir);
  source = new ScriptedSource();
  handled = [];
  errors = [];
});

afterEach(async () => {
  await listener?.stop();
  listener = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const start = async (handle?: (m: IncomingTelegramMessage) => Promise<unknown>, more: Pick<WatchedListenerOptions, 'catchUpTimeoutMs' | 'retryMs'> = {}) =>
  (listener = await startWatchedListener({
    source,
    store,
    cursorKey: KEY,
    watchdogMs: 3_600_000,
    ...more,
    handle: handle ?? ((m) => Promise.resolve(handled.push(m.id))),
    onError: (err, message) => errors.push({ err: err instanceof Error ? err.message : String(err), ...(message ? { message: message.id } : {}) }),
  }));
const stored = async () => JSON.parse((await store.tryGet(KEY))!.toString('utf8')) as UpdatesCursor;

test('live and caught-up messages are handed on once each, in order, and the cursor is stored', async () => {
  await start();
  expect(await stored()).toEqual({ pts: 10, qts: 0, date: 2000 });
  source.live!(msg(1));
  source.differences.push(() => Promise.resolve([msg(1), msg(2), msg(3)]));
  await listener!.catchUp();
  source.live!(msg(3));
  source.live!(msg(4));
  await listener!.stop();
  expect(handled).toEqual([1, 2, 3, 4]);
  expect(await stored()).toEqual({ pts: 13, qts: 0, date: 2000 });
  expect(errors).toEqual([]);
});

test('a restart catches up from the stored cursor: what was sent while it was down is handed on', async () => {
  await store.put(KEY, JSON.stringify({ pts: 7, qts: 0, date: 900 }));
  source.differences.push(() => Promise.resolve([msg(5), msg(6)]));
  await start();
  expect(source.asked[0]).toEqual({ pts: 7, qts: 0, date: 900 });
  expect(handled).toEqual([5, 6]);
});

test('a reconnect catches up at once', async () => {
  await start();
  source.differences.push(() => Promise.resolve([msg(8)]));
  source.reconnected!();
  await listener!.stop();
  expect(handled).toEqual([8]);
});

test('a message that cannot be handed on is reported with its id, none after it overtakes it, and the next catch-up hands them on in order', async () => {
  let down = true;
  // (The test drives the catch-ups: no retry comes by itself.)
  await start((m) => (m.id === 2 && down ? Promise.reject(new Error('Temporal is down')) : Promise.resolve(handled.push(m.id))), { retryMs: 3_600_000 });
  source.differences.push(() => Promise.resolve([msg(1), msg(2), msg(3)]));
  await expect(listener!.catchUp()).rejects.toEqual(new HandOnFailed(2));
  expect(handled).toEqual([1]);
  expect(errors).toEqual([{ err: 'Temporal is down', message: 2 }]);
  // The cursor did not move: the next catch-up asks from the same place, and hands on 2, then 3.
  const asked = source.asked.length;
  down = false;
  source.differences.push(() => Promise.resolve([msg(1), msg(2), msg(3)]));
  await listener!.catchUp();
  expect(source.asked[asked]).toEqual(source.asked[asked - 1]);
  expect(handled).toEqual([1, 2, 3]);
});

test('a live message after one that could not be handed on waits for the catch-up that hands that one on, and comes right after it', async () => {
  let down = true;
  await start((m) => (down ? Promise.reject(new Error('Temporal is down')) : Promise.resolve(handled.push(m.id))), { retryMs: 3_600_000 });
  source.live!(msg(1));
  while (errors.length === 0) await new Promise((r) => setImmediate(r));
  down = false;
  // Temporal is back before message 2 arrives: handed on now, it would be answered before message 1.
  source.live!(msg(2));
  source.differences.push(() => Promise.resolve([msg(1)]));
  source.differences.push(() => Promise.resolve([msg(2)]));
  await listener!.catchUp();
  expect(handled).toEqual([1]);
  // The catch-up that cleared the way is followed by another at once, which brings message 2.
  for (let i = 0; i < 100 && handled.length < 2; i++) await new Promise((r) => setImmediate(r));
  expect(handled).toEqual([1, 2]);
  expect(source.asked).toHaveLength(3);
  expect(errors).toEqual([{ err: 'Temporal is down', message: 1 }]);
});

test('a message that could not be handed on is tried again by itself soon, then less often, until it goes', async () => {
  let failures = 3;
  const attempts: number[] = [];
  await start((m) => {
    attempts.push(performance.now());
    return failures-- > 0 ? Promise.reject(new Error('Temporal is down')) : Promise.resolve(handled.push(m.id));
  }, { retryMs: 20 });
  // Each try asks Telegram again from the cursor, which is still behind the message.
  for (let i = 0; i < 3; i++) source.differences.push(() => Promise.resolve([msg(1)]));
  source.live!(msg(1));
  for (let i = 0; i < 1000 && handled.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(handled).toEqual([1]);
  expect(attempts).toHaveLength(4);
  // 20 ms, then 40, then 80: the gaps grow.
  const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
  expect(gaps[1]!).toBeGreaterThanOrEqual(40 - 5);
  expect(gaps[2]!).toBeGreaterThanOrEqual(80 - 5);
  expect(errors.filter((e) => e.message === 1)).toHaveLength(3);
});

test('a catch-up that gets no answer is given up at its deadline, and the next one is not held by it', async () => {
  await start(undefined, { catchUpTimeoutMs: 50 });
  source.differences.push(() => new Promise<never>(() => undefined));
  await expect(listener!.catchUp()).rejects.toThrow(/got no answer within 0.05 s: it is tried again at the next tick/);
  source.differences.push(() => Promise.resolve([msg(9)]));
  await listener!.catchUp();
  expect(handled).toEqual([9]);
});

test('a failed first catch-up is reported and does not stop the start; the next catch-up finds the messages', async () => {
  await store.put(KEY, JSON.stringify({ pts: 7, qts: 0, date: 900 }));
  source.differences.push(() => Promise.reject(new Error('connection lost')));
  await start();
  expect(errors).toEqual([{ err: 'connection lost' }]);
  source.differences.push(() => Promise.resolve([msg(5)]));
  await listener!.catchUp();
  expect(source.asked.map((c) => c.pts)).toEqual([7, 7]);
  expect(handled).toEqual([5]);
});

test('a stored cursor that is unreadable, or ahead of the stream, is reported and replaced by where the stream stands', async () => {
  await store.put(KEY, '{"pts": 3');
  await start();
  expect(errors.map((e) => e.err)).toEqual([expect.stringMatching(/^The stored updates cursor userbot\/bot-42\/bot-updates-cursor\.json is unusable \(not JSON\)/)]);
  expect(source.asked[0]).toEqual({ pts: 10, qts: 0, date: 1000 });
  await listener!.stop();

  errors.length = 0;
  await store.put(KEY, JSON.stringify({ pts: 10_000, qts: 0, date: 1 }));
  await start();
  expect(errors.map((e) => e.err)).toEqual([expect.stringMatching(/is ahead of the server's \(pts 10000 > 10\): catching up from now$/)]);
  expect(await stored()).toEqual({ pts: 10, qts: 0, date: 2000 });

  errors.length = 0;
  await listener!.stop();
  await store.put(KEY, JSON.stringify({ pts: -1, qts: 'x', date: 1 }));
  await start();
  expect(errors.map((e) => e.err)).toEqual([expect.stringMatching(/unusable \(not \{pts, qts, date\} as whole numbers\)/)]);
});

test('after stop nothing more is handed on', async () => {
  await start();
  await listener!.stop();
  expect(source.live).toBeUndefined();
  expect(source.reconnected).toBeUndefined();
  expect(handled).toEqual([]);
});
