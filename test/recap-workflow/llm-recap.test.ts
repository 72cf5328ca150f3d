import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { llmSettingsFromConfig } from '../../src/llm';
import { startRecap } from '../../src/starters/recap-schedules';
import { LocalArtifactStore } from '../../src/store';
import { openJobSource } from '../../src/workers';
import { startFakeOpenAi, type FakeOpenAi } from '../fakes/fake-openai-server';
import { uniqueName } from '../support/stack';
import { startTestWorker, type TestWorker } from '../support/worker';
import { BOT_ID, SAMPLE, weekFacts, ZONE } from './sample-facts';

describe('weeklyRecap with an LLM endpoint configured', () => {
  let dir: string;
  let fake: FakeOpenAi;
  let tw: TestWorker;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tgpulse-recap-llm-'));
    fake = await startFakeOpenAi({ apiKey: 'sk-test-key' });
    const config = loadConfig({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-test-key', LLM_MODEL: 'fake-model', LLM_CONTEXT_TOKENS: '32000' });
    tw = await startTestWorker({ outputDir: join(dir, 'out'), store: new LocalArtifactStore(join(dir, 'data')), openSource: openJobSource, llm: llmSettingsFromConfig(config) });
  });
  afterAll(async () => {
    await tw?.stop();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the model writes the recap from the week's messages only, with the week's numbers; metrics and image as without it", async () => {
    const handle = await startRecap(tw.client, tw.taskQueue, {
      cohort: { name: uniqueName('cohort'), source: { kind: 'export', path: SAMPLE }, zone: ZONE, botIds: [BOT_ID] },
      week: '2026-W46',
      delivery: { kind: 'files', dir: join(dir, 'out') },
    });
    const result = await handle.result();
    expect(result.model).toBe('fake-model');
    expect(result.messages).toBe(183);
    expect(result.files.some((f) => f.endsWith('.png'))).toBe(true);

    const facts = weekFacts('2026-W46');
    const shown = new Set(fake.requests.filter((r) => r.kind === 'map').flatMap((r) => [...r.user.matchAll(/^#(\d+) /gm)].map((m) => Number(m[1]))));
    expect(shown.size).toBeGreaterThanOrEqual(facts.messages);
    for (const id of shown) expect(facts.ids.has(id)).toBe(true);
    const request = fake.requests[0]!.user;
    expect(request).toContain('Write the weekly recap of this cohort group for 2026-W46 (9–15 Nov 2026)');
    expect(request).toMatch(/183 messages from 28 active members, \d+ demos, \d+ blockers, 0 decisions, /);
    expect(request).toContain('Highlights, Demos, Blockers, Decisions, Open questions, Shout-outs');
    // The open questions the counting weighed, by id, all from the week.
    const open = /Open questions, heaviest first \(message ids\): ([\d, ]+)\./.exec(request)?.[1]?.split(', ').map(Number) ?? [];
    expect(open.length).toBeGreaterThan(0);
    for (const id of open) expect(facts.ids.has(id)).toBe(true);

    const md = readFileSync(result.files.find((f) => f.endsWith('.md'))!, 'utf8');
    expect(md).toContain('· model fake-model_');
  });
});
