import type { ChatInfo, ChatMessage, Peer, Reaction } from '../../src/domain';
import { prng } from './prng';

/** Kinds of planted facts: what an organizer expects a digest to cite. */
export type FactKind = 'demo' | 'blocker' | 'decision' | 'question';

/** A generated cohort chat and what was planted in it. */
export interface PlantedCohort {
  chat: ChatInfo;
  messages: ChatMessage[];
  /** Ids of the planted facts of each kind (questions: substantive ones nobody answered). */
  facts: Record<FactKind, number[]>;
  /** The bot's posts: check-ins, leaderboards, reminders (several end with a question mark). */
  botPosts: number[];
  botId: string;
  /** Short top-level questions nobody needs answered ("anyone here?"), posted late in the range. */
  filler: number[];
  /** Planted open questions from the first half of the range: old, substantive, +1'd. */
  heavyOpen: number[];
}

export interface CohortOptions {
  seed: number;
  /** About how many messages (the planted ones and their threads included). */
  messages?: number;
  weeks?: number;
}

const START = Date.UTC(2026, 8, 7, 7, 0, 0); // a Monday
const MIN = 60_000;
const DAY = 86_400_000;

const HUMANS = [
  'Maya Goldberg', 'Tom Okafor', 'Priya Raman', 'Jonas Weber', 'Lukas Brandt', 'Дмитрий Волков', 'Аня Соколова', 'Felix Andersson',
  'Marco Rossi', 'Grace Kim', 'Chen Wei', 'Aisha Bello', 'Ravi Shah', 'Sofia Márquez', 'Hannah Lee', 'Leila Nasser', 'Isabel Costa',
  'Zara Ahmed', 'Kofi Mensah', 'Sam Patel', 'Jane Abbot', 'Yuki Tanaka', 'Nina Kowalski', 'Олег Петров', 'Ben Talbot', 'Daniel Cohen',
];
const PRODUCTS = ['Shiftly', 'Pingwell', 'Previewly', 'invoicebee', 'Tiny Tutor', 'Quietly', 'Kitchen Ledger', 'BarberSlot', 'GymBuddy', 'Pawsit', 'LedgerLens', 'ClipNotes', 'Murmur', 'FlipList', 'PaperTrail', 'SellerPulse'];
const HOSTS = ['vercel.app', 'netlify.app', 'fly.dev', 'streamlit.app', 'pages.dev'];

