import { BadInputError, RemoteRefusedError } from '../domain';

/**
 * Telegram no longer accepts the account's session (revoked from another device, expired, the account
 * deactivated, or the key used by two connections at once). Retrying cannot help: the user logs in again.
 */
export class SessionRevokedError extends RemoteRefusedError {
  constructor(
    readonly account: string,
    code: string,
    method: string,
    options?: { cause?: unknown },
  ) {
    super(`${SESSION_REASONS[code] ?? 'Telegram no longer accepts this session'} (account "${account}", ${code}): log in again with \`tgpulse login --account ${account}\``, code, method, undefined, options);
    this.name = 'SessionRevokedError';
  }
}

const SESSION_REASONS: Record<string, string> = {
  AUTH_KEY_UNREGISTERED: 'The session is not logged in any more (it was logged out or never finished logging in)',
  SESSION_REVOKED: 'The session was terminated from another device',
  SESSION_EXPIRED: 'The session expired',
  AUTH_KEY_DUPLICATED: 'The session was used by two connections at once, so Telegram cancelled it',
  USER_DEACTIVATED: 'The account was deleted or deactivated',
  USER_DEACTIVATED_BAN: 'The account was banned by Telegram',
  AUTH_KEY_INVALID: 'The session key is not valid',
};

/** Codes that mean the session is dead, see {@link SessionRevokedError}. */
export const SESSION_DEAD_CODES: ReadonlySet<string> = new Set(Object.keys(SESSION_REASONS));

/**
 * Telegram holds a data export (takeout session) of this account back: `TAKEOUT_INIT_DELAY_X`. For security it
 * notified the account's other Telegram apps, where the user can confirm (or cancel) the request; the export is
 * allowed after `seconds` (often a day), asked again from the same device. Retrying sooner cannot help, so the
 * workflow sleeps until {@link TakeoutDelayError.resumeAt} as a durable timer and then starts the export again.
 */
export class TakeoutDelayError extends RemoteRefusedError {
  /** When the export may start, ISO 8601 UTC. */
  readonly resumeAt: string;

  constructor(
    readonly seconds: number,
    readonly account: string,
    method: string,
    options?: { cause?: unknown; now?: number },
  ) {
    const resumeAt = new Date((options?.now ?? Date.now()) + seconds * 1000).toISOString();
    super(
      `Telegram holds the data export (takeout) of account "${account}" back for ${seconds} s, until ${resumeAt}: it sent a service notification to your other Telegram apps, ` +
        'where you confirm that the export is yours (Settings → Privacy and Security shows the request). The job waits and starts the export again then; ' +
        'to read the chat now instead, run without --takeout',
      `TAKEOUT_INIT_DELAY_${seconds}`,
      method,
      seconds,
      { cause: options?.cause },
    );
    this.name = 'TakeoutDelayError';
    this.resumeAt = resumeAt;
  }
}

/** Another process holds the account's live connection (the Redis lease). */
export class SessionInUseError extends BadInputError {
  constructor(
    readonly account: string,
    readonly holder: string,
    readonly since: string | undefined,
  ) {
    super(
      `Account "${account}" is connected to Telegram by ${holder}${since ? ` since ${since}` : ''}, and Telegram cancels a session used by two connections at once`,
      'Stop that process first, or run this command on the worker that holds the account',
    );
    this.name = 'SessionInUseError';
  }
}

/**
 * A live message that does not fit the domain's `ChatMessage` schema: a mapping bug or a Telegram object tgpulse
 * does not know yet. It fails the extraction (retrying maps the same object the same way) instead of storing a
 * message the digest would misread; the message names the field and its raw value.
 */
export class LiveMessageShapeError extends RemoteRefusedError {
  constructor(
    readonly messageId: number,
    readonly chatId: number,
    readonly field: string,
    readonly raw: unknown,
    problem: string,
  ) {
    super(
      `Telegram message ${messageId} in chat ${chatId} does not fit tgpulse's message schema: ${field} = ${rawText(raw)} (${problem}). Nothing from this page was stored; report it with this line`,
      'MESSAGE_SHAPE_INVALID',
      'messages.GetHistory',
    );
    this.name = 'LiveMessageShapeError';
  }
}

function rawText(raw: unknown): string {
  try {
    const text = JSON.stringify(raw, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(raw);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(raw);
  }
}
