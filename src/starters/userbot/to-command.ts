import { BadInputError, MAX_PROMPT_CHARS, type ConversationCommand } from '../../domain';
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

function checkPrompt(prompt: string | undefined): string | undefined {
  if (prompt !== undefined && prompt.length > MAX_PROMPT_CHARS) return `Your prompt has ${prompt.length} characters; the limit is ${MAX_PROMPT_CHARS}: shorten it and send it again.`;
  return undefined;
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
      return { kind: 'invalid', reply: `I don't know /${name || text.slice(1, 20)}. Send /help for the list of commands.` };
  }
}