// Background conversations: an opening and replies that stay on the subject, as real threads do.
const TOPICS: Array<{ open: string[]; replies: string[] }> = [
  {
    open: ['How do you all handle Postgres connection pooling on serverless? My Vercel functions keep opening new connections', 'PgBouncer or Supabase pooler for a Next.js app with lots of serverless functions?'],
    replies: ['Supabase pooler in transaction mode, port 6543, fixed it for me', 'PgBouncer works but you lose prepared statements in transaction mode', 'Prisma has a connection_limit param, set it to 1 on serverless', 'pooling saved my Postgres bill honestly', 'same issue, the pooler connection string was the fix'],
  },
  {
    open: ['Landing page copy review anyone? Headline is "Invoices from receipts in one photo"', 'Rewrote my landing page hero, is the headline clear enough?'],
    replies: ['Headline is clear, but the subheadline repeats it', 'I would put the screenshot above the fold', 'Cut the second paragraph, nobody reads landing pages that far', 'The call to action says "Learn more", make it "Try it free"', 'copy is good, the hero image is confusing though'],
  },
  {
    open: ['Pricing tiers: is $9/month too cheap for a B2B tool used by small restaurants?', 'Thinking about pricing: per seat or flat monthly for teams under 10?'],
    replies: ['Too cheap. Restaurants pay $49 for worse tools', 'Flat pricing until someone complains, then add tiers', 'Annual plan with two months free converts well for us', 'Start higher, you can always discount', 'per seat pricing scares small teams'],
  },
  {
    open: ['EAS build for Android fails on the Gradle step, anyone seen "Could not resolve com.facebook.react"?', 'Expo EAS builds take 40 minutes in the free queue, worth paying?'],
    replies: ['Clear the Gradle cache and bump expo-modules-core', 'Paid EAS queue is 5 min, worth it the week before launch', 'Local builds with eas build --local are free and fast', 'Gradle errors on EAS are usually a version mismatch', 'I moved to local builds, no queue'],
  },
  {
    open: ['User interviews: how many did you do before building? I have done 3 and feel like it is not enough', 'Best way to find people for user interviews when you have zero audience?'],
    replies: ['Five interviews and the patterns repeat', 'Reddit communities, DM people who posted the problem', 'Offer a 15 min call and a gift card, works every time', 'Ask each interviewee for two more names', 'I did interviews in the Discord of a related tool'],
  },
  {
    open: ['Stripe Tax or Paddle for selling to EU customers as a solo founder?', 'VAT for digital products in the EU is a nightmare, how do you handle it?'],
    replies: ['Paddle is merchant of record, they handle VAT for you', 'Lemon Squeezy too, cheaper for small volume', 'Stripe Tax calculates but you still file the VAT returns', 'merchant of record is worth the fee at our size', 'Paddle payouts are monthly, keep that in mind'],
  },
  {
    open: ['Как вы деплоите Telegram Mini App? Я на Cloudflare Pages, но вебхуки бота отдельно', 'Где хостить бота на вебхуках, чтобы не платить за простой?'],
    replies: ['Cloudflare Workers для вебхуков, бесплатно и быстро', 'Fly.io, машина засыпает когда нет запросов', 'Я держу бота на VPS за 5 евро, вебхуки через nginx', 'вебхуки на Workers работают отлично', 'Mini App и бот на одном домене удобнее'],
  },
];
const CHITCHAT = ['good morning ☀️', 'coffee time', 'nice', 'haha', 'congrats!', '+1', 'so true', 'back from lunch', 'that call was great', 'wifi at this cafe is not working lol', 'going with the flow today', '🔥🔥', 'thanks!', 'will try', 'same here', 'love this group', 'Всем привет!', 'ахаха', 'круто'];
const FILLER_QUESTIONS = ['anyone here?', 'lol really?', "who's around?", 'is it just me or is it quiet today?', 'coffee break?', 'все тут?', 'wait what?'];
const ANSWERED_QUESTIONS: Array<[string, string]> = [
  ['Is the office hours call today or tomorrow?', 'Today at 17:00, same link'],
  ['Where is the recording of the kickoff?', 'Pinned message, top of the chat'],
  ['Does anyone have a Figma template for onboarding screens?', 'Sent you one in DM'],
  ['Кто-нибудь знает, во сколько демо-дей?', 'В пятницу в 18:00'],
];

