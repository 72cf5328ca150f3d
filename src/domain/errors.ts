/**
 * The few error families of tgpulse, told apart by class (never by parsing messages). Each carries what a user
 * needs to act on it; none carries a secret.
 */

/** The input was wrong: a bad link, an empty prompt, a truncated export. `hint` says what to do. */
export class BadInputError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(hint ? `${message}. ${hint}` : message, options);
    this.name = 'BadInputError';
  }
}

/** A remote service (Telegram, the LLM endpoint) refused the request. */
export class RemoteRefusedError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly method: string,
    readonly retryAfterSeconds?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RemoteRefusedError';
  }
}

/** The way to a service failed (Redis down, connection reset): worth retrying once it is back. */
export class TransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/** Telegram asked the account to wait (FLOOD_WAIT_X, SLOWMODE_WAIT_X) before calling again. */
export class FloodWaitError extends RemoteRefusedError {
  constructor(
    readonly seconds: number,
    method: string,
    readonly account: string,
    code = 'FLOOD_WAIT',
    options?: { cause?: unknown },
  ) {
    super(`Telegram asked account ${account} to wait ${seconds} s before calling ${method} again`, code, method, seconds, options);
    this.name = 'FloodWaitError';
  }
}

/** A daily quota or ceiling is used up. Not worth retrying before `resetsAt`. */
export class QuotaExceededError extends Error {
  constructor(
    readonly quota: string,
    readonly used: number,
    readonly limit: number,
    readonly resetsAt: string | undefined,
  ) {
    super(`${quota} quota used up: ${used} of ${limit}${resetsAt ? `; it resets at ${resetsAt}` : ''}`);
    this.name = 'QuotaExceededError';
  }
}
