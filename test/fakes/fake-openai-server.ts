import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countTokens } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import type { LlmSettings } from '../../src/llm';

/** One request the fake received, parsed. */
export interface FakeRequest {
  /** The JSON body as sent by the `openai` client. */
  body: Record<string, unknown> & { model: string; messages: { role: string; content: string }[] };
  headers: IncomingMessage['headers'];
  /** What the request asks for, read from its delimiters: a chunk summary, a merge, a JSON repair. */
  kind: 'map' | 'reduce' | 'repair' | 'other';
  system: string;
  user: string;
  /** Prompt tokens as the fake bills them. */
  promptTokens: number;
}

/** What the fake answers to one request when a rule matches. */
export type FakeResponse =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** A 200 whose message content is this text, as is. */
  | { content: string }
  /** A 200 with the default summary, changed by `mutate` first (to invent ids, say). */
  | { mutate: (summary: FakeSummary, req: FakeRequest) => FakeSummary };

export interface FakeRule {
  when?: (req: FakeRequest) => boolean;
  /** How many matching requests the rule answers; default 1. */
  times?: number;
  respond: FakeResponse | ((req: FakeRequest) => FakeResponse);
}

export interface FakeSummary {
  title: string;
  sections: { heading: string; points: { text: string; messageIds: number[] }[] }[];
}

export interface FakeOpenAiOptions {
  /** Delay before every answer, in ms. */
  latencyMs?: number;
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
  /** When set, other models get a 404. */
  models?: string[];
  /** When set, prompts (plus max_tokens) over this many tokens get OpenAI's `context_length_exceeded`. */
  contextTokens?: number;
  /** False: refuse `response_format: json_schema` with a 400, like servers without structured output. */
  jsonSchema?: boolean;
}

