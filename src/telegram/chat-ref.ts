import { BadInputError } from '../domain';

/**
 * What a user typed to name a chat, parsed but not yet looked up. Parsing is pure: whether the chat exists is
 * the adapter's question.
 */
export type ChatInput =
  | { kind: 'username'; username: string; messageId?: number }
  | { kind: 'invite'; hash: string }
  /** A numeric id. `peer` is known for the Bot API forms (`-100…` channel, `-…` basic group) and `t.me/c/` links. */
  | { kind: 'id'; id: number; peer?: 'channel' | 'group'; messageId?: number };

const EXAMPLES = 'Give a link like https://t.me/nodejs_ru, a username like @nodejs_ru, an invite link like https://t.me/+AbCdEf123456, or an id like -1001234567890';

/** Bot API ids of channels are -(10^12 + id). */
const CHANNEL_ID_SHIFT = 1_000_000_000_000;

const USERNAME = /^[A-Za-z][A-Za-z0-9_]{3,31}$/;
const INVITE_HASH = /^[A-Za-z0-9_-]{8,64}$/;
const HOSTS = new Set(['t.me', 'telegram.me', 'telegram.dog', 'www.t.me', 'www.telegram.me']);
/** `t.me/<word>` paths that are Telegram features, not chats. */
const RESERVED = new Set(['addstickers', 'addemoji', 'addlist', 'addtheme', 'bg', 'boost', 'confirmphone', 'contact', 'giftcode', 'invoice', 'iv', 'login', 'm', 'proxy', 'setlanguage', 'share', 'socks', 'msg', 'msg_url']);

function bad(what: string, cause?: unknown): BadInputError {
  return new BadInputError(what, EXAMPLES, cause === undefined ? undefined : { cause });
}

function positiveInt(text: string | undefined, what: string, input: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text) || Number(text) === 0 || !Number.isSafeInteger(Number(text))) throw bad(`"${input}" has ${what} "${text}", which is not a positive number`);
  return Number(text);
}

function checkUsername(name: string, input: string): string {
  if (!USERNAME.test(name) || name.endsWith('_') || name.includes('__')) {
    throw bad(`"${input}" is not a valid Telegram username: usernames have 4 to 32 letters, digits or single underscores and start with a letter`);
  }
  return name;
}

function checkInvite(hash: string, input: string): ChatInput {
  if (/^\d+$/.test(hash)) throw bad(`"${input}" is a phone number link, not a chat`);
  if (!INVITE_HASH.test(hash)) throw bad(`"${input}" is not a valid invite link: the part after "+" or "joinchat/" should be 8 or more letters, digits, "-" or "_"`);
  return { kind: 'invite', hash };
}

function parseNumeric(text: string, input: string): ChatInput {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value === 0) throw bad(`"${input}" is not a chat id Telegram uses`);
  if (value > 0) return { kind: 'id', id: value };
  const abs = -value;
  if (abs > CHANNEL_ID_SHIFT) return { kind: 'id', id: abs - CHANNEL_ID_SHIFT, peer: 'channel' };
  return { kind: 'id', id: abs, peer: 'group' };
}

function parseTgScheme(url: URL, input: string): ChatInput {
  const params = url.searchParams;
  if (url.hostname === 'resolve') {
    const domain = params.get('domain');
    if (!domain) throw bad(`"${input}" has no domain= parameter`);
    return { kind: 'username', username: checkUsername(domain, input), messageId: positiveInt(params.get('post') ?? undefined, 'message id', input) };
  }
  if (url.hostname === 'join') {
    const invite = params.get('invite');
    if (!invite) throw bad(`"${input}" has no invite= parameter`);
    return checkInvite(invite, input);
  }
  if (url.hostname === 'privatepost') {
    const channel = positiveInt(params.get('channel') ?? undefined, 'channel id', input);
    if (channel === undefined) throw bad(`"${input}" has no channel= parameter`);
    return { kind: 'id', id: channel, peer: 'channel', messageId: positiveInt(params.get('post') ?? undefined, 'message id', input) };
  }
  throw bad(`"${input}" is a tg:// link that does not name a chat`);
}

function parseLink(input: string): ChatInput {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(input) ? input : `https://${input}`);
  } catch (err) {
    throw bad(`"${input}" is not a link`, err);
  }
  if (url.protocol === 'tg:') return parseTgScheme(url, input);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw bad(`"${input}" is not a Telegram link`);
  if (!HOSTS.has(url.hostname.toLowerCase())) throw bad(`"${input}" is not a Telegram link: the host should be t.me`);
  const parts = url.pathname.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  const [first, second, third, fourth] = parts;
  if (first === undefined) throw bad(`"${input}" names no chat`);
  if (first.startsWith('+')) return checkInvite(first.slice(1), input);
  if (first === 'joinchat') {
    if (!second) throw bad(`"${input}" is an invite link without its code`);
    return checkInvite(second, input);
  }
  if (first === 'c') {
    const id = positiveInt(second, 'chat id', input);
    if (id === undefined) throw bad(`"${input}" is a private-chat link without the chat id (t.me/c/<id>/<message>)`);
    // t.me/c/<id>/<message> or, in forums, t.me/c/<id>/<topic>/<message>
    const messageId = positiveInt(fourth ?? third, 'message id', input);
    return { kind: 'id', id, peer: 'channel', messageId };
  }
  if (first === 's') {
    if (!second) throw bad(`"${input}" is a preview link without the channel name`);
    return { kind: 'username', username: checkUsername(second, input), messageId: positiveInt(third, 'message id', input) };
  }
  if (RESERVED.has(first.toLowerCase())) throw bad(`"${input}" is a Telegram ${first} link, not a chat`);
  const username = checkUsername(first, input);
  // t.me/<name>/<message> or t.me/<name>/<topic>/<message>
  return { kind: 'username', username, messageId: positiveInt(third ?? second, 'message id', input) };
}

/**
 * Parses a chat as a user may type it: `@username`, `username`, `t.me/…` links (public, `t.me/c/<id>/<msg>`,
 * message and topic links, `t.me/s/…` previews), invite links (`t.me/+hash`, `t.me/joinchat/hash`, `tg://join`),
 * numeric ids and the Bot API forms (`-100…` for channels and supergroups, `-…` for basic groups).
 *
 * @throws BadInputError saying what is wrong with the input and showing a valid example.
 */
export function parseChatInput(raw: string): ChatInput {
  const input = raw.trim();
  if (input === '') throw bad('No chat given');
  if (/\s/.test(input)) throw bad(`"${input}" contains spaces: a chat is one link, username or id`);
  if (/^-?\d+$/.test(input)) return parseNumeric(input, input);
  if (input.startsWith('@')) return { kind: 'username', username: checkUsername(input.slice(1), input) };
  if (input.includes('/') || input.includes(':') || input.includes('.')) return parseLink(input);
  return { kind: 'username', username: checkUsername(input, input) };
}
