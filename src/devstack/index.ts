export { findBinary, isExecutable, requireBinary } from './find-binary';
export { freePort, isListening, waitForPort } from './ports';
export { startRedis, startTemporal } from './services';
export type { RunningService, ServiceExit, TemporalDevServer } from './services';
