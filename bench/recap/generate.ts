import type { ChatMessage, Peer } from '../../src/domain';
import { prng } from '../../test/support/prng';


const FIRST = ['Anna', 'Boris', 'Chloe', 'Dmitry', 'Elena', 'Farid', 'Grace', 'Hiro', 'Irina', 'Jonas', 'Katya', 'Liam', 'Maria', 'Nikita', 'Olga', 'Pavel', 'Quinn', 'Rosa', 'Sergey', 'Tanya'];
const LAST = ['Ivanova', 'Smith', 'Petrov', 'García', 'Kim', 'Novak', 'Sokolova', 'Brown', 'Volkov', 'Müller'];

const CHATTER = [
  'morning everyone, pushing on the onboarding flow today',
  'nice work on the landing page',
  'агрегатор почти готов, осталось прикрутить оплату',
  'pairing session at 5pm if anyone wants to join',
  'спасибо, помогло!',
  'I rewrote the parser, it is twice as fast now',
  'reading the chapter on retention curves this week',
  'lol same',
  'сегодня созвон по питчам в 19:00',
  'updated the spreadsheet with user interviews',
];
const QUESTIONS = [
  'how do you handle auth callbacks on preview deployments?',
  'which vector db are people using for small projects?',
  'как вы считаете retention по когортам?',
  'does anyone have a template for the investor update?',
  'где взять тестовые данные для платежей?',
  'what is the deadline for the demo day submission?',
];
const DEMOS = [
  '#demo first version of the habit tracker is live https://habits.vercel.app',
  'shipped the Telegram bot for standups, try it out',
  'записал демо нового дашборда https://www.loom.com/share/abc123',
  '#shipped landing page + waitlist https://waitlist.netlify.app',
  'launched the beta on Product Hunt today https://www.producthunt.com/posts/focusly',
];
const BLOCKERS = [
  'stuck on Stripe webhooks returning 400 in prod',
  'застрял с деплоем на Fly, контейнер падает при старте',
  "can't figure out why the OAuth redirect loops",
  '#blocker the API quota ran out and support is silent',
];

export interface GeneratorOptions {
  seed?: number;
  chatId?: number;
  members?: number;
  /** First message id. */
  firstId?: number;
}

/**
 * A deterministic stream of cohort messages between two instants, oldest first, ids increasing: chatter, replies,
 * questions (some answered), demos, blockers, reactions, joins and leaves. Generated lazily so memory stays flat.
 */
export function* generateMessages(from: Date, to: Date, count: number, options: GeneratorOptions = {}): Generator<ChatMessage> {
  const rand = prng(options.seed ?? 42);
  const chatId = options.chatId ?? 1_234_567_890;
  const memberCount = options.members ?? 60;
  const members: Peer[] = Array.from({ length: memberCount }, (_, i) => ({
    id: `user${1000 + i}`,
    name: `${FIRST[i % FIRST.length]} ${LAST[(i * 7 + Math.floor(i / FIRST.length)) % LAST.length]}`,
  }));
  // A few people write most messages, as in every real group.
  const weights = members.map((_, i) => 1 / (i + 1.5) ** 1.1);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  weights.reduce((acc, w, i) => (cumulative[i] = acc + w / total), 0);
  const pick = (): Peer => {
    const r = rand();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return members[lo]!;
  };
  // Weekdays busier than weekends, afternoons busier than nights: a density over the hours of the span (counted
  // from `from`, a Monday midnight), sampled through its inverse CDF so times (and ids) still only grow.
  const hours = Math.max(1, Math.ceil((to.getTime() - from.getTime()) / 3_600_000));
  const dayFactor = [1.0, 1.3, 1.15, 1.2, 0.9, 0.45, 0.35];
  const cdf: number[] = [];
  let acc = 0;
  for (let h = 0; h < hours; h++) {
    const hourOfDay = h % 24;
    const hourFactor = hourOfDay < 7 ? 0.08 : hourOfDay < 10 ? 0.7 : hourOfDay < 19 ? 1.2 : 0.8;
    acc += dayFactor[Math.floor(h / 24) % 7]! * hourFactor * (0.85 + 0.3 * rand());
    cdf.push(acc);
  }
  const timeAt = (u: number): number => {
    const target = u * acc;
    let lo = 0;
    let hi = hours - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    const before = lo ? cdf[lo - 1]! : 0;
    return from.getTime() + (lo + (target - before) / (cdf[lo]! - before)) * 3_600_000;
  };
  const bot: Peer = { id: 'user999', name: 'Standup Bot', username: 'standup_bot' };
  let id = options.firstId ?? 10_000;
  for (let i = 0; i < count; i++) {
    const t = Math.min(to.getTime() - 1, timeAt((i + 0.5) / count));
    const date = new Date(t).toISOString();
    const r = rand();
    const sender = pick();
    id++;
    let m: ChatMessage;
    if (r < 0.004) {
      m = { id, chatId, date, sender, text: '', reactions: [], service: { action: 'join_group_by_link' } };
    } else if (r < 0.006) {
      m = { id, chatId, date, sender, text: '', reactions: [], service: { action: 'remove_members', members: [sender] } };
    } else if (r < 0.02) {
      m = { id, chatId, date, sender: bot, text: 'Daily standup: reply with yesterday / today / blockers', reactions: [] };
    } else if (r < 0.1) {
      m = { id, chatId, date, sender, text: QUESTIONS[Math.floor(rand() * QUESTIONS.length)]!, reactions: [] };
    } else if (r < 0.115) {
      m = { id, chatId, date, sender, text: DEMOS[Math.floor(rand() * DEMOS.length)]!, reactions: [{ emoji: '🔥', count: Math.floor(rand() * 14) }, { emoji: '👏', count: Math.floor(rand() * 6) }] };
    } else if (r < 0.125) {
      m = { id, chatId, date, sender, text: BLOCKERS[Math.floor(rand() * BLOCKERS.length)]!, reactions: [] };
    } else if (r < 0.5) {
      // A reply to one of the last ~40 messages.
      m = { id, chatId, date, sender, text: CHATTER[Math.floor(rand() * CHATTER.length)]!, replyToId: id - 1 - Math.floor(rand() * 40), reactions: rand() < 0.2 ? [{ emoji: '👍', count: 1 + Math.floor(rand() * 4) }] : [] };
    } else {
      m = { id, chatId, date, sender, text: CHATTER[Math.floor(rand() * CHATTER.length)]!, reactions: rand() < 0.15 ? [{ emoji: '❤', count: 1 + Math.floor(rand() * 5) }] : [] };
    }
    yield m;
  }
}
