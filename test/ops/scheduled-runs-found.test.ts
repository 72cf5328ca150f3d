import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Client, type ScheduleDescription, type ScheduleHandle } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import type { RecapInput } from '../../src/domain';
import { createMaintenanceSchedule, type MaintenanceKind } from '../../src/starters/cli/commands/retention';
import { listRuns } from '../../src/starters/jobs';
import { createRecapSchedule, deleteRecapSchedule, recapScheduleId, triggerRecapSchedule } from '../../src/starters/recap-schedules';
import { createLabelledSchedule, dataConverterFromConfig, RUN_SEARCH_ATTRIBUTES } from '../../src/temporal';
import { runCli } from '../support/cli';
import { testStack, uniqueName } from '../support/stack';
import { eventually, testClient } from './support/ops';

// Runs a Schedule starts carry the same search attributes as runs started by hand, so a cohort's weekly recaps and
// the daily maintenance runs are found by chat and kind. No worker polls the task queues here: a triggered run stays
// open, which is all finding it needs; each is terminated after.

jest.setTimeout(240_000);

const SAMPLE = resolve(__dirname, '../../samples/cohort-export/result.json');

let client: Client;
let encrypted: Client;
const schedules: ScheduleHandle[] = [];
const runs: string[] = [];

beforeAll(async () => {
  client = await testClient(testStack().temporalAddress);
  const dataConverter = dataConverterFromConfig({ TEMPORAL_CODEC_KEYS: `k1:${randomBytes(32).toString('base64')}` })!;
  encrypted = new Client({ connection: client.connection, namespace: 'default', dataConverter });
});
afterAll(async () => {
  for (const s of schedules) await s.delete().catch(() => undefined);
  for (const id of runs) await client.workflow.getHandle(id).terminate('test over').catch(() => undefined);
  await client?.connection.close();
});

const recapInput = (name: string, chat?: string): RecapInput => ({
  cohort: { name, source: { kind: 'export', path: SAMPLE, ...(chat ? { chat } : {}) }, zone: 'Europe/Berlin', botIds: [] },
  delivery: { kind: 'files' },
});

/** A schedule action's search attributes as the server describes them (the SDK types them as either form). */
function actionAttributes(d: ScheduleDescription): TypedSearchAttributes {
  const a = d.action.typedSearchAttributes;
  return a instanceof TypedSearchAttributes ? a : new TypedSearchAttributes(a ?? []);
}

/** Triggers a schedule and returns the id of the run it started (the server starts it a moment later). */
async function trigger(handle: ScheduleHandle): Promise<string> {
  const before = new Set((await handle.describe()).info.recentActions.map((a) => a.action.workflow.workflowId));
  await handle.trigger();
  const id = await eventually(`a run of ${handle.scheduleId}`, async () => (await handle.describe()).info.recentActions.map((a) => a.action.workflow.workflowId).find((w) => !before.has(w)));
  runs.push(id);
  return id;
}

/** The ids of the runs a list query finds, once Temporal's visibility store (a moment behind) lists `id`. */
async function listedBy(c: Client, query: string, id: string): Promise<string> {
  return eventually(`${id} listed by ${query}`, async () => {
    for await (const w of c.workflow.list({ query })) if (w.workflowId === id) return id;
    return undefined;
  });
}

test('a run a recap schedule starts is found by its chat and kind, as `tgpulse runs --kind recap --chat` lists it', async () => {
  const name = uniqueName('Cohort Nine');
  const { created } = await createRecapSchedule(client, { input: recapInput(name), cron: '0 9 * * MON', taskQueue: uniqueName('idle'), paused: true });
  expect(created).toBe(true);
  const handle = client.schedule.getHandle(recapScheduleId(name));
  schedules.push(handle);

  const id = await triggerRecapSchedule(client, name);
  expect(id).toMatch(new RegExp(`^${recapScheduleId(name)}-`));
  runs.push(id!);

  // The same listing `tgpulse runs` prints: by chat (an export's cohort is its chat and title) and by kind.
  const found = await eventually('the scheduled recap in `runs --chat`', async () => (await listRuns(client, 20, { kind: 'recap', chat: name })).find((r) => r.workflowId === id));
  expect(found).toMatchObject({ type: 'weeklyRecap', chat: name, status: 'RUNNING' });
  await listedBy(client, `${RUN_SEARCH_ATTRIBUTES.kind.name} = 'recap' AND ${RUN_SEARCH_ATTRIBUTES.cohort.name} = '${name}'`, id!);

  const cli = await runCli(['runs', '--kind', 'recap', '--chat', name], { TEMPORAL_ADDRESS: testStack().temporalAddress });
  expect(cli.code).toBe(0);
  expect(cli.stdout).toContain(id!);
  expect(cli.stdout).toMatch(new RegExp(`recap\\s+${name}\\s+${id}`));
  await deleteRecapSchedule(client, name);
});

