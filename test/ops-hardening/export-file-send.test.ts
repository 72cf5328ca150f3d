import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUserbotExportActivities } from '../../src/activities/userbot-exports';
import type { PostToChatInput } from '../../src/activities/telegram';
import { LocalArtifactStore } from '../../src/store';

/**
 * `/export`'s last step sends the job's file into the chat. What it sends is decided by the worker from the job id,
 * never by a path in the run's input: a client of Temporal must not be able to have a session file posted to a chat.
 */

let dir: string;
let store: LocalArtifactStore;
let posted: PostToChatInput[];
let activities: ReturnType<typeof createUserbotExportActivities>;
const chatInfo = { id: 1, title: 'Cohort', type: 'private_group' as const };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tgpulse-export-send-'));
  store = new LocalArtifactStore(join(dir, 'data'));
  posted = [];
  activities = createUserbotExportActivities({ store, dir: join(dir, 'out', 'userbot-exports'), postToChat: async (input) => (posted.push(input), { messageIds: [1] }) });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the file sent is the job\'s own export, whatever path the input names', async () => {
  const session = join(dir, 'owner.session');
  await writeFile(session, 'SESSION-STRING');
  const { path } = await activities.exportFilePath({ jobId: 'conv-run-7', what: 'members' });
  await writeFile(path, 'id,name\n1,Ada\n');

  await activities.sendExportFile({ path: session, chatInfo, what: 'members', jobId: 'conv-run-7', chat: 'me', deliveryKey: 'files-7' });
  expect(posted).toHaveLength(1);
  const key = posted[0]!.files![0]!.key;
  expect(key).toMatch(/-members\.csv$/);
  expect((await store.get(key)).toString('utf8')).toBe('id,name\n1,Ada\n');
});

test('a job without its export file fails, and sends nothing: not a file named by the input', async () => {
  await writeFile(join(dir, 'owner.session'), 'SESSION-STRING');
  await expect(activities.sendExportFile({ path: join(dir, 'owner.session'), chatInfo, what: 'messages', jobId: 'conv-run-8', chat: 'me', deliveryKey: 'files-8' })).rejects.toThrow();
  expect(posted).toEqual([]);
  expect(await store.list('jobs/')).toEqual([]);
});
