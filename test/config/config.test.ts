import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, ConfigSchema, loadConfig } from '../../src/config';

const example = readFileSync(resolve(__dirname, '../../.env.example'), 'utf8');
const exampleEntries = Object.fromEntries(
  example
    .split('\n')
    .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

test('.env.example documents every setting, and its values are the defaults', () => {
  expect(Object.keys(exampleEntries).sort()).toEqual(Object.keys(ConfigSchema.shape).sort());
  expect(loadConfig(exampleEntries)).toEqual(loadConfig({}));
});

test('defaults need nothing set: the offline pipeline runs without Telegram or LLM settings', () => {
  const c = loadConfig({});
  expect(c.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
  expect(c.RATE_RPS).toBe(4);
  expect(c.OPENAI_BASE_URL).toBeUndefined();
  expect(c.TG_API_ID).toBeUndefined();
});

test('every bad value is reported at once, one line each, secrets hidden', () => {
  let error: unknown;
  try {
    loadConfig({ RATE_RPS: '-1', REDIS_URL: 'localhost:6379', TG_API_HASH: 'not-a-hash-secret', LOG_LEVEL: 'loud' });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const { problems, message } = error as ConfigError;
  expect(problems).toHaveLength(4);
  expect(message).toMatch(/RATE_RPS \("-1"\)/);
  expect(message).toMatch(/REDIS_URL \("localhost:6379"\): must be a redis:\/\/ or rediss:\/\/ URL/);
  expect(message).toMatch(/LOG_LEVEL/);
  expect(message).toMatch(/TG_API_HASH \(set \(hidden\)\)/);
  expect(message).not.toContain('not-a-hash-secret');
});
