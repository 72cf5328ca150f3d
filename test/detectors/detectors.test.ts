import { BadInputError } from '../../src/domain';
import { compileDetectors, isBot } from '../../src/detectors';

describe('detectors with the default English and Russian rules', () => {
  const d = compileDetectors();

  test.each([
    ['#demo first cut of the dashboard', true],
    // A demo is a shipping phrase with something to look at.
    ['Shipped the onboarding flow today https://app.example.com', true],
    ['here it is https://www.loom.com/share/abc', true],
    ['my app is live https://my-app.vercel.app/login', true],
    ['Выкатила новую версию бота https://t.me/my_bot', true],
    // A phrase alone is a progress update; a link alone is often a recording or a sign-up sheet.
    ['Shipped the onboarding flow today', false],
    ['Mood tags shipped (thanks Sofia!)', false],
    ['Выкатила новую версию бота', false],
    ['repo: github.com/acme/thing https://github.com/acme/thing', false],
    ["That's a wrap on Demo Day 🎉 Recording: https://www.loom.com/share/0e4d", false],
    ["Demo Day is 1am my time, so I'll record mine", false],
    ['we will demolish the old office', false],
    ['when is demo day?', false],
    ['look at https://notgithub.com/x', false],
    ['see https://evil.com/github.com', false],
  ])('demo: %s → %s', (text, expected) => {
    expect(d.detect(text).demo).toBe(expected);
  });

  test.each([
    ["I'm stuck on the Stripe webhook", true],
    ['can’t figure out the OAuth redirect', true],
    ['#blocker deploys fail', true],
    ['застряла с деплоем на Fly', true],
    ['не получается подключить базу', true],
    ['unstuck now, thanks all', false],
    ['the stucco is drying', false],
  ])('blocker: %s → %s', (text, expected) => {
    expect(d.detect(text).blocker).toBe(expected);
  });

  test.each([
    ['Where are the slides?', true],
    ['where are the slides', true],
    ['Can anyone review my PR', true],
    ['как вы считаете retention', true],
    ['Подскажите, где взять ключ', true],
    ['How I built it.', false],
    ['What a week!', false],
    ['Thanks, that helped', false],
  ])('question: %s → %s', (text, expected) => {
    expect(d.detect(text).question).toBe(expected);
  });

  test('a message can be a question and a blocker at once', () => {
    expect(d.detect('stuck on deploys, any idea?')).toEqual({ demo: false, blocker: true, decision: false, question: true });
  });

  test.each([
    ['Decision: office hours move to Thursdays', true],
    ['We decided to keep Demo Day on Friday', true],
    ["Ok, let's go with pgvector on Supabase", true],
    ["we'll use Fly for every demo app", true],
    ['Going with Expo Router, deep linking is simpler', true],
    ['#decision no new features after Wednesday', true],
    ['Решили: демо по 5 минут', true],
    ['Договорились, созвон по четвергам', true],
    ['Будем использовать Postgres', true],
    // Asking for a decision is not one, nor is an undecided "not decided yet" or a solved problem ("решил").
    ['Have we decided to move the call?', false],
    ['not decided yet, I was going to ask tomorrow', false],
    ['решил проблему с вебхуком', false],
    ['we could use Fly or Render', false],
  ])('decision: %s → %s', (text, expected) => {
    expect(d.detect(text).decision).toBe(expected);
  });

  test('a message naming the tags of two kinds is flagged as explaining the conventions', () => {
    const rules = 'Stuck for more than an hour: post it with #blocker. Shipped something: post it with #demo and a link';
    expect(d.detect(rules)).toEqual({ demo: true, blocker: true, decision: false, question: false, conventions: true });
    expect(d.detect('#blocker deploys fail').conventions).toBeUndefined();
    // A demo that mentions having been stuck names one tag: it is a demo.
    expect(d.detect('#demo finally shipped after being stuck for days https://x.vercel.app').conventions).toBeUndefined();
  });

  test('links in the message entities count even when the text has none', () => {
    expect(d.detect('here it is', ['https://youtu.be/abc']).demo).toBe(true);
    expect(d.detect('here it is').demo).toBe(false);
    // A listed host marks a demo on its own; none is listed by default.
    expect(d.detect('slides', ['https://docs.google.com/presentation/d/1']).demo).toBe(false);
    const listed = compileDetectors({ demo: { linkHosts: ['docs.google.com/presentation'] } });
    expect(listed.detect('slides', ['https://docs.google.com/presentation/d/1']).demo).toBe(true);
    expect(listed.detect('sheet', ['https://docs.google.com/spreadsheets/d/1']).demo).toBe(false);
  });
});

