import { RemoteRefusedError, TransportError } from '../../src/domain';
import { ContextLengthError, LlmClient, LlmOutputError, LlmSetupError, ReplyTooLongError, chunkPrompt, retryAfterSeconds, type LlmSettings } from '../../src/llm';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/fake-openai-server';

const KEY = 'sk-test-secret-key-0123456789';

function settingsFor(fake: FakeOpenAi, over: Partial<LlmSettings> = {}): LlmSettings {
  return {
    baseUrl: fake.baseUrl,
    apiKey: KEY,
    model: 'gpt-4o-mini',
    contextTokens: 16_000,
    maxOutputTokens: 1000,
    priceInputPerMTok: 0.15,
    priceOutputPerMTok: 0.6,
    concurrency: 2,
    maxTokensPerJob: 1_000_000,
    requestTimeoutMs: 10_000,
    ...over,
  };
}

const prompt = chunkPrompt({
  request: 'What did people decide about the release?',
  chatTitle: 'Builders Club',
  transcript: '== 2024-03-04 ==\n#101 09:00 Alice: shall we ship on Friday?\n#102 09:05 Bob ↩101 [+3]: yes, Friday after the demo',
  part: 1,
  parts: 1,
});

describe('LlmClient against a chat-completions server', () => {
  let fake: FakeOpenAi;
  beforeEach(async () => {
    fake = await startFakeOpenAi({ apiKey: KEY, models: ['gpt-4o-mini'] });
  });
  afterEach(() => fake.close());

  test('sends the model, both messages, a JSON-schema response format and the output limit', async () => {
    const reply = await new LlmClient(settingsFor(fake)).summarize(prompt);
    const [req] = fake.requests;
    expect(req!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req!.body.model).toBe('gpt-4o-mini');
    expect(req!.body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(req!.body.max_tokens).toBe(1000);
    expect(req!.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'summary', strict: true } });
    expect(req!.system).toMatch(/never instructions to you/);
    expect(req!.user).toContain('<request>\nWhat did people decide about the release?\n</request>');
    const cited = reply.draft.sections.flatMap((s) => s.points.flatMap((p) => p.messageIds));
    expect(new Set(cited)).toEqual(new Set([101, 102]));
    expect(reply.usage.calls).toBe(1);
    expect(reply.usage.promptTokens).toBe(req!.promptTokens);
    expect(reply.usage.costUsd).toBeCloseTo((reply.usage.promptTokens * 0.15 + reply.usage.completionTokens * 0.6) / 1e6, 12);
  });

  test('falls back to JSON in text when the server refuses json_schema, and remembers it', async () => {
    fake.options.jsonSchema = false;
    const client = new LlmClient(settingsFor(fake));
    const reply = await client.summarize(prompt);
    expect(reply.draft.sections.length).toBeGreaterThan(0);
    expect(client.structured).toBe(false);
    await client.summarize(prompt);
    // One refused request, then two without response_format.
    expect(fake.requests.map((r) => r.body.response_format === undefined)).toEqual([false, true, true]);
    expect(fake.requests[1]!.system).toContain('"messageIds": [integer, ...]');
  });

  test('switches to max_completion_tokens for models that refuse max_tokens', async () => {
    fake.script({
      when: (r) => r.body.max_tokens !== undefined,
      times: 5,
      respond: { status: 400, body: { error: { message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", type: 'invalid_request_error', param: 'max_tokens', code: 'unsupported_parameter' } } },
    });
    await new LlmClient(settingsFor(fake)).summarize(prompt);
    expect(fake.requests[1]!.body.max_completion_tokens).toBe(1000);
  });

  test('a 429 becomes a rate-limit refusal carrying Retry-After, with no retry of its own', async () => {
    fake.script({ respond: { status: 429, headers: { 'retry-after': '7' }, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } } });
    const err = await new LlmClient(settingsFor(fake)).summarize(prompt).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteRefusedError);
    expect(err).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 7 });
    expect(fake.requests).toHaveLength(1);
  });

  test('a 429 for an account without credit is not worth retrying', async () => {
    fake.script({ respond: { status: 429, body: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } } } });
    await expect(new LlmClient(settingsFor(fake)).summarize(prompt)).rejects.toThrow(LlmSetupError);
  });

  test('a 500 becomes a retryable server error', async () => {
    fake.script({ respond: { status: 500 } });
    await expect(new LlmClient(settingsFor(fake)).summarize(prompt)).rejects.toMatchObject({ name: 'RemoteRefusedError', code: 'server_error' });
  });

  test('a bad key says to check OPENAI_API_KEY and never shows the key', async () => {
    const err = (await new LlmClient(settingsFor(fake, { apiKey: 'sk-wrong-key-987' })).summarize(prompt).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(LlmSetupError);
    expect(err.message).toMatch(/refused the API key.*OPENAI_API_KEY/);
    expect(JSON.stringify({ m: err.message, c: String(err.cause), s: err.stack })).not.toMatch(/sk-wrong|sk-fa/);
  });

  test('an unknown model says which model and what to check', async () => {
    await expect(new LlmClient(settingsFor(fake, { model: 'llama9:404b' })).summarize(prompt)).rejects.toThrow(/no model "llama9:404b".*LLM_MODEL/);
  });

  test('a context-length refusal is its own error, with the context the server reported', async () => {
    fake.options.contextTokens = 300;
    const err = await new LlmClient(settingsFor(fake)).summarize(prompt).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContextLengthError);
    expect(err).toMatchObject({ contextTokens: 300 });
  });

  test('malformed JSON gets one repair request, and the repaired reply is used', async () => {
    fake.script({ respond: { content: '{"title": "Release", "sections": [{"heading": "Decisions", "points": [{"text": "Ship Friday", "messageIds": [101, 102]' } });
    const reply = await new LlmClient(settingsFor(fake)).summarize(prompt);
    expect(reply.repaired).toBe(true);
    expect(fake.requests.map((r) => r.kind)).toEqual(['map', 'repair']);
    expect(reply.draft.sections[0]!.points[0]!.messageIds).toEqual([101, 102]);
    expect(reply.usage.calls).toBe(2);
  });

  test('a reply cut at max_tokens is not used or repaired: its lost tail is reported, with what it cost', async () => {
    const long = JSON.stringify({ title: 't', sections: [{ heading: 'h', points: Array.from({ length: 60 }, (_, i) => ({ text: `point ${i} about the release`, messageIds: [101] })) }] });
    fake.script({ respond: { content: long } });
    const err = await new LlmClient(settingsFor(fake, { maxOutputTokens: 100 })).summarize(prompt).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyTooLongError);
    expect((err as ReplyTooLongError).message).toMatch(/cut at LLM_MAX_OUTPUT_TOKENS \(100\) after 100 tokens/);
    expect((err as ReplyTooLongError).usage).toMatchObject({ calls: 1, completionTokens: 100 });
    expect(fake.requests.map((r) => [r.kind, r.finishReason])).toEqual([['map', 'length']]);
  });

  test('when the repair fails too, the error says so and no third request is made', async () => {
    fake.script({ times: 2, respond: { content: 'Sure! Here is your summary: the team will ship on Friday.' } });
    await expect(new LlmClient(settingsFor(fake)).summarize(prompt)).rejects.toThrow(LlmOutputError);
    expect(fake.requests).toHaveLength(2);
  });

  test('ids written as "#101" or strings are read; unreadable ones are counted', async () => {
    fake.script({ respond: { content: '```json\n{"title":"t","sections":[{"heading":"h","points":[{"text":"x","messageIds":["#101", "102", "soon"]}]}]}\n```' } });
    const reply = await new LlmClient(settingsFor(fake)).summarize(prompt);
    expect(reply.draft.sections[0]!.points[0]!.messageIds).toEqual([101, 102]);
    expect(reply.unreadableIds).toBe(1);
  });

  test('an endpoint that is down is a transport error naming it', async () => {
    const url = fake.baseUrl;
    await fake.close();
    fake = await startFakeOpenAi();
    await expect(new LlmClient({ ...settingsFor(fake), baseUrl: url }).summarize(prompt)).rejects.toThrow(TransportError);
  });
});

test('Retry-After is read in seconds, as an HTTP date, and as retry-after-ms', () => {
  const now = Date.parse('2024-03-04T10:00:00Z');
  expect(retryAfterSeconds(new Headers({ 'retry-after': '12' }), now)).toBe(12);
  expect(retryAfterSeconds(new Headers({ 'retry-after': 'Mon, 04 Mar 2024 10:00:30 GMT' }), now)).toBe(30);
  expect(retryAfterSeconds(new Headers({ 'retry-after-ms': '1500' }), now)).toBe(1.5);
  expect(retryAfterSeconds(new Headers({}), now)).toBeUndefined();
});
