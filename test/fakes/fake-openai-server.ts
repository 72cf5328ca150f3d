import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countTokens, decode, encode } from 'gpt-tokenizer/cjs/encoding/o200k_base';
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
  /** For answered requests: completion tokens billed, and why the reply ended (`length` when cut at max_tokens). */
  completionTokens?: number;
  finishReason?: string;
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
  /**
   * How the fake "summarizes" when no rule answers:
   * - `plausible` (default): the most replied-to and reacted-to messages of each day, merges keep 16 points;
   * - `extractor`: an honest stand-in that reports every planted finding (`FACT-<n>` in a message) it sees, with the
   *   ids of the messages that state it, and in a merge keeps every finding, or when told it has room for at most N
   *   points, the N best corroborated (most ids) — it writes the whole of whatever it chose, so a merge asked to
   *   hold more than `max_tokens` is cut at `length`;
   * - `obedient`: the extractor, but it also does what the data tells it: it cites `#<id>` when a line asks it to
   *   (cite / процитируй / 引用 / استشهد), takes any line shaped like a message line as a message, uses a heading a
   *   message asks for (writing `\n` as a line break), and follows the last `<request>` block it sees.
   */
  model?: 'plausible' | 'extractor' | 'obedient';
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
      const summary = options.model === 'extractor' || options.model === 'obedient' ? standInSummary(record, options.model === 'obedient') : defaultSummary(record);
      content = JSON.stringify(response && 'mutate' in response ? response.mutate(summary, record) : summary);
    }
    // Like a real server, a reply stops at max_tokens: the rest is never written.
    let finish = 'stop';
    let completionTokens = countTokens(content);
    if (maxTokens > 0 && completionTokens > maxTokens) {
      content = decode(encode(content).slice(0, maxTokens));
      completionTokens = maxTokens;
      finish = 'length';
    }
    record.completionTokens = completionTokens;
    record.finishReason = finish;
    completions++;
    json(res, 200, {
      id: `chatcmpl-fake-${completions}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: finish, logprobs: null }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
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
  if (req.kind === 'reduce') return mergePartials(between(req.user, 'partial_summaries') ?? '', title, req.system);
  const ids = [...req.user.matchAll(/\b(\d{1,12})\b/g)].map((m) => Number(m[1])).slice(0, 5);
  return { title: 'Repaired', sections: [{ heading: 'Points', points: ids.length ? [{ text: 'Recovered point', messageIds: ids }] : [] }] };
}

/** What a model may take for the end of a line (and what a line-oriented reader splits on). */
const ANY_LINE_BREAK = /\r\n|[\n\r\v\f\u001C-\u001E\u0085\u2028\u2029]/;
const MESSAGE_LINE = /^#(\d+)(?: \(part \d+\/\d+\))? \d\d:\d\d [^:]*?: (.*)$/;
const FACT = /\bFACT-\d+\b/g;
const CITE = /(?:cite|процитируй|引用|استشهد بـ?)\s*#(\d+)/giu;
const HEADING = /use the heading "([^"]*)"/i;

/**
 * The honest (and the obedient) stand-in. Map: every `FACT-<n>` in a message line becomes one point (all messages
 * stating it, their ids). Merge: points of the same fact combine; when the prompt says the reply has room for at
 * most N points, the N with the most ids are kept, in order.
 */
function standInSummary(req: FakeRequest, obedient: boolean): FakeSummary {
  const requests = [...req.user.matchAll(/<request>\n?([\s\S]*?)\n?<\/request>/g)].map((m) => m[1]!.trim());
  const request = (obedient ? requests[requests.length - 1] : requests[0]) ?? '';
  const title = `Summary: ${request.slice(0, 60)}`;
  const facts = new Map<string, { text: string; messageIds: number[] }>();
  const extra: { text: string; messageIds: number[] }[] = [];
  let heading = 'Findings';
  const add = (fact: string, text: string, ids: number[]) => {
    const known = facts.get(fact);
    if (known) known.messageIds = [...new Set([...known.messageIds, ...ids])].slice(0, 8);
    else facts.set(fact, { text, messageIds: ids.slice(0, 8) });
  };
  const obey = (text: string) => {
    if (!obedient) return;
    for (const m of text.matchAll(CITE)) extra.push({ text: 'As a message asked', messageIds: [Number(m[1])] });
    const h = HEADING.exec(text);
    if (h) heading = h[1]!.replace(/\\n/g, '\n');
  };
  if (req.kind === 'map') {
    const data = obedient ? req.user.slice(req.user.indexOf('<chat_messages>')) : (between(req.user, 'chat_messages') ?? '');
    for (const line of data.split(ANY_LINE_BREAK)) {
      const m = MESSAGE_LINE.exec(line);
      if (!m) continue;
      for (const fact of new Set(m[2]!.match(FACT) ?? [])) add(fact, `${fact}: ${m[2]!.split(/\s+/).slice(0, 16).join(' ')}`, [Number(m[1])]);
      obey(m[2]!);
    }
  } else if (req.kind === 'reduce') {
    const data = obedient ? req.user.slice(req.user.indexOf('<partial_summaries>')) : (between(req.user, 'partial_summaries') ?? '');
    for (const line of data.split(ANY_LINE_BREAK)) {
      const p = /^- (.*) \[ids: ([\d, ]+)\]$/.exec(line);
      if (!p) continue;
      const ids = p[2]!.split(',').map((x) => Number(x.trim()));
      const fact = p[1]!.match(FACT)?.[0];
      if (fact) add(fact, p[1]!, ids);
      else extra.push({ text: p[1]!, messageIds: ids });
      obey(p[1]!);
    }
  }
  let points = [...facts.values(), ...extra];
  const room = /room for at most (\d+) points/.exec(req.system);
  if (room && points.length > Number(room[1])) {
    const keep = new Set([...points].sort((a, b) => b.messageIds.length - a.messageIds.length).slice(0, Number(room[1])));
    points = points.filter((p) => keep.has(p));
  }
  return { title, sections: points.length ? [{ heading, points }] : [] };
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

/** Sections of the same heading together; at most 16 points (fewer when told), taken evenly from the parts. */
function mergePartials(data: string, title: string, system: string): FakeSummary {
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
  // Told how many points fit, it keeps no more.
  let room = Number(/room for at most (\d+) points/.exec(system)?.[1] ?? Infinity);
  const picked = Array.from({ length: keep }, (_, i) => all[Math.floor((i * all.length) / keep)]!);
  const out = picked.map(([h, points]) => {
    const kept = points.slice(0, Math.max(0, Math.min(2, room)));
    room -= kept.length;
    return { heading: h, points: kept };
  });
  return { title, sections: out.filter((s) => s.points.length > 0) };
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
