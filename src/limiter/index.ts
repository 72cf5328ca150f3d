export type { CallGuard, SafeCallOptions, TelegramOp } from './call-guard';
