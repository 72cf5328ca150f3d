import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadInputError } from '../../src/domain';
import { LocalArtifactStore, readHistory, writeHistoryPage } from '../../src/store';
import { msg } from '../support/messages';

let dir: string;
let store: LocalArtifactStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-store-'));
  store = new LocalArtifactStore(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('writing a key again replaces it whole and leaves no temporary files', async () => {
  await store.put('jobs/a/summary.json', 'first version, longer');
  const ref = await store.put('jobs/a/summary.json', 'second');
  expect(ref).toEqual({ key: 'jobs/a/summary.json', bytes: 6 });
  expect((await store.get('jobs/a/summary.json')).toString()).toBe('second');
  expect(readdirSync(join(dir, 'jobs/a'))).toEqual(['summary.json']);
});

test('list is sorted and scoped to the prefix; remove takes a whole prefix', async () => {
  await store.put('jobs/a/p/2', 'x');
  await store.put('jobs/a/p/1', 'x');
  await store.put('jobs/b/p/1', 'x');
  expect(await store.list('jobs/a')).toEqual(['jobs/a/p/1', 'jobs/a/p/2']);
  await store.remove('jobs/a');
  expect(await store.list('jobs/a')).toEqual([]);
  expect(await store.exists('jobs/b/p/1')).toBe(true);
  expect(await store.tryGet('jobs/a/p/1')).toBeNull();
});

test.each(['../etc/passwd', '/abs', 'a//b', 'a/../b', 'spaces are bad', ''])('key %j is refused', (key) => {
  expect(() => store.pathOf(key)).toThrow(BadInputError);
});

test('a retried history page replaces its earlier copy: no message twice', async () => {
  const page = [msg(1, 'user1', 'a'), msg(2, 'user2', 'b')];
  await writeHistoryPage(store, 'h', 0, page);
  await writeHistoryPage(store, 'h', 0, page);
  await writeHistoryPage(store, 'h', 1, [msg(3, 'user1', 'c')]);
  const ids: number[] = [];
  for await (const m of readHistory(store, { prefix: 'h', pages: 2, messages: 3 })) ids.push(m.id);
  expect(ids).toEqual([1, 2, 3]);
});
