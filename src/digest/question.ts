// `\b` only knows ASCII word characters, so a lookahead ends the word (Cyrillic included).
const QUESTION_START =
  /^(who|what|when|where|why|how|which|is|are|can|could|does|do|did|should|would|will|has|have|anyone|any|кто|что|когда|где|почему|зачем|как|какой|какая|какие|можно|есть ли|подскажите)(?=[\s,.!?:;]|$)/iu;

/** A message reads as a question: it asks with "?" or opens with a question word (English or Russian). */
export function looksLikeQuestion(text: string): boolean {
  const t = text.trim();
  if (t.length < 6) return false;
  return t.includes('?') || QUESTION_START.test(t);
}
