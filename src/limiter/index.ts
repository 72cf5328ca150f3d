export { createLimiter, Limiter, TELEGRAM_OPS } from './limiter';
export type { AcquireOptions, AcquireResult, LimiterStats, QuotaUsage } from './limiter';
export { AccountPausedError } from './account-paused-error';
export { DEFAULT_LIMITER_SETTINGS, limiterOptionsFromConfig } from './options';
export type { LimiterLogger, LimiterOptions, LimiterSettings } from './options';
export { createLimiterRedis, redisWhere } from './redis-client';
export { limiterKeys } from './keys';
export type { LimiterKeys, PauseGroup } from './keys';
export type { CallGuard, SafeCallOptions, TelegramOp, WaitInfo } from './call-guard';
