import { messageLink, type ChatInfo, type ChatMessage, type HistoryRef } from '../domain';
import { bestMatches, excerpt } from '../digest';
import { readHistory } from '../store';
import type { ActivityDeps } from './deps';
import { withFailureMapping } from './failures';

/** How many messages a no-model answer lists. */
export const NO_MODEL_ANSWER_TOP = 5;

const senderOf = (m: ChatMessage) => m.sender?.name ?? 'someone';

/** The no-model answer as the user reads it: what it is, then the messages best first, each with its link. */
export function formatNoModelAnswer(chat: ChatInfo, question: string, found: Awaited<ReturnType<typeof bestMatches>>): string {
  const quoted = `“${excerpt(question, 80)}”`;
  if (found.terms.length === 0) return `No-model answer: ${quoted} has no word to look for (only common words). Ask with the words the messages would use.`;
  if (found.matches.length === 0) {
    return `No-model answer: none of the ${found.read} messages of "${chat.title}" uses the words of ${quoted} (${found.terms.join(', ')}). Try other words, or /summarize the chat.`;
  }
  const lines = found.matches.map((match, i) => {
    const m = match.message;
    const link = messageLink(chat, m.id) ?? `(message ${m.id})`;
    return `${i + 1}. ${senderOf(m)}, ${m.date.slice(0, 10)}: “${excerpt(m.text || (m.links ?? []).join(' '), 200)}” ${link}`;
  });
  return [
    `No-model answer (no LLM endpoint is configured, so nobody wrote one): the messages of "${chat.title}" that best match ${quoted}, best first, out of ${found.read} read. Set OPENAI_BASE_URL for a written answer.`,
    ...lines,
  ].join('\n');
}

/** The general worker's part of `/ask`: the answer without a model, over a stored history. */
export function createAskActivities(deps: ActivityDeps) {
  /**
   * Ranks the stored history's messages by the question's words and returns the answer's text and the ids it
   * cites (each linked in the text).
   */
  async function answerWithoutModel(input: { history: HistoryRef; chat: ChatInfo; question: string }): Promise<{ text: string; cited: number[] }> {
    return withFailureMapping(async () => {
      const found = await bestMatches(() => readHistory(deps.store, input.history), input.question, NO_MODEL_ANSWER_TOP);
      return { text: formatNoModelAnswer(input.chat, input.question, found), cited: found.matches.map((m) => m.message.id) };
    });
  }
  return { answerWithoutModel };
}
