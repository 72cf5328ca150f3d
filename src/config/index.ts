export { allowlistEntryProblem, badAllowlistEntries, ConfigSchema, ConfigError, loadConfig, loadDotenv } from './config';
export type { Config } from './config';
