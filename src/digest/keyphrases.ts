// stopwords-iso ships JSON and no types: a list of stop words per ISO 639-1 code, 58 languages.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const STOPWORDS = require('stopwords-iso') as Record<string, readonly string[]>;

// Words every chat is full of that no stop word list carries: thanks, laughter, greetings, chat verbs.
const CHAT_FILLER = [
  'lol', 'haha', 'hahaha', 'lmao', 'omg', 'btw', 'tbh', 'imo', 'imho', 'pls', 'plz', 'thx', 'ty', 'hey', 'hi', 'hello',
  'guys', 'folks', 'everyone', 'anyone', 'someone', 'yeah', 'yep', 'nope', 'ok', 'okay', 'cool', 'nice', 'great',
  'awesome', 'congrats', 'thanks', 'thank', 'cheers', 'sure', 'wow', 'yay', 'gonna', 'wanna', 'gotta', 'really', 'today',
  'tomorrow', 'yesterday', 'tonight', 'week', 'morning', 'evening', 'asking', 'question', 'ago', 'guess', 'lot', 'lots',
  'спасибо', 'привет', 'всем', 'ребята', 'ок', 'окей', 'круто', 'класс', 'супер', 'ахах', 'хаха', 'лол', 'спс', 'плиз',
  'сегодня', 'завтра', 'вчера', 'вообще', 'кстати', 'типа', 'короче', 'вопрос',
];
// Links, mentions, hashtags and bot commands are not words of the topic (a hashtag marks a kind: #demo, #blocker).
const NOT_WORDS = /https?:\/\/\S+|www\.\S+|[@#/][\p{L}\p{N}_@.]+/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;
const DIGITS = /^[\p{N}.,:]+$/u;
const LETTER = /\p{L}/u;
const LATIN = /\p{Script=Latin}/u;

let inverse: Map<string, string[]> | undefined;
/** Stop word → the languages that list it, built once. */
function stopwordLanguages(): Map<string, string[]> {
  if (!inverse) {
    inverse = new Map();
    for (const [lang, words] of Object.entries(STOPWORDS)) {
      for (const w of words) {
        const langs = inverse.get(w);
        if (langs) langs.push(lang);
        else inverse.set(w, [lang]);
      }
    }
  }
  return inverse;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/** Lowercased words of a text, in order, without links, mentions, hashtags or bot commands. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text.replace(NOT_WORDS, ' '))) if (s.isWordLike) out.push(s.segment.toLocaleLowerCase());
  return out;
}

/**
 * Guesses a chat's languages from how many of their stop words its messages use: cheap, needs no model, and works
 * for any language stopwords-iso lists. Feed it a sample of messages.
 */
export class LanguageGuess {
  private readonly hits = new Map<string, number>();

  add(text: string): void {
    const table = stopwordLanguages();
    for (const w of words(text)) {
      const langs = table.get(w);
      // A word many lists share ("a", "de") says little about which language it is: its vote is split among them.
      if (langs) for (const lang of langs) this.hits.set(lang, (this.hits.get(lang) ?? 0) + 1 / langs.length);
    }
  }

  /**
   * Languages with at least a fifth of the leader's (split) stop word votes; English always, as chats in any language
   * borrow it. A minority language in another script needs no vote: see `stopSet`.
   */
  languages(): string[] {
    const top = Math.max(0, ...this.hits.values());
    const found = [...this.hits.entries()].filter(([, n]) => n >= Math.max(2, top * 0.2)).map(([lang]) => lang);
    return [...new Set(['en', ...found])].sort();
  }
}

/** Words a topic is never made of; build it with `stopSet`. */
export interface StopWords {
  has(word: string): boolean;
}

/**
 * The words a topic never consists of: stop words of the chat's languages, chat filler and the members' own names,
 * and every listed stop word outside the Latin script. Latin-script lists overlap with each other's content words
 * (Breton lists "bar" and "bad"), so those come only for the chat's languages; a Cyrillic, Greek, Arabic or CJK stop
 * word means the same in every list that has it, so the Russian minority of an English chat loses its "на" and "и"
 * without a vote.
 */
export function stopSet(languages: readonly string[], extra: Iterable<string> = []): StopWords {
  const set = new Set<string>(CHAT_FILLER);
  for (const lang of languages) for (const w of STOPWORDS[lang] ?? []) set.add(w);
  for (const w of extra) set.add(w.toLocaleLowerCase());
  const table = stopwordLanguages();
  return { has: (w) => set.has(w) || (!LATIN.test(w) && table.has(w)) };
}

/**
 * Candidate keyphrases of a text: runs of consecutive content words (a stop word or punctuation ends a run, as in
 * RAKE), and every 1–3 word phrase inside a run. CJK words join without a space, as they are written.
 */
export function phrases(text: string, stop: StopWords): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    for (let i = 0; i < run.length; i++) {
      for (let n = 1; n <= 3 && i + n <= run.length; n++) out.push(join(run.slice(i, i + n)));
    }
    run = [];
  };
  for (const s of segmenter.segment(text.replace(NOT_WORDS, ' . '))) {
    if (!s.isWordLike) {
      if (s.segment.trim() !== '') flush();
      continue;
    }
    const w = s.segment.toLocaleLowerCase();
    const content = LETTER.test(w) && !DIGITS.test(w) && !stop.has(w) && (w.length > 1 || CJK.test(w));
    if (content) run.push(w);
    else flush();
  }
  flush();
  return out;
}