// Planted facts, phrased as people write them; {p} product, {u} link.
const DEMOS = [
  '#demo {p} v0.2: shift swaps now notify the whole ward {u}',
  'Finally shipped {p}! Sign up, upload a CSV, get your categories → {u}',
  '{p} is live 🎉 {u} would love feedback on onboarding',
  'Here it is, the first version of {p}: {u} (mobile works too)',
  'Выкатил {p} 🚀 теперь можно записаться к мастеру прямо из чата {u}',
  'Check it out: {u} — {p} now exports to PDF',
  'Made a thing this weekend: {u} it turns lectures into notes',
  'Показываю {p}: {u} буду рад отзывам',
  'just deployed {p} to prod {u} 🙈',
];
const BLOCKERS = [
  '#blocker Stripe webhook signature verification fails in my Next.js route handler, tried the raw body and still no luck',
  "I'm stuck on OAuth callbacks: Google sign-in works on localhost but preview deployments get redirect_uri_mismatch",
  "Can't get push notifications to arrive on iOS, Android is fine. Certificates look right, tokens register",
  'Застрял с валидацией initData в Mini App, hash никогда не совпадает, делаю HMAC как в доке',
  'Не получается подключить Ozon API, на каждый запрос 429 даже при одном запросе в секунду',
  'EAS build keeps failing at the signing step since yesterday, nothing changed in my config',
  'App Store rejected my app again (Guideline 4.2), no idea what they want from a workout logger 😩',
  'Supabase RLS is driving me nuts: inserts work in the SQL editor, from the client I get permission denied',
];
const DECISIONS = [
  'Decision: office hours move to Thursdays 17:00 CET from next week',
  'We decided to keep Demo Day on Friday, with recordings allowed for people in Asia',
  "Ok, let's go with pgvector on Supabase, no separate vector DB for now",
  'Going with Expo Router instead of React Navigation, the deep linking is simpler',
  'Решили: демо по 5 минут, вопросы после каждого',
  'Договорились, созвон по четвергам в 19:00 по Москве',
  "Lemon Squeezy it is. Paddle's review would take too long",
  'Final answer on pricing: $19 flat per restaurant, no tiers until 20 customers',
];
const OPEN_QUESTIONS = [
  "Has anyone gotten WhatsApp Business API access without a registered company? Meta keeps asking for business verification documents",
  "What's the best way to run scheduled Google Sheets exports without Apps Script? I want the sheet to refresh every hour",
  'Does anyone know whether the EU AI Act transparency rules apply to a tiny side project that uses an LLM for summaries?',
  'Подскажите, как правильно считать удержание пользователей в Mini App, если нет логина?',
  'Is there a canvas library for drag-and-drop panels with snapping and PDF export that is not tldraw?',
  'Кто-нибудь подключал Kaspi Pay к боту? Документация только для юрлиц, а у меня ИП',
  'How do you price a one-off template pack versus a subscription for therapists? Thinking $29 once or $5/month',
  'Does Family Sharing work for auto-renewable subscriptions with RevenueCat in an Expo app? The docs are unclear',
];
const SOLUTIONS = ['You need the raw body, not the parsed JSON', 'Check the redirect URIs, previews need the branch alias', 'Try regenerating the key, that fixed it for me', 'Сделай очередь с паузами, лимиты по методу', 'Same happened to me, the fix was in the build profile', 'Add something app-only like widgets and resubmit'];
const RESOLUTIONS = ['fixed ✅ thanks!', 'that was it, works now', 'Заработало! Спасибо', 'ok it works now 🙏'];
const DEMO_REPLIES = ['this is great', 'installed!', 'so clean 👏', 'love the onboarding', 'what stack?', 'Next.js + Supabase', 'signed up, works on my phone', 'огонь 🔥', 'congrats!!'];

interface Draft {
  at: number;
  sender: Peer;
  text: string;
  parent?: Draft;
  reactions: Reaction[];
  links?: string[];
  id?: number;
  tag?: FactKind | 'bot' | 'filler' | 'heavy';
}

/**
 * A realistic cohort group for testing the digest: several weeks, many senders with uneven activity, a bot posting
 * check-ins, leaderboards and reminders, chit-chat, filler questions, topic threads, and planted demos, blockers,
 * decisions and open questions in varied wording (English and Russian), with replies and reactions as real chats have.
 * The same seed gives the same chat on every machine.
 */
