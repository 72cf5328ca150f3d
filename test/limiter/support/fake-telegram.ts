import { FloodWaitError } from '../../../src/domain';

/** One call the fake saw: which method, and when by the limiter's clock. */
export interface FakeCall {
  method: string;
  at: number;
}

/**
 * A fake Telegram for limiter tests: records each call and can be told to answer the next ones with a flood
 * wait, as the gramjs adapter's error mapper would (a domain `FloodWaitError`).
 */
export class FakeTelegram {
  readonly calls: FakeCall[] = [];
  private floods: number[] = [];

  constructor(
    private readonly account: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The next calls answer FLOOD_WAIT_<seconds>, one per entry. */
  floodNext(...seconds: number[]): this {
    this.floods.push(...seconds);
    return this;
  }

  /** A Telegram call: returns `result`, or throws the next scripted flood wait. */
  async call<T>(method: string, result: T): Promise<T> {
    this.calls.push({ method, at: this.clock() });
    const flood = this.floods.shift();
    if (flood !== undefined) throw new FloodWaitError(flood, method, this.account);
    return result;
  }
}
