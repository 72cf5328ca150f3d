import type { ChatInfo, ChatMessage } from '../../src/domain';
import { prng as rng } from '../support/prng';

const WORDS = (
  'release deploy staging review merge branch test flaky pipeline docker cache latency budget roadmap design ' +
  'meeting demo feedback customer ticket bug crash fix patch version upgrade database index query migration ' +
  'schema backup alert dashboard metric logs tracing onboarding docs question answer thanks idea proposal vote ' +
  'Привет спасибо релиз сегодня завтра вопрос ответ проблема решение 🎉 👍'
).split(' ');
const PEOPLE = ['Alice Martin', 'Bob Chen', 'Carla Diaz', 'Dmitri Ivanov', 'Eve Okafor', 'Farid Haddad', 'Greta Lind', 'Hiro Sato'];


export const PUBLIC_CHAT: ChatInfo = { id: 1234567890, title: 'Builders Club', type: 'public_supergroup', username: 'buildersclub' };
export const PRIVATE_CHAT: ChatInfo = { id: 1987654321, title: 'Cohort 7', type: 'private_supergroup' };

/**
 * `count` messages of a busy group: conversations where about a third of the messages reply to a recent one,
 * reactions, a few forwarded and media messages, about `perDay` messages a day. Ids start at `firstId`.
 */
export function buildChat(count: number, opts: { seed?: number; firstId?: number; perDay?: number; chatId?: number; topics?: number } = {}): ChatMessage[] {
  const rand = rng(opts.seed ?? 7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const perDay = opts.perDay ?? 300;
  const start = Date.UTC(2024, 2, 4, 8, 0, 0);
  const out: ChatMessage[] = [];
  for (let i = 0; i < count; i++) {
    const id = (opts.firstId ?? 1000) + i;
    const name = pick(PEOPLE);
    const words = Array.from({ length: 4 + Math.floor(rand() * 30) }, () => pick(WORDS)).join(' ');
    const day = Math.floor(i / perDay);
    const time = start + day * 86_400_000 + Math.floor(((i % perDay) / perDay) * 14 * 3_600_000);
    const m: ChatMessage = {
      id,
      chatId: opts.chatId ?? 1234567890,
      date: new Date(time).toISOString().replace('.000Z', 'Z'),
      sender: { id: `user${PEOPLE.indexOf(name) + 100}`, name },
      text: words,
      reactions: rand() < 0.2 ? [{ emoji: '👍', count: 1 + Math.floor(rand() * 9) }] : [],
    };
    if (i > 0 && rand() < 0.35) m.replyToId = id - 1 - Math.floor(rand() * Math.min(i, 12));
    if (rand() < 0.03) m.media = 'photo';
    if (rand() < 0.02) m.forwardedFrom = 'Tech News';
    if (opts.topics) m.threadId = 1 + (Math.floor(i / 7) % opts.topics);
    out.push(m);
  }
  return out;
}
