/* eslint-disable @typescript-eslint/no-require-imports -- loading these on first use is the point of this file */
/**
 * The folders a CLI command loads when it runs, not when the CLI starts: each pulls in a library that takes longer
 * to load than the command it serves (gramjs behind `telegram`, Redis and the metrics behind `limiter`, the LLM
 * client, its tokenizer and the Telegram port behind `activities`), and `--help`, `runs` or `summarize --export` use
 * none of them. docs/benchmarks.md ("CLI start") has the figures. Types are imported as usual (`import type`), which
 * loads nothing.
 *
 * @example
 * telegram().parseChatInput(value); // gramjs is loaded here, the first time a live chat is named
 */

/** src/telegram: gramjs. */
export const telegram = (): typeof import('../../telegram') => require('../../telegram');

/** src/limiter: ioredis and prom-client. */
export const limiter = (): typeof import('../../limiter') => require('../../limiter');

/** src/activities: every adapter (Telegram, the LLM client and its tokenizer, Redis, the recap renderer). */
export const activities = (): typeof import('../../activities') => require('../../activities');