describe('per-cohort detector config', () => {
  test('rules add to the defaults of the chosen languages', () => {
    const d = compileDetectors({ languages: ['en'], demo: { hashtags: ['#showandtell'], phrases: ['new build'] } });
    expect(d.detect('#ShowAndTell the map view').demo).toBe(true);
    expect(d.detect('new build up for testing https://testflight.apple.com/join/x').demo).toBe(true);
    expect(d.detect('#demo still works').demo).toBe(true);
    expect(d.detect('выкатил https://t.me/x').demo).toBe(false); // Russian defaults not chosen
  });

  test('decisions are configured like the other kinds', () => {
    const d = compileDetectors({ useDefaults: false, decision: { hashtags: ['#постановили'], phrases: ['ship it'] } });
    expect(d.detect('#постановили релиз в пятницу').decision).toBe(true);
    expect(d.detect('ship it, all tests are green').decision).toBe(true);
    expect(d.detect('we decided to wait').decision).toBe(false);
    expect(() => compileDetectors({ decision: { phrases: ['x'] } })).toThrow(/decision\.phrases\.0/);
  });

  test('useDefaults: false keeps only the cohort’s own rules', () => {
    const d = compileDetectors({ useDefaults: false, blocker: { phrases: ['горит дедлайн'] } });
    expect(d.detect('горит дедлайн, помогите').blocker).toBe(true);
    expect(d.detect("I'm stuck").blocker).toBe(false);
    expect(d.detect('#demo').demo).toBe(false);
    expect(d.detect('anyone?').question).toBe(true); // a question mark is a question unless turned off
  });

  test('question marks can be turned off for cohorts that use them rhetorically', () => {
    const d = compileDetectors({ question: { endsWithQuestionMark: false, hashtags: ['q'] } });
    expect(d.detect('isn’t it great?').question).toBe(false);
    expect(d.detect('#q deploy order').question).toBe(true);
  });

  test.each([
    [{ demo: { hashtags: ['two words'] } }, /demo\.hashtags\.0/],
    [{ demos: { hashtags: ['x'] } }, /demos/],
    [{ languages: ['de'] }, /languages\.0/],
    [{ languages: [] }, /name at least one language/],
    [{ blocker: { phrases: ['x'] } }, /blocker\.phrases\.0.*at least two characters/],
    [{ demo: { linkHosts: ['https://loom.com'] } }, /demo\.linkHosts\.0.*no scheme/],
  ])('bad config %j is refused, naming the field', (config, message) => {
    expect(() => compileDetectors(config)).toThrow(BadInputError);
    expect(() => compileDetectors(config)).toThrow(message);
  });
});

describe('questions asked with context after the question mark', () => {
  const { detect } = compileDetectors();
  test.each([
    ['Does Family Sharing work with RevenueCat? The docs are unclear and I do not want to charge twice.', true],
    ['Кто-нибудь делал выгрузку в Google Sheets? Хочу, чтобы таблица сама обновлялась.', true],
    ['"Why not Postgres?" she asked', true],
    ['Shipped: https://example.com/search?q=demo&page=2 is live', false],
    ['Can confirm, previews work now', false],
  ])('%j → question %s', (text, expected) => {
    expect(detect(text).question).toBe(expected);
  });
});

describe('isBot', () => {
  test.each([
    [{ id: 'u1', name: 'Cohort 7 Bot' }, true],
    [{ id: 'u1', name: 'LeaderboardBot' }, true],
    [{ id: 'u1', name: 'cohort_bot' }, true],
    [{ id: 'u1', name: 'Напоминалка Бот' }, true],
    [{ id: 'u1', name: 'Reminders', username: 'cohort7_bot' }, true],
    [{ id: 'u1', name: 'Reminders', bot: true }, true],
    // People named Abbot or Talbot, or who mention bots, are people.
    [{ id: 'u1', name: 'Jane Abbot' }, false],
    [{ id: 'u1', name: 'TALBOT' }, false],
    [{ id: 'u1', name: 'Ben Talbot' }, false],
    [{ id: 'u1', name: 'Robotics Rosa' }, false],
    [{ id: 'u1', name: 'Ana', username: 'ana_builds' }, false],
  ])('%j → %s', (peer, expected) => {
    expect(isBot(peer)).toBe(expected);
  });

  test('a configured bot id marks a bot whatever its name', () => {
    expect(isBot({ id: 'user7612093345', name: 'Reminders' }, new Set(['user7612093345']))).toBe(true);
    expect(isBot({ id: 'user1', name: 'Reminders' }, new Set(['user7612093345']))).toBe(false);
  });
});
