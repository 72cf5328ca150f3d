/**
 * What the userbot's listener hands the conversation workflow: one typed command per Telegram message. Pure data,
 * so the workflow (no Node built-ins) and the listener (gramjs side) share it.
 */

/**
 * A job the conversation runs as a child workflow, one at a time; kept with its run so `/rerun` repeats it.
 * `chat` is a link, @username or id as the user gave it (checked for its form only).
 */
export type ConversationJob =
  /** A digest, or the LLM's answer to `prompt`: `summarizeChat`. */
  | { kind: 'summarize'; chat: string; prompt?: string }
  /** A question answered over the chat's history, with links to the messages it rests on: `askChat`. */
  | { kind: 'ask'; chat: string; question: string }
  /** One cohort week of the chat (`2026-W47`), or without `week` the last completed one: `weeklyRecap`. */
  | { kind: 'recap'; chat: string; week?: string }
  /** The chat's members as CSV or its messages as JSONL, sent as a document: `exportMembers` / `exportMessages`. */
  | { kind: 'export'; what: 'members' | 'messages'; chat: string };

/** A command a user gave in a message. Parsing belongs to the listener; acting on it to the conversation. */
export type ConversationCommand =
  | { kind: 'help' }
  /** A chat to summarize (a link, @username, id or a forwarded message's chat); the prompt, when the user gave one. */
  | { kind: 'summarize'; chat: string; prompt?: string }
  | Exclude<ConversationJob, { kind: 'summarize' }>
  /** The account's recap schedules; with an action, pause or resume one (by its id or cohort name). */
  | { kind: 'schedules'; action?: 'pause' | 'resume'; schedule?: string }
  /** Quotas left today, when they reset, any pause in force. */
  | { kind: 'limits' }
  /** Go on with the default digest (no prompt) for the chat the conversation asked about. */
  | { kind: 'go' }
  /** Plain text: the answer to "what should I look for?", or chatter. */
  | { kind: 'text'; text: string }
  | { kind: 'status' }
  | { kind: 'runs' }
  | { kind: 'cancel'; run?: string }
  | { kind: 'rerun'; run?: string }
  /** Input the listener could not read (a bad link, an unknown command): `reply` says what to do, in one line. */
  | { kind: 'invalid'; reply: string };

/** One message for the conversation: its Telegram id (so a message seen twice acts once) and its command. */
export interface ConversationUpdate {
  messageId: number;
  command: ConversationCommand;
}

/** What a conversation needs to start, and what it carries across continue-as-new. */
export interface ConversationInput {
  /** The account that reads chats and answers (its worker serves the Telegram activities). */
  account: string;
  /** The user this conversation is with (Telegram user id, as a decimal string). */
  userId: string;
  /** The chat to answer in, as the port resolves it: the user's id (the owner's own id is their Saved Messages). */
  replyTo: string;
  /**
   * The account whose worker sends the replies, status edits and files (bot mode: the bot, `bot-<id>`); `account`
   * still reads the chats. Absent: `account` answers too.
   */
  replyAccount?: string;
  /** State carried over by continue-as-new. */
  carried?: ConversationState;
}

/** One job the conversation started. */
export interface ConversationRun {
  /** Short handle the user types in `/cancel` and `/rerun`: 1, 2, 3… */
  run: number;
  jobId: string;
  chat: string;
  prompt?: string;
  /** What was run (absent on runs from before there were other jobs than summaries: those are summaries). */
  job?: ConversationJob;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  /** Messages read (members, for a members export), once the job finished. */
  messages?: number;
  /** One line on why it failed. */
  error?: string;
}

/** The conversation's memory: what it is waiting for, its runs, the message ids it has already handled. */
export interface ConversationState {
  /** A chat the user sent, waiting for a prompt or /go. */
  pendingChat?: string;
  runs: ConversationRun[];
  /** Ids of handled messages, newest last (a bounded window: Telegram ids only grow). */
  handled: number[];
}

/** The workflow id of a user's conversation: one per account and user, found again by update-with-start. */
export function conversationWorkflowId(account: string, userId: string): string {
  return `conversation-${account}-${userId}`;
}

/** The commands, for /help and for the one line an unknown command gets. */
export const CONVERSATION_HELP = [
  'Send a chat link (or forward a message from the chat) and I will summarize it.',
  '/summarize <chat> [what to look for] — start at once',
  '/go — the default digest for the chat you just sent',
  '/ask <chat> <question> — an answer from the chat\'s messages, with links to them',
  '/recap <chat> [week] — the weekly recap (a week like 2026-W47, or last)',
  '/export members|messages <chat> — the members as CSV, or the messages as JSONL',
  '/schedules — your recap schedules; /schedules pause|resume <id>',
  '/limits — Telegram quotas left today and when they reset',
  '/status — what is running',
  '/runs — the last 10 runs',
  '/cancel [run] — stop a running job',
  '/rerun [run] — run a job again',
  '/help — this list',
].join('\n');
