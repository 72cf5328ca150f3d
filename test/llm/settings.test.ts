import { loadConfig } from '../../src/config';
import { llmSettingsFromConfig } from '../../src/llm';

test('with no endpoint configured there are no LLM settings: the digest stays the default', () => {
  expect(llmSettingsFromConfig(loadConfig({}))).toBeNull();
});

test('a local endpoint needs no key; a key alone means OpenAI', () => {
  const local = llmSettingsFromConfig(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1/', LLM_MODEL: 'qwen2.5:7b', LLM_CONTEXT_TOKENS: '16384' }));
  expect(local).toMatchObject({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:7b', contextTokens: 16384 });
  expect(local!.apiKey).not.toBe('');
  expect(llmSettingsFromConfig(loadConfig({ OPENAI_API_KEY: 'sk-x' }))).toMatchObject({ baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-x', model: 'gpt-4o-mini' });
});