export function generateCohort(options: CohortOptions): PlantedCohort {
  const rand = prng(options.seed);
  const total = options.messages ?? 600;
  const weeks = options.weeks ?? 4;
  const span = weeks * 7 * DAY;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const people: Peer[] = HUMANS.map((name, i) => ({ id: `user${1000 + i}`, name }));
  // Uneven activity: the first few (organizers, regulars) write most, as in every group.
  const weights = people.map((_, i) => 1 / (1 + i * 0.35));
  const sumW = weights.reduce((a, b) => a + b, 0);
  const someone = (not?: Peer): Peer => {
    for (;;) {
      let r = rand() * sumW;
      let i = 0;
      while (r > weights[i]!) r -= weights[i++]!;
      const p = people[Math.min(i, people.length - 1)]!;
      if (p !== not) return p;
    }
  };
  const bot: Peer = { id: 'user7000001', name: 'Cohort Bot' };
  const drafts: Draft[] = [];
  // Daytime in Europe, on any day of the range.
  const when = (from = 0, to = span) => START + from + Math.floor(rand() * (to - from) / DAY) * DAY + int(0, 13 * 60) * MIN;
  const post = (d: Omit<Draft, 'reactions'> & { reactions?: Reaction[] }): Draft => {
    const draft: Draft = { reactions: [], ...d };
    drafts.push(draft);
    return draft;
  };
  const reply = (parent: Draft, sender: Peer, text: string, after = int(2, 240) * MIN): Draft => post({ at: parent.at + after, sender, text, parent });
  const likes = (n: number): Reaction[] => (n <= 0 ? [] : n < 4 ? [{ emoji: '👍', count: n }] : [{ emoji: '🔥', count: Math.ceil(n / 2) }, { emoji: '👏', count: Math.floor(n / 2) }]);

  // The bot: a check-in each weekday that people answer, a leaderboard each Monday, reminders before calls.
  for (let day = 0; day < weeks * 7; day++) {
    if (day % 7 >= 5) continue;
    const checkin = post({ at: START + day * DAY + 2 * 60 * MIN, sender: bot, text: '☀️ Daily check-in: what will you ship today? Reply to this message 👇', tag: 'bot' });
    for (let i = int(1, 4); i > 0; i--) reply(checkin, someone(), pick(['landing page', 'auth flow', 'fixing bugs', 'user interviews', 'Деплой бота', 'pricing page']), int(5, 120) * MIN);
    if (day % 7 === 0 && day > 0) {
      const top = [someone(), someone(), someone()];
      post({ at: START + day * DAY + 3 * 60 * MIN, sender: bot, text: `🏆 Leaderboard, week ${day / 7}: 1. ${top[0]!.name} 2. ${top[1]!.name} 3. ${top[2]!.name}. Who takes the top spot next week?`, tag: 'bot' });
    }
    if (day % 7 === 1 || day % 7 === 3) post({ at: START + day * DAY + 9 * 60 * MIN, sender: bot, text: '⏰ Office hours in 15 minutes: https://zoom.us/j/84120937716 Got a question ready?', tag: 'bot' });
  }

  const perKind = Math.max(3, Math.round(total / 100));
  const facts: Record<FactKind, Draft[]> = { demo: [], blocker: [], decision: [], question: [] };
  const products = [...PRODUCTS];
  for (let i = 0; i < perKind; i++) {
    const product = products[i % products.length]!;
    const url = `https://${product.toLowerCase().replace(/\s+/g, '-')}.${pick(HOSTS)}`;
    const d = post({ at: when(), sender: someone(), text: DEMOS[i % DEMOS.length]!.replace('{p}', product).replace('{u}', url), links: [url], reactions: likes(int(4, 20)), tag: 'demo' });
    facts.demo.push(d);
    for (let r = int(1, 6); r > 0; r--) reply(d, someone(d.sender), pick(DEMO_REPLIES));

    // Past the first round of wordings a fact names its product, as people do ("Pawsit: EAS build keeps failing…"):
    // a chat never holds the same report twice.
    const about = (text: string, round: number) => (round > 0 ? `${product}: ${text}` : text);
    const b = post({ at: when(), sender: someone(), text: about(BLOCKERS[(i + options.seed) % BLOCKERS.length]!, Math.floor(i / BLOCKERS.length)), reactions: likes(int(0, 3)), tag: 'blocker' });
    facts.blocker.push(b);
    // Most blockers get help and a "fixed"; some wait.
    if (rand() < 0.7) {
      const helper = someone(b.sender);
      const answer = reply(b, helper, pick(SOLUTIONS));
      if (rand() < 0.5) reply(answer, someone(b.sender), '+1, had the same');
      if (rand() < 0.7) reply(answer, b.sender, pick(RESOLUTIONS), int(20, 300) * MIN);
    }

    const k = post({ at: when(), sender: i % 3 === 0 ? people[0]! : someone(), text: about(DECISIONS[(i + options.seed * 3) % DECISIONS.length]!, Math.floor(i / DECISIONS.length)), reactions: likes(int(1, 9)), tag: 'decision' });
    facts.decision.push(k);
    for (let r = int(0, 3); r > 0; r--) reply(k, someone(k.sender), pick(['👍 makes sense', 'agreed', 'works for me', 'ок, удобно', 'finally']));

    // Open questions: real problems, +1'd by a few people, never answered. Half of them early in the range.
    const early = i % 2 === 0;
    const q = post({ at: early ? when(0, span / 2) : when(span / 2), sender: someone(), text: about(OPEN_QUESTIONS[(i + options.seed * 5) % OPEN_QUESTIONS.length]!, Math.floor(i / OPEN_QUESTIONS.length)), reactions: likes(int(0, 5)), tag: early ? 'heavy' : 'question' });
    facts.question.push(q);
  }
  // Questions that did get an answer, and filler nobody needs answered (late, so recency would put them first).
  for (let i = 0; i < perKind; i++) {
    const [ask, answer] = pick(ANSWERED_QUESTIONS);
    const q = post({ at: when(), sender: someone(), text: ask });
    reply(q, someone(q.sender), answer);
  }
  for (let i = 0; i < Math.max(3, Math.round(perKind / 2)); i++) post({ at: when(span - 4 * DAY), sender: someone(), text: pick(FILLER_QUESTIONS), tag: 'filler' });
  const helpers: Draft[] = [];
  while (drafts.length < total) {
    if (rand() < 0.35) {
      const topic = pick(TOPICS);
      const root = post({ at: when(), sender: someone(), text: pick(topic.open), reactions: likes(int(0, 2)) });
      let last = root;
      for (let r = int(2, 9); r > 0; r--) last = reply(rand() < 0.6 ? root : last, someone(last.sender), pick(topic.replies), int(1, 60) * MIN);
      helpers.push(root);
    } else {
      const c = post({ at: when(), sender: someone(), text: pick(CHITCHAT), reactions: likes(rand() < 0.1 ? 1 : 0) });
      if (rand() < 0.25) reply(c, someone(c.sender), pick(['lol really?', 'haha yes', 'same', '😂']), int(1, 30) * MIN);
    }
  }

  drafts.sort((a, b) => a.at - b.at);
  drafts.forEach((d, i) => (d.id = i + 1));
  const chat: ChatInfo = { id: 2291800000 + options.seed, title: `Planted Cohort ${options.seed}`, type: 'private_supergroup' };
  const messages: ChatMessage[] = drafts.map((d) => ({
    id: d.id!,
    chatId: chat.id,
    date: new Date(d.at).toISOString(),
    sender: d.sender,
    text: d.text,
    ...(d.links ? { links: d.links } : {}),
    ...(d.parent ? { replyToId: d.parent.id! } : {}),
    reactions: d.reactions,
  }));
  const ids = (xs: readonly Draft[]) => xs.map((d) => d.id!).sort((a, b) => a - b);
  return {
    chat,
    messages,
    facts: { demo: ids(facts.demo), blocker: ids(facts.blocker), decision: ids(facts.decision), question: ids(facts.question) },
    botPosts: ids(drafts.filter((d) => d.tag === 'bot')),
    botId: bot.id,
    filler: ids(drafts.filter((d) => d.tag === 'filler')),
    heavyOpen: ids(drafts.filter((d) => d.tag === 'heavy' && d.reactions.length > 0)),
  };
}
