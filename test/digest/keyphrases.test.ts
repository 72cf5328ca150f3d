import { LanguageGuess, PhraseBag, phrases, stopSet, WordFrequencies, words } from '../../src/digest/keyphrases';

describe('keyphrases for topic names', () => {
  test('words drop links, mentions, hashtags and bot commands, and segment scripts without spaces', () => {
    expect(words('#demo Check https://x.dev/a?b=1 with @maya /streak@cohortbot now')).toEqual(['check', 'with', 'now']);
    expect(words('データベースの移行')).toEqual(['データベース', 'の', '移行']);
  });

  test('the language guess picks the chat’s languages by their stop words, not every list that shares a word', () => {
    const g = new LanguageGuess();
    for (let i = 0; i < 20; i++) g.add('We moved the database to a bigger machine and it is still slow when the cache is cold');
    g.add('Всем привет, у меня тоже не работает');
    expect(g.languages()).toEqual(['en']);
    const ru = new LanguageGuess();
    for (let i = 0; i < 20; i++) ru.add('Я тоже держу бота на сервере, и это работает без проблем уже год');
    expect(ru.languages()).toEqual(expect.arrayContaining(['en', 'ru']));
    expect(ru.languages()).not.toContain('br');
  });

  test('phrases are runs of content words: stop words and punctuation end a run, names and filler never start one', () => {
    const stop = stopSet(['en'], ['Maya']);
    // "fix" and "works" are on stopwords-iso's long English list.
    expect(phrases('thanks Maya, the connection pooling fix works', stop)).toEqual(['connection', 'connection pooling', 'pooling']);
    expect(phrases('Postgres, pooling', stop)).toEqual(['postgres', 'pooling']);
    // A Russian stop word counts in an English chat: another script means the same in every list.
    expect(phrases('вебхуки на воркерах', stop)).toEqual(['вебхуки', 'воркерах']);
    // Breton lists "bar"; an English chat keeps it.
    expect(phrases('the bar chart', stop)).toEqual(['bar', 'bar chart', 'chart']);
    // CJK words join as they are written.
    expect(phrases('データベース移行', stopSet(['ja']))).toContain('データベース移行');
  });

  test('the top phrases favour what several messages of the thread say and the rest of the chat does not', () => {
    const stop = stopSet(['en']);
    const frequencies = new WordFrequencies();
    for (let i = 0; i < 50; i++) frequencies.add(words('the app build is green, shipping the app today'));
    const bag = new PhraseBag();
    for (const text of ['connection pooling on serverless', 'the app uses connection pooling', 'connection pooling helped the app', 'serverless is fine']) {
      frequencies.add(words(text));
      bag.add(phrases(text, stop));
    }
    const top = bag.top(frequencies, 3);
    expect(top[0]).toBe('connection pooling');
    expect(top).toContain('serverless');
    expect(top).not.toContain('app');
    expect(new PhraseBag().top(frequencies, 3)).toEqual([]);
  });
});
