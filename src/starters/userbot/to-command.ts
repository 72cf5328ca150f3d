import { BadInputError, MAX_PROMPT_CHARS, WeekId, type ConversationCommand } from '../../domain';
import { parseChatInput } from '../../telegram';

/** What the listener knows of a message: its text, and the chat it was forwarded from, if any. */
export interface MessageForCommand {
  text: string;
  /** The forwarded message's chat as the port resolves it (`-100…` for a channel), when the message is a forward. */
  forwardedFrom?: string;
}

const CHAT_LIKE = /^(?:https?:\/\/|tg:\/\/|t\.me\/|telegram\.(?:me|dog)\/|@|-?\d+$)/i;

/** The one line a bad chat gets: what was wrong and an example. */
function checkChat(chat: string): string | undefined {
  try {
    parseChatInput(chat);
    return undefined;
  } catch (err) {
    if (err instanceof BadInputError) return err.message;
    throw err;
  }
}

function checkPrompt(prompt: string | undefined, what = 'prompt'): string | undefined {
  if (prompt !== undefined && prompt.length > MAX_PROMPT_CHARS) return `Your ${what} has ${prompt.length} characters; the limit is ${MAX_PROMPT_CHARS}: shorten it and send it again.`;
  return undefined;
}

/** `<chat> <rest>` of a command: the chat checked for its form, the rest trimmed; or the one line saying what is wrong. */
function chatAndRest(args: string, usage: string): { chat: string; rest: string } | { reply: string } {
  const [first] = args === '' ? [] : args.split(/\s+/);
  if (!first) return { reply: `Say which chat: ${usage}.` };
  const bad = checkChat(first);
  if (bad) return { reply: bad };
  return { chat: first, rest: args.slice(args.indexOf(first) + first.length).trim() };
}

const SCHEDULE_ACTIONS = new Set(['pause', 'resume']);

/** The commands beyond the first few: one function each, so `toCommand` stays a table. */
function jobCommand(name: string, args: string): ConversationCommand | undefined {
  switch (name) {
    case 'ask': {
      const usage = '/ask <link or @username> <your question>';
      const parsed = chatAndRest(args, usage);
      if ('reply' in parsed) return { kind: 'invalid', reply: parsed.reply };
      if (parsed.rest === '') return { kind: 'invalid', reply: `Say what you want to know: ${usage}.` };
      const tooLong = checkPrompt(parsed.rest, 'question');
      return tooLong ? { kind: 'invalid', reply: tooLong } : { kind: 'ask', chat: parsed.chat, question: parsed.rest };
    }
    case 'recap': {
      const usage = '/recap <link or @username> [a week like 2026-W47, or last]';
      const parsed = chatAndRest(args, usage);
      if ('reply' in parsed) return { kind: 'invalid', reply: parsed.reply };
      const week = parsed.rest.toUpperCase();
      if (week === '' || week === 'LAST') return { kind: 'recap', chat: parsed.chat };
      if (!WeekId.safeParse(week).success) return { kind: 'invalid', reply: `"${parsed.rest.slice(0, 40)}" is not a week: write it like 2026-W47 (ISO year and week), or last.` };
      return { kind: 'recap', chat: parsed.chat, week };
    }
    case 'export': {
      const [what = '', ...rest] = args.split(/\s+/);
      const usage = '/export members <chat> for a CSV of its members, or /export messages <chat> for its messages as JSONL';
      if (what !== 'members' && what !== 'messages') return { kind: 'invalid', reply: `Say what to export: ${usage}.` };
      const parsed = chatAndRest(rest.join(' '), `/export ${what} <link or @username>`);
      if ('reply' in parsed) return { kind: 'invalid', reply: parsed.reply };
      return { kind: 'export', what, chat: parsed.chat };
    }
    case 'schedules': {
      const [action = '', schedule = ''] = args.split(/\s+/);
      if (action === '') return { kind: 'schedules' };
      if (!SCHEDULE_ACTIONS.has(action.toLowerCase())) return { kind: 'invalid', reply: '/schedules lists your recap schedules; /schedules pause <id> or /schedules resume <id> stops or restarts one.' };
      if (schedule === '') return { kind: 'invalid', reply: `Say which schedule: /schedules ${action.toLowerCase()} <id> (/schedules lists them).` };
      return { kind: 'schedules', action: action.toLowerCase() as 'pause' | 'resume', schedule };
    }
    case 'limits':
      return { kind: 'limits' };
    default:
      return undefined;
  }
}

/**
 * Turns a message into a typed command. No state and no Telegram calls: a chat is checked for its form only;
 * whether it exists is the job's business.
 *
 * @example
 * toCommand({ text: '/summarize @nodejs_ru decisions' }) // { kind: 'summarize', chat: '@nodejs_ru', prompt: 'decisions' }
 */
export function toCommand(message: MessageForCommand): ConversationCommand {
  const text = message.text.trim();
  if (message.forwardedFrom && !text.startsWith('/')) return { kind: 'summarize', chat: message.forwardedFrom };
  if (!text.startsWith('/')) {
    const [first = '', ...rest] = text.split(/\s+/);
    if (rest.length === 0 && CHAT_LIKE.test(first)) {
      const bad = checkChat(first);
      return bad ? { kind: 'invalid', reply: bad } : { kind: 'summarize', chat: first };
    }
    return { kind: 'text', text };
  }
  const match = /^\/([A-Za-z_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text);
  const name = match?.[1]?.toLowerCase() ?? '';
  const args = (match?.[2] ?? '').trim();
  const [first] = args === '' ? [] : args.split(/\s+/);
  switch (name) {
    case 'help':
    case 'start':
      return { kind: 'help' };
    case 'go':
      return { kind: 'go' };
    case 'status':
      return { kind: 'status' };
    case 'runs':
      return { kind: 'runs' };
    case 'cancel':
      return first ? { kind: 'cancel', run: first } : { kind: 'cancel' };
    case 'rerun':
      return first ? { kind: 'rerun', run: first } : { kind: 'rerun' };
    case 'summarize': {
      if (!first) return { kind: 'invalid', reply: 'Say which chat: /summarize <link or @username> [what to look for].' };
      const bad = checkChat(first);
      if (bad) return { kind: 'invalid', reply: bad };
      const prompt = args.slice(args.indexOf(first) + first.length).trim();
      const tooLong = checkPrompt(prompt);
      if (tooLong) return { kind: 'invalid', reply: tooLong };
      return prompt ? { kind: 'summarize', chat: first, prompt } : { kind: 'summarize', chat: first };
    }
    default:
      return jobCommand(name, args) ?? { kind: 'invalid', reply: `I don't know /${name || text.slice(1, 20)}. Send /help for the list of commands.` };
  }
}
