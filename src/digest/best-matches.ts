import type { ChatMessage } from '../domain';
import { LanguageGuess, stopSet, words } from './keyphrases';

/** A message that matches a question's words, with how well. */
export interface Match {
  message: ChatMessage;
  /** Sum of the inverse document frequencies of the question's words it uses: rare words weigh more. */
  score: number;
  /** The question's words it uses. */
  terms: string[];
}

/** The words of a question worth looking for, before stop words are known: deduplicated, no bare numbers. */
function candidateTerms(question: string): string[] {
  return [...new Set(words(question).filter((w) => !/^[\p{N}]+$/u.test(w)))];
}

/** How many messages the language guess reads: enough to tell a chat's languages, cheap on a long history. */
const LANGUAGE_SAMPLE = 2000;

/**
 * Whether a word of a message is the question's term, or the same word in another form ("deploy", "deployed",
 * "deployment"): a shared beginning of at least four letters that leaves at most a short ending on the shorter one.
 * Cheap stemming that works in any alphabet, without a per-language stemmer.
 */
function sameWord(term: string, word: string): boolean {
  if (term === word) return true;
  const shorter = Math.min(term.length, word.length);
  if (shorter < 4) return false;
  let common = 0;
  while (common < shorter && term[common] === word[common]) common++;
  return common >= 4 && common >= shorter - 2;
}

function termsIn(text: string, terms: readonly string[]): string[] {
  const ws = new Set(words(text));
  return terms.filter((t) => [...ws].some((w) => sameWord(t, w)));
}

/** What a message says, for matching: its text and its links. */
const textOf = (m: ChatMessage) => [m.text, ...(m.links ?? [])].join(' ');

/**
 * Ranks a chat's messages by how many of the question's words they use, rarer words weighing more (tf-idf without
 * the tf: a chat message is short); the stop words of the chat's languages (and English) do not count. Two passes
 * over the history, so memory holds the `top` best only, whatever the chat's length. Service messages never match.
 * Ties go to the newer message.
 *
 * @example
 * await bestMatches(() => readHistory(store, ref), 'who fixed staging?', 5)
 */
export async function bestMatches(history: () => AsyncIterable<ChatMessage>, question: string, top: number): Promise<{ matches: Match[]; terms: string[]; read: number }> {
  // First pass: the chat's languages (a question alone has too few stop words to tell) and how many messages use
  // each of the question's words; its stop words are dropped once the languages are known.
  const candidates = candidateTerms(question);
  const df = new Map<string, number>(candidates.map((t) => [t, 0]));
  const guess = new LanguageGuess();
  guess.add(question);
  let read = 0;
  for await (const m of history()) {
    read++;
    if (m.service) continue;
    if (read <= LANGUAGE_SAMPLE) guess.add(m.text);
    for (const t of termsIn(textOf(m), candidates)) df.set(t, df.get(t)! + 1);
  }
  const stop = stopSet(guess.languages());
  const terms = candidates.filter((t) => !stop.has(t));
  if (terms.length === 0) return { matches: [], terms, read };
  const idf = (t: string) => Math.log(1 + read / Math.max(1, df.get(t)!));
  const best: Match[] = [];
  for await (const m of history()) {
    if (m.service) continue;
    const found = termsIn(textOf(m), terms);
    if (found.length === 0) continue;
    best.push({ message: m, score: found.reduce((s, t) => s + idf(t), 0), terms: found });
    best.sort((a, b) => b.score - a.score || b.message.date.localeCompare(a.message.date) || b.message.id - a.message.id);
    if (best.length > top) best.pop();
  }
  return { matches: best, terms, read };
}
