export { createGeneralWorker, WORKFLOWS_PATH } from './general-worker';
export { openJobSource } from './sources';
export { startAccountWorker } from './account-worker';
export type { AccountWorkerOptions, RunningAccountWorker } from './account-worker';
export { installRuntimeMetrics } from './runtime-metrics';
export { exitOnStartupFailure, requireRedis, startWorkerOps } from './startup';
