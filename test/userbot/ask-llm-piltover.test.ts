import type { Api } from 'telegram';
import { startFakeOpenAi, testLlmSettings, type FakeOpenAi } from '../fakes/fake-openai-server';
import { piltoverGroup, piltoverUser, type PiltoverUser } from '../support/piltover-users';
import { chatMessages, startUserbotStack, waitFor, type UserbotStack } from './support/userbot-stack';

/** `/ask` with an LLM endpoint (a fake OpenAI server): the question is the prompt, the answer links its messages. */

jest.setTimeout(180_000);

let owner: PiltoverUser;
let friend: PiltoverUser;
let group: string;
const ids: number[] = [];
let fake: FakeOpenAi;
let stack: UserbotStack;

beforeAll(async () => {
  [owner, friend] = await Promise.all([piltoverUser('Lena'), piltoverUser('Omar')]);
  group = (await piltoverGroup(owner, 'LLM ask cohort', [friend])).username;
  const lines = ['Who can review the deploy script?', 'I can, after lunch', 'Blocked: the staging database is down', 'Fixed staging, it was the disk'];
  for (const [i, line] of lines.entries()) ids.push((await (i % 2 === 0 ? owner : friend).client.sendMessage(`@${group}`, { message: line })).id);
  fake = await startFakeOpenAi();
  stack = await startUserbotStack({ owner, account: 'askllm', allow: '', llm: testLlmSettings(fake) });
});

afterAll(async () => {
  await stack?.stop();
  await fake?.close();
  await Promise.all([owner, friend].map((u) => u?.close()));
});

async function savedAfter(afterId: number): Promise<Api.Message[]> {
  return (await chatMessages(owner, 'me', 60)).filter((m) => m.id > afterId);
}

describe('/ask with an LLM endpoint', () => {
  test('the question goes to the model as the prompt; the answer it posts links real messages of the group', async () => {
    const question = 'What is blocking the staging deploy?';
    const sent = await owner.client.sendMessage('me', { message: `/ask @${group} ${question}` });
    const status = await waitFor('the final status', async () => (await savedAfter(sent.id)).find((m) => m.message.startsWith('Run 1 done')), 90_000);
    expect(status.message).toBe('Run 1 done: 5 messages read from "LLM ask cohort"; the answer is below.');
    // The model was asked the user's question, over the group's messages.
    const map = fake.requests.find((r) => r.kind === 'map');
    expect(map?.user).toContain(question);
    expect(map?.user).toContain('Fixed staging, it was the disk');
    const answer = (await savedAfter(sent.id)).filter((m) => m.id !== status.id).map((m) => m.message).join('\n');
    const linked = [...answer.matchAll(new RegExp(`https://t\\.me/${group}/(\\d+)`, 'g'))].map((m) => Number(m[1]));
    expect(linked.length).toBeGreaterThan(0);
    // Every link is a message the group really has (its creation notice included), as the owner's client sees it.
    const real = [...(await owner.client.getMessages(`@${group}`, { limit: 50 }))].map((m) => m.id);
    for (const id of linked) expect(real).toContain(id);
    expect(answer).not.toContain('No-model answer');
  });

  test('an endpoint that fails says so in one line; nothing is posted as an answer', async () => {
    fake.script({ times: 50, respond: { status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } } } });
    const sent = await owner.client.sendMessage('me', { message: `/ask @${group} who fixed it?` });
    const failed = await waitFor('the failure line', async () => (await savedAfter(sent.id)).find((m) => / failed: /.test(m.message)), 90_000);
    expect(failed.message).toMatch(new RegExp(`^Run 2 \\(@${group}\\) failed: .+`));
    expect(failed.message).not.toContain('\n');
  });
});