export interface FakeOpenAi {
  /** `http://127.0.0.1:<port>/v1`, for `OPENAI_BASE_URL`. */
  baseUrl: string;
  requests: FakeRequest[];
  /** Adds a rule, checked before the default behaviour, in the order added. */
  script(rule: FakeRule): void;
  options: FakeOpenAiOptions;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 speaking OpenAI's chat-completions protocol, for the real `openai` client. By
 * default it answers like a plausible model: chunk requests get points built from the delimited messages (the most
 * replied-to and reacted-to, with their ids), merge requests get the partial points merged, repair requests get
 * the broken reply's ids back as valid JSON. Rules override that per test; every request is recorded.
 */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const requests: FakeRequest[] = [];
  const rules: (FakeRule & { left: number })[] = [];
  let completions = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    if (req.method === 'GET' && req.url === '/v1/models') return json(res, 200, { object: 'list', data: (options.models ?? ['fake-model']).map((id) => ({ id, object: 'model', owned_by: 'fake' })) });
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return json(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return json(res, 401, { error: { message: 'Incorrect API key provided: sk-fa***ey. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    }
    const body = JSON.parse(raw) as FakeRequest['body'];
    const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
    const user = body.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
    const kind: FakeRequest['kind'] = user.includes('<chat_messages>') ? 'map' : user.includes('<partial_summaries>') ? 'reduce' : user.includes('<reply>') ? 'repair' : 'other';
    const promptTokens = body.messages.reduce((sum, m) => sum + countTokens(m.content) + 4, 3);
    const record: FakeRequest = { body, headers: req.headers, kind, system, user, promptTokens };
    requests.push(record);

    if (options.models && !options.models.includes(body.model)) {
      return json(res, 404, { error: { message: `The model \`${body.model}\` does not exist or you do not have access to it.`, type: 'invalid_request_error', param: null, code: 'model_not_found' } });
    }
    const rule = rules.find((r) => r.left > 0 && (!r.when || r.when(record)));
    let response: FakeResponse | undefined;
    if (rule) {
      rule.left--;
      response = typeof rule.respond === 'function' ? rule.respond(record) : rule.respond;
    }
    if (response && 'status' in response) return json(res, response.status, response.body ?? { error: { message: `scripted ${response.status}` } }, response.headers);

    if (options.jsonSchema === false && (body.response_format as { type?: string } | undefined)?.type === 'json_schema') {
      return json(res, 400, { error: { message: "Invalid value for 'response_format': json_schema is not supported by this server", type: 'invalid_request_error', param: 'response_format', code: null } });
    }
    const maxTokens = Number(body.max_tokens ?? body.max_completion_tokens ?? 0);
    if (options.contextTokens && promptTokens + maxTokens > options.contextTokens) {
      return json(res, 400, {
        error: {
          message: `This model's maximum context length is ${options.contextTokens} tokens. However, you requested ${promptTokens + maxTokens} tokens (${promptTokens} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`,
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        },
      });
    }
    let content: string;
    if (response && 'content' in response) content = response.content;
    else {
      const summary = defaultSummary(record);
      content = JSON.stringify(response && 'mutate' in response ? response.mutate(summary, record) : summary);
    }
    completions++;
    json(res, 200, {
      id: `chatcmpl-fake-${completions}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: promptTokens, completion_tokens: countTokens(content), total_tokens: promptTokens + countTokens(content) },
    });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => json(res, 500, { error: { message: `fake server failed: ${String(err)}`, type: 'server_error' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    options,
    script: (rule) => rules.push({ ...rule, left: rule.times ?? 1 }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The text between `<tag>` and `</tag>`, the way a parser that trusts the delimiters would read it. */
export function between(text: string, tag: string): string | undefined {
  const start = text.indexOf(`<${tag}>`);
  const end = text.indexOf(`</${tag}>`, start);
  return start < 0 || end < 0 ? undefined : text.slice(start + tag.length + 2, end).trim();
}

function defaultSummary(req: FakeRequest): FakeSummary {
  const request = between(req.user, 'request') ?? '';
  const title = `Summary: ${request.slice(0, 60)}`;
  if (req.kind === 'map') return summarizeTranscript(between(req.user, 'chat_messages') ?? '', title);
  if (req.kind === 'reduce') return mergePartials(between(req.user, 'partial_summaries') ?? '', title);
  const ids = [...req.user.matchAll(/\b(\d{1,12})\b/g)].map((m) => Number(m[1])).slice(0, 5);
  return { title: 'Repaired', sections: [{ heading: 'Points', points: ids.length ? [{ text: 'Recovered point', messageIds: ids }] : [] }] };
}

/** Per day, the messages with the most replies and reactions, each with the ids of its replies. */
function summarizeTranscript(data: string, title: string): FakeSummary {
  const sections: FakeSummary['sections'] = [];
  let current: { heading: string; lines: { id: number; text: string; score: number; replies: number[] }[] } | undefined;
  const byId = new Map<number, { score: number; replies: number[] }>();
  const days: NonNullable<typeof current>[] = [];
  for (const line of data.split('\n')) {
    const day = /^== (\d{4}-\d{2}-\d{2}) ==$/.exec(line);
    if (day) {
      current = { heading: `On ${day[1]}`, lines: [] };
      days.push(current);
      continue;
    }
    const m = /^#(\d+)(?: \(part \d+\/\d+\))? \d\d:\d\d (.*?)(?: ↩(\d+|earlier))?(?: \(fwd [^)]*\))?(?: \[[a-z_]+\])?(?: \[\+(\d+)\])?: (.*)$/.exec(line);
    if (!m || !current) continue;
    const id = Number(m[1]);
    const entry = { id, text: `${m[2]}: ${m[5]!.split(/\s+/).slice(0, 24).join(' ')}`, score: Number(m[4] ?? 0), replies: [] as number[] };
    current.lines.push(entry);
    byId.set(id, entry);
    const parent = m[3] && m[3] !== 'earlier' ? byId.get(Number(m[3])) : undefined;
    if (parent) {
      parent.score += 2;
      parent.replies.push(id);
    }
  }
  for (const d of days.slice(-4)) {
    const top = [...d.lines].sort((a, b) => b.score - a.score || a.id - b.id).slice(0, 4);
    if (top.length) sections.push({ heading: d.heading, points: top.map((l) => ({ text: l.text, messageIds: [l.id, ...l.replies.slice(0, 3)] })) });
  }
  return { title, sections };
}

/** Sections of the same heading together; at most 16 points, taken evenly from the parts. */
function mergePartials(data: string, title: string): FakeSummary {
  const sections = new Map<string, { text: string; messageIds: number[] }[]>();
  let heading = 'Points';
  for (const line of data.split('\n')) {
    const h = /^### (.*)$/.exec(line);
    if (h) heading = h[1]!;
    const p = /^- (.*) \[ids: ([\d, ]+)\]$/.exec(line);
    if (p) {
      let list = sections.get(heading);
      if (!list) sections.set(heading, (list = []));
      list.push({ text: p[1]!, messageIds: p[2]!.split(',').map((s) => Number(s.trim())) });
    }
  }
  const all = [...sections.entries()];
  const keep = Math.min(all.length, 8);
  const picked = Array.from({ length: keep }, (_, i) => all[Math.floor((i * all.length) / keep)]!);
  return { title, sections: picked.map(([h, points]) => ({ heading: h, points: points.slice(0, 2) })) };
}

/** LLM settings pointing at a fake server: a small 8k-context model with real prices, so usage and cost move. */
export function testLlmSettings(fake: Pick<FakeOpenAi, 'baseUrl'>, over: Partial<LlmSettings> = {}): LlmSettings {
  return {
    baseUrl: fake.baseUrl,
    apiKey: 'k',
    model: 'gpt-4o-mini',
    contextTokens: 8192,
    maxOutputTokens: 1024,
    priceInputPerMTok: 0.15,
    priceOutputPerMTok: 0.6,
    concurrency: 2,
    maxTokensPerJob: 5_000_000,
    requestTimeoutMs: 10_000,
    ...over,
  };
}