function join(ws: readonly string[]): string {
  let s = ws[0] ?? '';
  for (let i = 1; i < ws.length; i++) s += CJK.test(ws[i - 1]!.slice(-1)) && CJK.test(ws[i]![0]!) ? ws[i] : ` ${ws[i]}`;
  return s;
}

/**
 * Document frequencies of words across a chat (each message a document), for the IDF half of TF-IDF: a word every
 * thread uses ("app", "build") names no thread.
 */
export class WordFrequencies {
  private readonly df = new Map<string, number>();
  private docs = 0;

  add(ws: readonly string[]): void {
    this.docs++;
    for (const w of new Set(ws)) this.df.set(w, (this.df.get(w) ?? 0) + 1);
  }

  idf(word: string): number {
    return Math.log((this.docs + 1) / ((this.df.get(word) ?? 0) + 1)) + 1;
  }
}

/** The phrases of one conversation, counted once per message so a single long message cannot name the thread. */
export class PhraseBag {
  private readonly counts = new Map<string, number>();

  add(ps: readonly string[]): void {
    for (const p of new Set(ps)) this.counts.set(p, (this.counts.get(p) ?? 0) + 1);
  }

  /**
   * The top phrases by TF-IDF (messages using the phrase × the mean IDF of its words), longer phrases only when more
   * than one message uses them, and no word twice across the chosen phrases.
   */
  top(frequencies: WordFrequencies, n: number): string[] {
    const scored: Array<{ phrase: string; words: string[]; score: number }> = [];
    for (const [phrase, count] of this.counts) {
      const ws = phrase.split(' ').length > 1 ? phrase.split(' ') : words(phrase);
      if (ws.length > 1 && count < 2) continue;
      const idf = ws.reduce((s, w) => s + frequencies.idf(w), 0) / Math.max(1, ws.length);
      scored.push({ phrase, words: ws, score: count * idf * (1 + 0.25 * (ws.length - 1)) });
    }
    scored.sort((a, b) => b.score - a.score || a.phrase.localeCompare(b.phrase));
    const chosen: string[] = [];
    const used = new Set<string>();
    for (const s of scored) {
      if (chosen.length >= n) break;
      if (s.words.some((w) => used.has(w))) continue;
      chosen.push(s.phrase);
      for (const w of s.words) used.add(w);
    }
    return chosen;
  }
}