test('a schedule made before runs were labelled gets the labels when the schedule command makes it again', async () => {
  const name = uniqueName('Old Cohort');
  const taskQueue = uniqueName('idle');
  const scheduleId = recapScheduleId(name);
  // As an older tgpulse made it: the same id and action, no search attributes.
  const old = await client.schedule.create({
    scheduleId,
    spec: { cronExpressions: ['0 9 * * MON'], timezone: 'Europe/Berlin' },
    action: { type: 'startWorkflow', workflowType: 'weeklyRecap', taskQueue, args: [recapInput(name)], workflowId: scheduleId },
    state: { paused: true },
  });
  schedules.push(old);
  expect(actionAttributes(await old.describe()).get(RUN_SEARCH_ATTRIBUTES.kind)).toBeUndefined();

  expect((await createRecapSchedule(client, { input: recapInput(name), cron: '0 9 * * MON', taskQueue })).created).toBe(false);
  const again = client.schedule.getHandle(scheduleId);
  const d = await again.describe();
  expect(d.state.paused).toBe(true);
  expect(actionAttributes(d).get(RUN_SEARCH_ATTRIBUTES.kind)).toBe('recap');
  expect(actionAttributes(d).get(RUN_SEARCH_ATTRIBUTES.chat)).toBe(name);
  const id = await trigger(again);
  await eventually('the re-made schedule\'s run in `runs --chat`', async () => (await listRuns(client, 20, { chat: name })).find((r) => r.workflowId === id));
});

test.each(['backup', 'retention'] as MaintenanceKind[])('a run the %s schedule starts is found by its kind', async (kind) => {
  const made = await createMaintenanceSchedule(client, { kind, taskQueue: uniqueName('idle'), paused: true, scheduleId: uniqueName(`tgpulse-${kind}`) });
  const handle = client.schedule.getHandle(made.scheduleId);
  schedules.push(handle);
  expect(actionAttributes(await handle.describe()).get(RUN_SEARCH_ATTRIBUTES.kind)).toBe(kind);
  const id = await trigger(handle);
  await listedBy(client, `${RUN_SEARCH_ATTRIBUTES.kind.name} = '${kind}'`, id);
  const d = await client.workflow.getHandle(id).describe();
  expect(d.type).toBe(kind);
  expect(d.typedSearchAttributes.get(RUN_SEARCH_ATTRIBUTES.kind)).toBe(kind);
  // And `tgpulse runs --kind <kind>` lists it.
  await eventually(`the run in \`runs --kind ${kind}\``, async () => (await listRuns(client, 50, { kind })).find((r) => r.workflowId === id));
});

test('with the payload codec on, a scheduled recap carries its kind and cohort but not its chat or title', async () => {
  const name = uniqueName('Secret Cohort');
  const chat = uniqueName('Private Group');
  await createRecapSchedule(encrypted, { input: recapInput(name, chat), cron: '0 9 * * MON', taskQueue: uniqueName('idle'), paused: true });
  const handle = encrypted.schedule.getHandle(recapScheduleId(name));
  schedules.push(handle);
  const action = actionAttributes(await handle.describe());
  expect(action.get(RUN_SEARCH_ATTRIBUTES.kind)).toBe('recap');
  expect(action.get(RUN_SEARCH_ATTRIBUTES.chat)).toBeUndefined();
  expect(action.get(RUN_SEARCH_ATTRIBUTES.chatTitle)).toBeUndefined();

  const id = await trigger(handle);
  await listedBy(encrypted, `${RUN_SEARCH_ATTRIBUTES.kind.name} = 'recap' AND ${RUN_SEARCH_ATTRIBUTES.cohort.name} = '${name}'`, id);
  const run = await encrypted.workflow.getHandle(id).describe();
  expect(run.typedSearchAttributes.get(RUN_SEARCH_ATTRIBUTES.cohort)).toBe(name);
  expect(run.typedSearchAttributes.get(RUN_SEARCH_ATTRIBUTES.chat)).toBeUndefined();
  expect(run.typedSearchAttributes.get(RUN_SEARCH_ATTRIBUTES.chatTitle)).toBeUndefined();
  // Nothing searchable names the chat: `runs --chat` finds no run of it.
  expect(await listRuns(encrypted, 20, { chat })).toEqual([]);
  expect(await listRuns(encrypted, 20, { chat: name })).toEqual([]);
});

test('on a namespace that does not know the search attributes, the schedule is made without them and a warning says how to register them', async () => {
  const namespace = uniqueName('bare');
  await client.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  const bare = new Client({ connection: client.connection, namespace });
  const name = uniqueName('Bare Cohort');
  const warnings: string[] = [];
  // A new namespace is known to every service of the server a moment after it is registered.
  const handle = await eventually('a schedule on the new namespace', async () =>
    createLabelledSchedule(
      bare,
      { scheduleId: recapScheduleId(name), spec: { cronExpressions: ['0 9 * * MON'] }, action: { type: 'startWorkflow', workflowType: 'weeklyRecap', taskQueue: uniqueName('idle'), args: [recapInput(name)] }, state: { paused: true } },
      { kind: 'recap', chat: name },
      (line) => warnings.push(line),
    ),
  );
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(new RegExp(`^warning: namespace ${namespace} does not know tgpulse's search attributes.*temporal operator search-attribute create --namespace ${namespace} --name TgpulseChat --type Keyword.*then create the schedule again$`));
  const d = await handle.describe();
  expect(d.action.workflowType).toBe('weeklyRecap');
  expect(actionAttributes(d).get(RUN_SEARCH_ATTRIBUTES.kind)).toBeUndefined();
  await handle.delete();
});
