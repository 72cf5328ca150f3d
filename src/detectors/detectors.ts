import { z } from 'zod';
import { BadInputError, type Peer } from '../domain';

/** Languages that have built-in detector defaults. */
export const DetectorLanguage = z.enum(['en', 'ru']);
export type DetectorLanguage = z.infer<typeof DetectorLanguage>;

const Hashtag = z
  .string()
  .trim()
  .regex(/^#?[\p{L}\p{N}_]+$/u, 'a hashtag is letters, digits and _ (the leading # is optional)')
  .transform((s) => s.replace(/^#/, '').toLowerCase());
const Phrase = z
  .string()
  .trim()
  .min(2, 'a phrase needs at least two characters')
  .max(100, 'a phrase is at most 100 characters')
  .transform((s) => s.toLowerCase());
const Host = z
  .string()
  .trim()
  .regex(/^([a-z0-9-]+\.)+[a-z]{2,}(\/[^\s]*)?$/i, 'a link host looks like loom.com or github.com/org (no scheme)')
  .transform((s) => s.toLowerCase());

/**
 * What marks a message as one kind (demo, blocker, decision, question):
 * - `hashtags`: `#demo` anywhere in the text, case-insensitive;
 * - `phrases`: a word or words, case-insensitive, matched on word boundaries (so "demo" does not match "demolish");
 *   a trailing `*` matches any ending, for inflected languages (`застрял*` matches застрял, застряла, застряли);
 * - `linkHosts`: a link to that host or a subdomain of it (`vercel.app` matches `my-app.vercel.app`); a host may
 *   carry a path prefix (`github.com` or `docs.google.com/presentation`).
 *
 * Demos are stricter than the other kinds: a demo phrase counts only together with a link (a demo is something to
 * look at), while a hashtag or a listed link host counts on its own. No host is listed by default: recordings and
 * sign-up sheets live on the same hosts as demos.
 */
export const DetectorRules = z
  .object({
    hashtags: z.array(Hashtag).default([]),
    phrases: z.array(Phrase).default([]),
    linkHosts: z.array(Host).default([]),
  })
  .strict();
export type DetectorRules = z.infer<typeof DetectorRules>;

// A question mark that ends a sentence: followed by the end, a space or closing punctuation (not `?a=1` in a URL).
const SENTENCE_QUESTION = /[?？](?=$|[\s"')\]»”…!?])/u;

/**
 * Question rules add two shapes: a sentence ending with a question mark (people ask, then add context: "Does X
 * work? The docs are unclear."), and text starting with a question word.
 */
export const QuestionRules = DetectorRules.extend({
  /** Whether a message with a sentence ending in `?` (or `？`) is a question; a `?` inside a URL does not count. */
  endsWithQuestionMark: z.boolean().default(true),
  /** Words or phrases that open a question ("how", "can anyone", "подскажите"); the text must not end with `.` or `!`. */
  startWords: z.array(Phrase).default([]),
}).strict();
export type QuestionRules = z.infer<typeof QuestionRules>;

/**
 * A cohort's detector settings, as written in its configuration. Rules given here are added to the built-in
 * defaults of `languages`; set `useDefaults: false` to use only the cohort's own.
 *
 * @example { languages: ['ru'], demo: { hashtags: ['#показ'] }, blocker: { phrases: ['горит дедлайн'] } }
 */
export const DetectorConfig = z
  .object({
    languages: z.array(DetectorLanguage).min(1, 'name at least one language, e.g. ["en"]').default(['en', 'ru']),
    useDefaults: z.boolean().default(true),
    demo: DetectorRules.optional(),
    blocker: DetectorRules.optional(),
    decision: DetectorRules.optional(),
    question: QuestionRules.optional(),
  })
  .strict();
export type DetectorConfigInput = z.input<typeof DetectorConfig>;
export type DetectorConfig = z.infer<typeof DetectorConfig>;

interface Defaults {
  demo: DetectorRules;
  blocker: DetectorRules;
  decision: DetectorRules;
  question: QuestionRules;
}

/** Built-in rules per language. Kept short and unambiguous: a false "demo" is worse than a missed one. */
export const DEFAULT_DETECTORS: Record<DetectorLanguage, Defaults> = {
  en: {
    demo: {
      hashtags: ['demo', 'shipped', 'launch', 'launched', 'showcase', 'release'],
      phrases: ['shipped', 'launched', 'just released', 'is live', 'check it out', 'try it out', 'deployed', 'here it is', 'first version'],
      linkHosts: [],
    },
    blocker: {
      hashtags: ['blocker', 'blocked', 'stuck', 'help'],
      phrases: ['stuck', 'blocked', 'blocker', "can't figure out", 'cannot figure out', "can't get", 'help needed', 'need help', "doesn't work", 'does not work', 'not working', 'keeps failing'],
      linkHosts: [],
    },
    // A decision is the group (or a builder) settling something: the phrases say so outright, since "we could use X"
    // is still a discussion.
    decision: {
      hashtags: ['decision', 'decided', 'agreed'],
      phrases: ['we decided', "we've decided", 'we have decided', 'decided to', 'decision:', 'decision is', "let's go with", 'lets go with', "we'll use", 'we will use', "we're going with", 'going with', 'settled on', 'we agreed', 'agreed on', 'final call', 'the plan is'],
      linkHosts: [],
    },
    question: {
      hashtags: ['question', 'q'],
      phrases: [],
      linkHosts: [],
      endsWithQuestionMark: true,
      startWords: ['how', 'what', 'why', 'where', 'when', 'who', 'which', 'is there', 'are there', 'does anyone', 'do you', 'can anyone', 'can someone', 'could someone', 'anyone know', 'any idea', 'any ideas'],
    },
  },
  ru: {
    demo: {
      hashtags: ['демо', 'показ', 'запустил', 'релиз'],
      phrases: ['задеплоил*', 'запустил*', 'выкатил*', 'зарелизил*', 'релиз', 'смотрите что получилось', 'можно потыкать'],
      linkHosts: [],
    },
    blocker: {
      hashtags: ['блокер', 'застрял', 'помогите', 'нужнапомощь'],
      phrases: ['застрял*', 'блокер', 'заблокирован*', 'не могу понять', 'не получается', 'не работает', 'нужна помощь', 'помогите', 'никак не'],
      linkHosts: [],
    },
    decision: {
      hashtags: ['решение', 'решили', 'договорились'],
      phrases: ['решили', 'решено', 'решение:', 'договорились', 'остановились на', 'остановимся на', 'будем использовать', 'берём', 'берем', 'итог:', 'итого:'],
      linkHosts: [],
    },
    question: {
      hashtags: ['вопрос'],
      phrases: [],
      linkHosts: [],
      endsWithQuestionMark: true,
      startWords: ['как', 'почему', 'зачем', 'где', 'когда', 'кто', 'что', 'какой', 'какая', 'какие', 'сколько', 'можно ли', 'есть ли', 'подскажите', 'кто-нибудь знает'],
    },
  },
};

/** What a message was found to be. A message can be several kinds at once ("stuck on deploy, any idea?"). */
export interface Detection {
  demo: boolean;
  blocker: boolean;
  decision: boolean;
  question: boolean;
  /** Set when the message names the hashtags of two kinds ("post #demo when you ship, #blocker when stuck"): it explains the group's conventions rather than being either kind. */
  conventions?: true;
}

/** The kinds a message can be detected as. */
export type DetectionKind = 'demo' | 'blocker' | 'decision' | 'question';

/** Compiled detectors: call `detect` once per message. */
export interface Detectors {
  readonly config: DetectorConfig;
  detect(text: string, links?: readonly string[]): Detection;
}

const WORD = '[\\p{L}\\p{N}_]';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One regex for a list of phrases, on Unicode word boundaries (`\b` knows only ASCII, so Cyrillic needs lookarounds). */
function phraseRegExp(phrases: readonly string[], anchored: boolean): RegExp | null {
  if (phrases.length === 0) return null;
  const alternatives = [...new Set(phrases)]
    .sort((a, b) => b.length - a.length)
    .map((p) => (p.endsWith('*') ? `${escapeRegExp(p.slice(0, -1))}${WORD}*` : escapeRegExp(p)).replace(/\\?'/g, "['’]"));
  const head = anchored ? '^[\\s\\p{P}]*' : `(?<!${WORD})`;
  return new RegExp(`${head}(?:${alternatives.join('|')})(?!${WORD})`, 'iu');
}

interface CompiledRules {
  hashtags: ReadonlySet<string>;
  phrases: RegExp | null;
  hosts: readonly string[];
}

function compileRules(rules: DetectorRules): CompiledRules {
  return { hashtags: new Set(rules.hashtags), phrases: phraseRegExp(rules.phrases, false), hosts: rules.linkHosts };
}

const HASHTAG = /#([\p{L}\p{N}_]+)/gu;
const URL_IN_TEXT = /https?:\/\/[^\s<>"')\]]+/giu;

function hostMatches(url: string, hosts: readonly string[]): boolean {
  const bare = url.replace(/^[a-z]+:\/\//i, '').replace(/^www\./i, '').toLowerCase();
  for (const host of hosts) {
    const slash = host.indexOf('/');
    const hostOnly = slash < 0 ? host : host.slice(0, slash);
    const at = bare.indexOf(hostOnly);
    // The host must be the whole host or a subdomain of it, and a path prefix must follow it when given.
    if (at < 0 || (at > 0 && bare[at - 1] !== '.')) continue;
    if (bare.slice(0, at).includes('/')) continue;
    const rest = bare.slice(at + hostOnly.length);
    if (slash < 0 ? rest === '' || /^[/:?#]/.test(rest) : rest.startsWith(host.slice(slash))) return true;
  }
  return false;
}

/**
 * Validates a cohort's detector settings and compiles them. Throws a BadInputError naming the offending field.
 *
 * @example compileDetectors({ languages: ['en'], demo: { hashtags: ['#shipit'] } }).detect('#shipit v2 is out').demo // true
 */
export function compileDetectors(input: DetectorConfigInput | unknown = {}): Detectors {
  const parsed = DetectorConfig.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'detectors';
    throw new BadInputError(`bad detector config at ${where}: ${issue.message}`, 'see DetectorConfig in src/detectors/detectors.ts for the shape', { cause: parsed.error });
  }
  const config = parsed.data;
  const merged = (kind: 'demo' | 'blocker' | 'decision'): DetectorRules => {
    const own = config[kind] ?? { hashtags: [], phrases: [], linkHosts: [] };
    const bases = config.useDefaults ? config.languages.map((l) => DEFAULT_DETECTORS[l][kind]) : [];
    return {
      hashtags: [...bases.flatMap((b) => b.hashtags), ...own.hashtags],
      phrases: [...bases.flatMap((b) => b.phrases), ...own.phrases],
      linkHosts: [...new Set([...bases.flatMap((b) => b.linkHosts), ...own.linkHosts])],
    };
  };
  const ownQ = config.question;
  const baseQ = config.useDefaults ? config.languages.map((l) => DEFAULT_DETECTORS[l].question) : [];
  const demo = compileRules(merged('demo'));
  const blocker = compileRules(merged('blocker'));
  const decision = compileRules(merged('decision'));
  const question = compileRules({
    hashtags: [...baseQ.flatMap((b) => b.hashtags), ...(ownQ?.hashtags ?? [])],
    phrases: [...baseQ.flatMap((b) => b.phrases), ...(ownQ?.phrases ?? [])],
    linkHosts: ownQ?.linkHosts ?? [],
  });
  const questionMark = ownQ?.endsWithQuestionMark ?? true;
  const startWords = phraseRegExp([...baseQ.flatMap((b) => b.startWords), ...(ownQ?.startWords ?? [])], true);

  return {
    config,
    detect(text, links) {
      const result: Detection = { demo: false, blocker: false, decision: false, question: false };
      if (text.length === 0 && !links?.length) return result;
      // Hashtags and URLs are rare: a cheap `includes` keeps the common message off the global regexes.
      if (text.includes('#')) {
        for (const m of text.matchAll(HASHTAG)) {
          const tag = m[1]!.toLowerCase();
          if (demo.hashtags.has(tag)) result.demo = true;
          if (blocker.hashtags.has(tag)) result.blocker = true;
          if (decision.hashtags.has(tag)) result.decision = true;
          if (question.hashtags.has(tag)) result.question = true;
        }
      }
      // "Post #demo when you ship, #blocker when stuck": a message naming the tags of two kinds explains the group's
      // conventions. The kinds stay set (a recap counts every #demo), the flag lets a digest leave it out.
      if (Number(result.demo) + Number(result.blocker) + Number(result.decision) > 1) result.conventions = true;
      if (!result.blocker && blocker.phrases?.test(text)) result.blocker = true;
      if (!result.question) {
        const trimmed = text.trimEnd();
        const last = trimmed[trimmed.length - 1];
        if (questionMark && SENTENCE_QUESTION.test(trimmed)) result.question = true;
        else if (last !== '.' && last !== '!' && startWords?.test(trimmed)) result.question = true;
        else if (question.phrases?.test(text)) result.question = true;
      }
      // "Have we decided on X?" asks for a decision; it does not record one.
      if (!result.decision && !result.question && decision.phrases?.test(text)) result.decision = true;
      // A demo is something to look at: a shipping phrase with a link. A phrase alone is a progress update ("mood
      // tags shipped"), a link alone is often a recording or a sign-up sheet. Inside a question or a blocker neither
      // counts; only an explicit demo hashtag, or a link to a host the cohort listed, marks a demo on its own.
      if (!result.demo && !result.question && !result.blocker) {
        const urls: readonly string[] = links?.length ? links : text.includes('://') ? (text.match(URL_IN_TEXT) ?? []) : [];
        if (demo.hosts.length && urls.some((u) => hostMatches(u, demo.hosts))) result.demo = true;
        else if (urls.length > 0 && demo.phrases?.test(text)) result.demo = true;
      }
      return result;
    },
  };
}

// A bot's display name ends in the word "bot" or "бот" ("Cohort 7 Bot", "cohort_bot", "Напоминалка Бот"), or in
// "Bot" glued on in camel case ("LeaderboardBot"); "Abbot" and "Talbot" end in a lowercase "bot" inside a word.
const CAMEL_BOT = /[\p{Ll}\p{N}]Bot$/u;
const WORD_BOT = /(?:^|[\s_.\-·|])(?:bot|бот)$/iu;

/**
 * Whether a sender is a bot, whose posts are not a member's activity nor questions anyone owes an answer. Telegram
 * says so in live data (`peer.bot`); exports do not, so the chat's configured bot ids count, and so do the marks
 * Telegram forces on bots: a username ending in "bot", and the names bot makers give them ("Cohort 7 Bot",
 * "LeaderboardBot", "cohort_bot"). A person named "Abbot" or "Talbot" is not a bot.
 *
 * @example isBot({ id: 'user7612093345', name: 'Cohort 7 Bot' }) // true
 * @example isBot({ id: 'user1', name: 'Jane Abbot' }) // false
 */
export function isBot(peer: Peer, botIds?: ReadonlySet<string>): boolean {
  if (peer.bot === true || (botIds?.has(peer.id) ?? false) || /bot$/i.test(peer.username ?? '')) return true;
  const name = peer.name.trim();
  return WORD_BOT.test(name) || CAMEL_BOT.test(name);
}
