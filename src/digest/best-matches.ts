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

/** The content words of a question (its stop words dropped in its own language and English), deduplicated. */
export function questionTerms(question: string): string[] {
  const guess = new LanguageGuess();
  guess.add(question);
  const stop = stopSet(guess.languages());
  return [...new Set(words(question).filter((w) => !stop.has(w) && !/^[\p{N}]+$/u.test(w)))];
}

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
 * the tf: a chat message is short). Two passes over the history, so memory holds the `top` best only, whatever the
 * chat's length. Service messages never match. Ties go to the newer message.
 *
 * @example
 * await bestMatches(() => readHistory(store, ref), 'who fixed staging?', 5)
 */
export async function bestMatches(history: () => AsyncIterable<ChatMessage>, question: string, top: number): Promise<{ matches: Match[]; terms: string[]; read: number }> {
  const terms = questionTerms(question);
  const df = new Map<string, number>(terms.map((t) => [t, 0]));
  let read = 0;
  if (terms.length === 0) return { matches: [], terms, read };
  for await (const m of history()) {
    read++;
    if (m.service) continue;
    for (const t of termsIn(textOf(m), terms)) df.set(t, df.get(t)! + 1);
  }
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
