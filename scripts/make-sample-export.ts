/**
 * Writes `samples/cohort-export/result.json`: a synthetic, two-week builders' cohort group ("Build Cohort #7"),
 * exported the way Telegram Desktop writes a single chat: same field order, same 1-space-per-nesting indentation
 * (including Desktop's extra level inside `reactions`), dates in the exporting machine's local time without offset.
 *
 * The story is written by hand (intros, a demo thread, blockers, questions, Demo Day); a seeded PRNG only picks
 * timing, reaction counts and reactors, who answers the daily check-in and which cheer goes under a demo. No clock
 * is read, so two runs write byte-identical files.
 *
 * Run: `npx tsx scripts/make-sample-export.ts`
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// ---------------------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------------------

const SEED = 0x0c0407;
const CHAT_NAME = 'Build Cohort #7';
/** Bare supergroup id, as Desktop writes it (`t.me/c/2291847365/<message id>`). */
const CHAT_ID = 2291847365;
/** The exporting machine is in Europe/Berlin: UTC+1 for all of Nov 2–16, 2026 (summer time ended Oct 25). */
const UTC_OFFSET_SECONDS = 3600;
/** Monday 2026-11-02, 00:00 local, in "local seconds" (a UTC timestamp that reads as local wall time). */
const DAY_ZERO = Date.UTC(2026, 10, 2) / 1000;
/** Basic-group ids come from the exporter's own message counter; Desktop shifts them by -1e9 after a migration. */
const MIGRATED_ID_SHIFT = -1_000_000_000;
const SKIPPED = '(File not included. Change data exporting settings to download.)';
const OUT_DIR = join(__dirname, '..', 'samples', 'cohort-export');

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32)
// ---------------------------------------------------------------------------------------------------------------

let prngState = SEED >>> 0;
function rand(): number {
  prngState = (prngState + 0x6d2b79f5) >>> 0;
  let t = prngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function int(lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}
function pickIndex(weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let r = rand() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

// ---------------------------------------------------------------------------------------------------------------
// Cast
// ---------------------------------------------------------------------------------------------------------------

interface Person {
  /** Display name; null for a deleted account (Desktop writes `"from": null`). */
  name: string | null;
  id: number;
  username?: string;
  /** How talkative: drives who answers check-ins, who cheers and who reacts. */
  weight: number;
  organizer?: true;
  bot?: true;
}

const CAST = {
  maya: { name: 'Maya Goldberg', id: 184736201, username: 'mayagoldberg', weight: 4, organizer: true },
  tom: { name: 'Tom Okafor', id: 927104556, username: 'tomokafor', weight: 4, organizer: true },
  bot: { name: 'Cohort 7 Bot', id: 7612093345, username: 'cohort7bot', weight: 0, bot: true },
  priya: { name: 'Priya Raman', id: 1093847261, username: 'priyabuilds', weight: 9 },
  lukas: { name: 'Lukas Brandt', id: 352819044, username: 'lukasbrandt', weight: 8 },
  sofia: { name: 'Sofia Márquez', id: 5281937460, username: 'sofiamqz', weight: 7 },
  dmitry: { name: 'Dmitry Volkov', id: 438190275, username: 'dvolkov', weight: 7 },
  anya: { name: 'Аня Соколова', id: 5547120938, username: 'anya_sk', weight: 6 },
  jonas: { name: 'Jonas Weber', id: 61827345, username: 'jonasweb', weight: 9 },
  aisha: { name: 'Aisha Bello', id: 6049183726, username: 'aishabello', weight: 6 },
  chen: { name: 'Chen Wei', id: 1638204917, username: 'chenwei_dev', weight: 5 },
  marco: { name: 'Marco Rossi', id: 274619385, username: 'marcorossi', weight: 6 },
  hannah: { name: 'Hannah Lee', id: 5903172846, username: 'hannahlee', weight: 5 },
  kofi: { name: 'Kofi Mensah', id: 6218304957, weight: 4 },
  isabel: { name: 'Isabel Costa', id: 1447302958, username: 'isacosta', weight: 5 },
  ravi: { name: 'Ravi Shah', id: 839204716, username: 'ravishah', weight: 5 },
  nina: { name: 'Nina Kowalski', id: 5730194826, username: 'ninak', weight: 1 },
  felix: { name: 'Felix Andersson', id: 113928475, username: 'felixa', weight: 8 },
  grace: { name: 'Grace Kim', id: 1928374650, username: 'gracekim', weight: 6 },
  mateo: { name: 'Mateo Fernández', id: 5467281930, username: 'mateof', weight: 5 },
  zara: { name: 'Zara Ahmed', id: 6391047285, username: 'zara_a', weight: 4 },
  ben: { name: 'Ben Carter', id: 707182934, username: 'bencarter', weight: 3 },
  leila: { name: 'Leila Nasser', id: 1290384756, username: 'leilan', weight: 4 },
  sam: { name: 'Sam Patel', id: 6702918374, username: 'sampatel', weight: 3 },
  yuki: { name: 'Yuki Tanaka', id: 5128390476, username: 'yukit', weight: 3 },
  alex: { name: 'Alex Novák', id: 948261735, username: 'alexnovak', weight: 4 },
  olivia: { name: 'Olivia Brown', id: 6820193745, weight: 1 },
  daniel: { name: 'Daniel Cohen', id: 2038475619, weight: 1 },
  marta: { name: 'Marta Silva', id: 1784520396, username: 'martasilva', weight: 1 },
  ghost: { name: null, id: 5839201746, weight: 2 },
} satisfies Record<string, Person>;
type Who = keyof typeof CAST;
const person = (who: Who): Person => CAST[who];
const fromId = (who: Who): string => `user${CAST[who].id}`;

// ---------------------------------------------------------------------------------------------------------------
// Script model: threads of lines, timed relative to each other
// ---------------------------------------------------------------------------------------------------------------

type ReactionProfile = 'big' | 'demo' | 'win' | 'warm' | 'help' | 'ack' | 'fun' | 'love' | 'sad' | 'eyes' | 'none';

type Media =
  | { type: 'photo'; w: number; h: number }
  | { type: 'sticker'; emoji: string; animated?: boolean }
  | { type: 'voice'; seconds: number }
  | { type: 'video'; fileName: string; seconds: number; w: number; h: number }
  | { type: 'gif'; seconds: number; w: number; h: number }
  | { type: 'document'; fileName: string; mime: string }
  | { type: 'poll'; question: string; closed: boolean; answers: Array<{ text: string; voters: number; chosen?: boolean }> };

interface Timing {
  /** Wall-clock time on the thread's day, "HH:MM" (hours past 23 roll into the next day). */
  at?: string;
  /** Minutes after the previous line of the thread: a fixed number or a [min, max] range. */
  wait?: number | [number, number];
}
interface MsgLine extends Timing {
  kind: 'msg';
  by: Who;
  text: string;
  /** A name other lines can reply to or pin. */
  key?: string;
  /** Reply to the line with this key. */
  re?: string;
  react?: ReactionProfile;
  /** A premium member's custom-emoji reaction, on top of the profile. */
  customEmoji?: true;
  media?: Media;
  /** Edited this many minutes after sending. */
  edit?: number;
  fwd?: string;
  viaBot?: string;
  /** Gets cheers from the group (generated replies) — used for demos. */
  cheer?: true;
}
interface JoinLine extends Timing { kind: 'join'; by: Who }
interface LeaveLine extends Timing { kind: 'leave'; by: Who }
interface InviteLine extends Timing { kind: 'invite'; by: Who; members: Who[] }
interface PinLine extends Timing { kind: 'pin'; by: Who; target: string }
interface UnsupportedLine extends Timing { kind: 'unsupported' }
type Line = MsgLine | JoinLine | LeaveLine | InviteLine | PinLine | UnsupportedLine;

interface Thread {
  day: number;
  at: string;
  lines: Line[];
}

type MsgOpts = Omit<MsgLine, 'kind' | 'by' | 'text'>;
const say = (by: Who, text: string, o: MsgOpts = {}): MsgLine => ({ kind: 'msg', by, text, ...o });
const joins = (by: Who, o: Timing = {}): JoinLine => ({ kind: 'join', by, ...o });
const leaves = (by: Who, o: Timing = {}): LeaveLine => ({ kind: 'leave', by, ...o });
const invites = (by: Who, members: Who[], o: Timing = {}): InviteLine => ({ kind: 'invite', by, members, ...o });
const pins = (by: Who, target: string, o: Timing = {}): PinLine => ({ kind: 'pin', by, target, ...o });
const nl = (...lines: string[]): string => lines.join('\n');

const THREADS: Thread[] = [];
function thread(day: number, at: string, lines: Line[]): void {
  THREADS.push({ day, at, lines });
}

/** Day numbers: 0 is Monday Nov 2, 13 is Sunday Nov 15. */
const MON1 = 0, TUE1 = 1, WED1 = 2, THU1 = 3, FRI1 = 4, SAT1 = 5, SUN1 = 6;
const MON2 = 7, TUE2 = 8, WED2 = 9, THU2 = 10, FRI2 = 11, SAT2 = 12, SUN2 = 13;

const ZOOM = 'https://us06web.zoom.us/j/84120937716';

// ---------------------------------------------------------------------------------------------------------------
// The story, week 1: kickoff, intros, first blockers, first demos
// ---------------------------------------------------------------------------------------------------------------

// Monday: Maya welcomes everyone and pins the rules; people join through the invite link and introduce themselves.
thread(MON1, '08:52', [
  say('maya', nl(
    '**Welcome to Build Cohort #7** 👋',
    '',
    'Two weeks, one goal: __ship something a real person can use__.',
    '',
    '**How it works**',
    '• From tomorrow the bot posts a check-in every weekday at 9:00. Reply with the one thing you\'re shipping that day',
    '• Stuck for more than an hour: post it with #blocker and someone will jump in',
    '• Shipped something, however small: post it with #demo and a link',
    '• Office hours with @tomokafor, Tue + Thu 17:00 CET',
    '• **Demo Day: Friday Nov 13, 18:00 CET**',
    '',
    `Kickoff call today at 18:00 CET: [Zoom](${ZOOM})`,
    '',
    'House rules: be kind, be specific, and share links rather than screenshots of code 🙏',
  ), { key: 'welcome', react: 'big', edit: 11 }),
  pins('maya', 'welcome', { wait: 1 }),
  say('maya', nl(
    'Let\'s start with intros 👇',
    '1. Name + where you\'re based',
    '2. What you\'re building, in one sentence',
    '3. What "done" looks like for you on Nov 13',
  ), { key: 'introPrompt', wait: [5, 8], react: 'love' }),
  say('tom', 'Morning all ☕ I\'m around all day. If you\'re not sure your idea is small enough for two weeks, it probably isn\'t. Happy to help cut scope on the kickoff call.', { wait: [3, 6], react: 'ack' }),
]);

thread(MON1, '09:03', [
  joins('priya'),
  say('priya', 'Hi! Priya, London 🇬🇧 ICU nurse turned developer. Building **Shiftly**: nurses swap shifts without the 40-message WhatsApp chain. Done on Nov 13 = 5 nurses from my old ward actually swapping a shift through it.', { key: 'introPriya', re: 'introPrompt', wait: [2, 4], react: 'warm' }),
  say('maya', 'Love a goal that specific. 5 nurses, one swapped shift 👌', { re: 'introPriya', wait: [6, 14] }),
]);
thread(MON1, '09:10', [
  joins('jonas'),
  say('jonas', 'Jonas, Hamburg. Backend person (Go/Postgres, 12 years). Building Pingwell: cron job + uptime monitoring that doesn\'t cost $29/mo. Done = 10 people outside this chat monitoring something with it. Happy to help with anything Postgres.', { key: 'introJonas', re: 'introPrompt', wait: [3, 5], react: 'warm' }),
]);
thread(MON1, '09:19', [
  joins('felix'),
  say('felix', 'Hey, Felix from Stockholm. DevOps by day. Building Previewly: a GitHub Action that gives every PR its own preview environment on a $5 VPS. Done = it runs on 3 repos that aren\'t mine. Ask me about CI, Docker, DNS, the boring stuff 🙂', { key: 'introFelix', re: 'introPrompt', wait: [2, 4], react: 'warm' }),
  say('jonas', 'A preview env on a $5 VPS is something I\'d pay for tbh', { re: 'introFelix', wait: [4, 9], key: 'jonasPays' }),
  say('felix', 'you\'d be user #1 then 😄', { re: 'jonasPays', wait: [2, 5] }),
]);
thread(MON1, '09:28', [
  joins('lukas'),
  say('lukas', 'Servus, Lukas from Munich 👋 Freelance designer/dev. Building **invoicebee**: snap a photo of a receipt, get a line on your invoice. Nov 13 goal: I send my own December invoices with it.', { re: 'introPrompt', wait: [3, 5], react: 'warm' }),
]);
thread(MON1, '09:37', [
  joins('ghost'),
  say('ghost', 'hi everyone! building a shop for Notion templates for therapists (very niche I know 😄). based in Lisbon. goal: first sale before demo day', { key: 'introGhost', re: 'introPrompt', wait: [3, 6], react: 'warm' }),
  say('tom', 'Niche is good! Therapists buy templates, they hate admin.', { re: 'introGhost', wait: [10, 25] }),
]);
thread(MON1, '09:49', [
  joins('sofia'),
  say('sofia', 'Hola! Sofia, Madrid → currently Mexico City. Building **Tiny Tutor**: Spanish flashcards generated from the phrases you actually need (your job, your trip, your in-laws 😅). Done = 20 learners doing daily reviews.', { re: 'introPrompt', wait: [2, 5], react: 'warm' }),
]);
thread(MON1, '10:01', [
  joins('hannah'),
  say('hannah', 'Hi all, Hannah from Toronto (it\'s 4am here, couldn\'t sleep 🙃). Building Quietly: a Chrome extension that blocks feeds but not search. I already have a rough version, so my goal is 50 installs from strangers.', { key: 'introHannah', re: 'introPrompt', wait: [2, 4], react: 'warm' }),
  say('priya', '4am?? go back to sleep 😂', { key: 'goSleep', re: 'introHannah', wait: [3, 8] }),
  say('hannah', 'lol trying', { re: 'goSleep', wait: [1, 3] }),
]);
thread(MON1, '10:12', [
  joins('aisha'),
  say('aisha', 'Hello! Aisha, Lagos / London. Product designer. Building Kitchen Ledger: stock tracking for small restaurants that currently run on a notebook and vibes. It\'s all designed in Figma, this cohort is about actually building it 😬', { key: 'introAisha', re: 'introPrompt', wait: [3, 6], react: 'warm' }),
  say('lukas', 'Designer → builder gang 🙌 happy to swap notes, I made the same jump 2 years ago', { key: 'lukasGang', re: 'introAisha', wait: [8, 20] }),
  say('aisha', 'yes please!!', { re: 'lukasGang', wait: [2, 6] }),
]);
thread(MON1, '10:24', [
  joins('dmitry'),
  say('dmitry', nl(
    'Hi! Dmitry, Belgrade 🇷🇸 Backend dev. Building **BarberSlot**: booking for barbershops as a Telegram Mini App (no app to install, clients are already in Telegram). Goal: 2 real barbershops taking bookings through it.',
    'Привет русскоязычным, если есть 👋',
  ), { key: 'introDmitry', re: 'introPrompt', wait: [3, 5], react: 'warm' }),
]);
thread(MON1, '10:37', [
  joins('marco'),
  say('marco', 'Ciao, Marco from Milan. Building GymBuddy: log a workout in under 10 seconds, offline first (React Native + Expo). Goal: a TestFlight build with 15 gym friends using it.', { re: 'introPrompt', wait: [2, 5], react: 'warm' }),
]);
thread(MON1, '10:48', [
  joins('grace'),
  say('grace', 'Hi! Grace, Seoul → Berlin. Building Pawsit: pet sitting between neighbours, with payments, so nobody has to chase anyone for €20. Goal: first real booking paid through the app.', { re: 'introPrompt', wait: [2, 5], react: 'warm' }),
]);
thread(MON1, '11:00', [
  joins('isabel'),
  say('isabel', 'Olá! Isabel from Porto. Building **Fika**, a Slack bot that pairs teammates for random coffee chats (yes I know Donut exists; mine is for 5–30 person teams and costs less than a coffee). Goal: installed in 5 workspaces.', { re: 'introPrompt', wait: [3, 6], react: 'warm' }),
]);
thread(MON1, '11:13', [
  joins('ravi'),
  say('ravi', 'Ravi, Bangalore. Building LedgerLens: drop in your bank CSV, get your spending categorized by an LLM, no bank login needed. Goal: 30 people upload a statement.', { re: 'introPrompt', wait: [2, 4], react: 'warm' }),
]);
thread(MON1, '11:24', [
  joins('mateo'),
  say('mateo', 'Hey! Mateo from Buenos Aires. Building ClipNotes: paste a YouTube lecture, get structured notes with timestamps. Goal: my classmates use it for finals 😅', { re: 'introPrompt', wait: [2, 5], react: 'warm' }),
]);
thread(MON1, '11:38', [
  joins('zara'),
  say('zara', 'hi hi, Zara, Dubai. building Murmur: voice journaling, you talk for 2 min and it tells you the themes of your week. goal: 10 people journaling daily for a week', { re: 'introPrompt', wait: [2, 4], react: 'warm' }),
]);
thread(MON1, '11:50', [
  joins('ben'),
  say('ben', 'Ben, Manchester. Building FlipList: inventory + profit tracking for people who resell sneakers and vintage. Goal: replace my own spreadsheet 😂 then 10 resellers.', { key: 'introBen', re: 'introPrompt', wait: [2, 4], react: 'warm' }),
  say('grace', '"replace my own spreadsheet" is the most honest goal in here 😂', { re: 'introBen', wait: [10, 30], react: 'fun' }),
]);
thread(MON1, '12:03', [
  joins('leila'),
  say('leila', 'Hi everyone! Leila, Beirut → Paris. Building Tandem Table: small in-person language exchange dinners, matched by level. Goal: run 2 dinners and have people pay for the third.', { re: 'introPrompt', wait: [2, 5], react: 'warm' }),
]);
thread(MON1, '13:38', [
  say('lukas', 'Quick one: is the kickoff call recorded? I have a client call at 18:30', { key: 'lukasRecQ' }),
  say('tom', 'Yes, recording + notes go in here afterwards. Join for the first 30 min if you can, that\'s the important part (scope cutting).', { re: 'lukasRecQ', wait: [9, 16], key: 'tomRecA' }),
  say('lukas', 'perfect, thanks', { re: 'tomRecA', wait: [1, 4] }),
]);
thread(MON1, '14:09', [
  joins('chen'),
  say('chen', 'Hi, Chen from Singapore (so I\'ll be the one posting at weird hours). PhD student. Building PaperTrail: semantic search across your own research PDFs, with the exact page cited. Goal: my lab group of 8 uses it instead of Ctrl+F.', { key: 'introChen', re: 'introPrompt', wait: [3, 6], react: 'warm' }),
  say('jonas', 'PaperTrail sounds great. pgvector or a hosted vector DB?', { key: 'jonasVecQ', re: 'introChen', wait: [12, 25] }),
  say('chen', 'not decided yet, I was going to ask exactly this tomorrow 😄', { re: 'jonasVecQ', wait: [4, 10] }),
]);
thread(MON1, '14:31', [
  invites('tom', ['olivia', 'daniel']),
  say('tom', 'Welcome <@olivia> and <@daniel>! Both came in through the waitlist 🙌 Intros are a few messages up', { wait: [1, 2], react: 'ack' }),
]);
thread(MON1, '15:08', [
  say('olivia', 'Hi all! Olivia, Dublin. Building Prepped, a meal prep planner that gives you one shopping list for the week. Mostly here to stop procrastinating 🙈', { re: 'introPrompt', react: 'warm' }),
]);
thread(MON1, '15:20', [
  say('sofia', 'Does anyone else feel like their idea got 3x bigger just from writing the intro 😅', { key: 'sofiaBig', react: 'fun' }),
  say('tom', 'Yes. That\'s what tonight is for. Bring the big version, leave with the two-week version.', { re: 'sofiaBig', wait: [6, 15] }),
  say('priya', 'same lol. my intro had 4 features in my head', { re: 'sofiaBig', wait: [2, 6] }),
]);
thread(MON1, '17:45', [
  say('bot', `⏰ Kickoff call starts in 15 minutes: ${ZOOM}`),
  say('maya', 'We\'re live, come in 🎥', { at: '18:01' }),
  say('marco', 'audio dropped for me, is it just me?', { key: 'marcoAudio', wait: [14, 20] }),
  say('felix', 'fine here, try rejoining', { key: 'felixRejoin', re: 'marcoAudio', wait: [1, 2] }),
  say('marco', 'back 👍', { re: 'felixRejoin', wait: [1, 3] }),
]);
thread(MON1, '19:41', [
  say('tom', nl(
    '**Kickoff notes** 📝',
    '',
    '1. Cut your idea until it fits in two weekends. Then cut it again.',
    '2. One user, one job, one screen. Everything else is v2.',
    '3. Post progress daily, even "no progress, was sick". The check-in is the habit.',
    '4. Talk to 5 potential users **this week**, not after you\'ve built it.',
    '',
    'Recording: https://www.loom.com/share/3f1c9a0e7b2d4c58a6e1f9d2b7c4e8a1',
    'Slides: https://docs.google.com/presentation/d/1Kc7QbXw2vTq9mN4pLr8sYfZ0aHjUeGi3oDx5WnB6tCE/edit',
  ), { key: 'kickoffNotes', react: 'big' }),
  say('priya', 'Point 2 hurts. ~~Admin dashboard~~ cut 🥲', { re: 'kickoffNotes', wait: [4, 10], react: 'fun' }),
  say('ravi', 'Cutting bank login entirely, CSV upload only. Feels like cheating but ok', { key: 'raviCheat', re: 'kickoffNotes', wait: [3, 9] }),
  say('tom', 'Not cheating. People export CSVs all the time, and you\'ll learn what they actually care about before you touch a bank API.', { re: 'raviCheat', wait: [5, 12], react: 'ack' }),
  say('ghost', 'thanks for the call, super useful!', { wait: [20, 40] }),
]);
thread(MON1, '20:38', [
  joins('anya'),
  say('anya', 'Всем привет! Аня, Алматы. Делаю **SellerPulse**: аналитику для селлеров на Wildberries и Ozon, чтобы было видно, какие товары реально приносят деньги после комиссий и логистики. Цель к 13-му: 3 селлера смотрят дашборд каждый день. Пишу по-русски, но английский читаю, не стесняйтесь 🙂', { key: 'introAnya', re: 'introPrompt', wait: [9, 14], react: 'warm' }),
  say('dmitry', 'О, привет! Наконец-то я тут не один 😄 Если что, пиши в личку, помогу с ботами и мини-аппами', { key: 'dmitryHi', re: 'introAnya', wait: [8, 15] }),
  say('anya', 'Спасибо! Обязательно 🙏', { re: 'dmitryHi', wait: [3, 8] }),
]);

// Tuesday: vector DBs, Expo push, "Bubble or code?", an Ozon API answer in Russian, first office hours.
thread(TUE1, '02:14', [
  say('chen', 'Watched the recording, thanks Tom. Cutting PaperTrail down to: upload PDFs, ask a question, get an answer with the page cited. No accounts.', { re: 'kickoffNotes', react: 'ack' }),
  say('chen', 'And the question from yesterday, for the Postgres people: pgvector or Pinecone for ~50k chunks (about 400 papers)? Cost matters, I\'m a PhD student 😅', { key: 'chenVecQ', wait: [70, 90] }),
  say('jonas', nl(
    'pgvector, no contest at that size. 50k × 1536 floats is ~300MB, fits in any $10 Postgres, even the Supabase free tier. Something like:',
    '```sql',
    'create extension if not exists vector;',
    'create table chunks (',
    '  id bigserial primary key,',
    '  paper_id int not null,',
    '  page int not null,',
    '  body text not null,',
    '  embedding vector(1536)',
    ');',
    'create index on chunks using hnsw (embedding vector_cosine_ops);',
    '```',
  ), { key: 'jonasVecA', re: 'chenVecQ', at: '08:47', react: 'help' }),
  say('felix', '+1, and you get backups for free', { re: 'jonasVecA', wait: [15, 40] }),
  say('chen', 'Perfect, going with Supabase + pgvector. Thanks both!', { re: 'jonasVecA', at: '13:21' }),
]);
thread(TUE1, '08:40', [
  say('daniel', 'Daniel, Tel Aviv. Lawyer who codes a bit. Building Clausebook: a searchable library of contract clauses with plain-English explanations. Goal: 5 lawyer friends use it on a real contract.', { re: 'introPrompt', react: 'warm' }),
]);
thread(TUE1, '10:15', [
  say('marco', 'Anyone done Expo push notifications with their own backend? The docs make it look like I have to use Expo\'s push service', { key: 'marcoPushQ' }),
  say('felix', 'You can call Expo\'s push service from your own backend, it\'s one HTTP call with the Expo push token. Or get the native FCM/APNs token with `getDevicePushTokenAsync` and talk to them directly. For a two-week MVP I\'d 100% use Expo\'s service.', { key: 'felixPushA', re: 'marcoPushQ', wait: [38, 50], react: 'help' }),
  say('marco', 'ok that\'s way simpler than I thought, thanks 🙏', { re: 'felixPushA', wait: [5, 15] }),
]);
thread(TUE1, '10:20', [
  joins('kofi'),
  say('kofi', 'Hello from Accra! Kofi. Building Harvest Box: pre-orders for the farmers\' market through WhatsApp, so farmers know what to bring. Goal: 3 farmers using it at the Saturday market.', { re: 'introPrompt', wait: [4, 9], react: 'warm' }),
]);
thread(TUE1, '11:30', [
  say('aisha', 'Honest question: Bubble, or learn to code? I\'m a designer, I can kind of read React. Two weeks feels short to learn Next.js + Supabase', { key: 'aishaQ', react: 'eyes' }),
  say('priya', 'I\'d say code, but start from a template. I used the Supabase Next.js starter and had auth + a database in one afternoon', { re: 'aishaQ', wait: [9, 14] }),
  say('tom', 'Depends on what you want on Nov 13. If it\'s "restaurants use it", Bubble gets you there faster. If it\'s "I can build things now", code. Both are fine. Pick one today and don\'t switch.', { key: 'tomAishaA', re: 'aishaQ', wait: [30, 45], react: 'help' }),
  say('aisha', 'ok. Code. Starter template. Not switching. Holding myself to this 😤', { key: 'aishaCode', re: 'tomAishaA', wait: [8, 16], react: 'love' }),
  say('lukas', 'we\'ll hold you to it 😄', { re: 'aishaCode', wait: [3, 9] }),
]);
thread(TUE1, '12:48', [
  say('sofia', 'First screen of Tiny Tutor. Is "What do you need Spanish for?" too open as a first question?', { key: 'sofiaShot', media: { type: 'photo', w: 1170, h: 2532 } }),
  say('aisha', 'Maybe give 4–5 tappable options (work, travel, family, dating 👀) + "other". An empty text box scares people', { key: 'aishaChips', re: 'sofiaShot', wait: [15, 25], react: 'help' }),
  say('sofia', 'dating 😂 ok, adding it', { re: 'aishaChips', wait: [3, 8] }),
  say('leila', '+1 to chips. In my Tandem Table form most people skipped the free-text question entirely', { re: 'sofiaShot', wait: [5, 20] }),
]);
thread(TUE1, '13:05', [
  joins('nina'),
  say('nina', 'Hi, Nina from Kraków. I make small games and I\'m building a storyboard tool for indie game cutscenes. Goal: a version I use myself for my own game.', { re: 'introPrompt', wait: [20, 40], react: 'warm' }),
]);
thread(TUE1, '14:04', [
  say('anya', 'Вопрос к тем, кто работал с Ozon Seller API: какие там реальные лимиты запросов? В документации одно, а у меня 429 прилетает уже на ~20 запросах в секунду', { key: 'anyaOzonQ' }),
  say('dmitry', 'Работал немного. Лимиты там по методу, а не общие. Для `/v3/product/list` у меня выходило около 10 rps, дальше 429. Поставил очередь с паузой и ретраем по Retry-After, стало стабильно.', { key: 'dmitryOzonA', re: 'anyaOzonQ', wait: [30, 40], react: 'help' }),
  say('anya', 'О, спасибо! Не знала, что по методу. Сделаю очередь', { re: 'dmitryOzonA', wait: [8, 14] }),
  say('jonas', '(google-translated that, and yes: a token bucket per endpoint is the way)', { key: 'jonasTranslate', re: 'dmitryOzonA', wait: [10, 25], react: 'fun' }),
  say('dmitry', '😄 exactly', { re: 'jonasTranslate', wait: [2, 6] }),
]);
thread(TUE1, '16:44', [
  say('tom', 'Office hours in 15 min, same Zoom link as the kickoff. Bring one question. I\'ll take them in the order you post them here 👇', { key: 'oh1' }),
  say('isabel', 'Pricing for a Slack bot: per seat or flat?', { re: 'oh1', wait: [2, 5] }),
  say('mateo', 'How do I get first users when my users are students who ignore everything 😅', { re: 'oh1', wait: [1, 4] }),
  say('tom', 'Thanks all. Short answers from today: flat pricing until someone complains; for students, go where they already are (class group chats, not ads).', { at: '18:17', react: 'ack' }),
]);
thread(TUE1, '21:32', [
  say('hannah', 'Small win: Quietly\'s blocklist now syncs across devices with `chrome.storage.sync`. Took 20 min, I thought it would take a day', { react: 'win' }),
]);

// Wednesday: the OAuth callback blocker and its fix, the Demo Day poll, the first demo.
thread(WED1, '10:12', [
  say('lukas', '#blocker stuck on OAuth callback 😩 Google sign-in works on localhost, but on Vercel preview deployments I get `Error 400: redirect_uri_mismatch`. NextAuth v5. I added the preview URL in the Google Cloud console, but every deploy gets a new URL. How do people handle this?', { key: 'oauth', react: 'eyes' }),
  say('felix', nl(
    'Google doesn\'t allow wildcard redirect URIs, so per-deploy preview URLs will never match. Two options:',
    '1. Use the stable branch alias (`invoicebee-git-dev-lukasbrandt.vercel.app`) and register that one',
    '2. Do OAuth only on one fixed domain and redirect back',
    'Option 1 is 5 minutes.',
  ), { key: 'oauthFelix', re: 'oauth', wait: [17, 24], react: 'help' }),
  say('lukas', 'ohh, the branch alias, didn\'t know that exists. trying', { re: 'oauthFelix', wait: [6, 10] }),
  say('lukas', 'ok, progress: no more redirect_uri_mismatch, but after Google I now get `InvalidCheck: pkceCodeVerifier value could not be parsed` 🙃', { key: 'oauthPkce', re: 'oauth', wait: [38, 50] }),
  say('jonas', 'That usually means the cookie was set on one host and read on another. What\'s your `AUTH_URL`?', { key: 'oauthJonas', re: 'oauthPkce', wait: [18, 26] }),
  say('lukas', '`AUTH_URL=https://invoicebee.app` (prod)… oh.', { key: 'oauthOh', re: 'oauthJonas', wait: [3, 6], react: 'fun' }),
  say('tom', nl(
    'Yep 🙂 On previews either unset it and trust the host, or set it per environment. Something like:',
    '```bash',
    '# Vercel → Settings → Environment Variables',
    '# Production',
    'AUTH_URL=https://invoicebee.app',
    '# Preview: leave AUTH_URL unset',
    'AUTH_TRUST_HOST=true',
    '```',
  ), { re: 'oauthOh', wait: [10, 16], react: 'help' }),
  say('lukas', nl(
    '✅ fixed! AUTH_URL pointed at prod, so the PKCE cookie lived on the wrong domain. Removed it for previews + registered the branch alias in the Google console. Logged in on a preview 🎉',
    'Thanks @felixa @jonasweb @tomokafor, I would have lost a day on this',
  ), { key: 'oauthFixed', re: 'oauth', at: '13:38', edit: 3, react: 'win' }),
  say('priya', '', { re: 'oauthFixed', wait: [2, 6], media: { type: 'sticker', emoji: '🎉' } }),
]);
thread(WED1, '12:30', [
  say('maya', '', { key: 'poll', media: {
    type: 'poll', question: 'Demo Day format: what works for you?', closed: true, answers: [
      { text: '5-min live demo + 3-min Q&A', voters: 11, chosen: true },
      { text: '2-min recorded video + live Q&A', voters: 7 },
      { text: 'Async: post a Loom, discuss in the chat', voters: 3 },
    ],
  } }),
  say('maya', 'Vote by Friday 👆 I\'ll go with the majority', { wait: 1 }),
]);
thread(WED1, '15:28', [
  say('hannah', nl(
    '#demo Quietly v0.3 is on the Chrome Web Store (unlisted for now): https://chromewebstore.google.com/detail/quietly/hbpkafmcoeljgmnidnbklaefpgjhcfoe',
    'Blocks the Twitter/Instagram/YouTube home feeds, but search still works. 40-sec walkthrough: https://www.loom.com/share/8d2e61b0c4f94a7e9e3a5f1c0b7d2a64',
  ), { key: 'hannahDemo', react: 'demo', cheer: true }),
  say('mateo', 'installed! the "search still works" bit is exactly what I needed', { re: 'hannahDemo', wait: [8, 14] }),
  say('jonas', 'Does it work on Firefox? (asking for my one Firefox friend)', { key: 'hannahFirefox', re: 'hannahDemo', wait: [5, 12] }),
  say('hannah', 'Not yet. MV3 on Firefox is different enough that I parked it. After Demo Day!', { re: 'hannahFirefox', wait: [12, 20] }),
  say('maya', 'First demo of the cohort 🎉 and it\'s installable. This is the bar, folks.', { re: 'hannahDemo', wait: [10, 20], react: 'love' }),
  say('zara', 'installed, my YouTube homepage is finally blank 😌', { re: 'hannahDemo', wait: [10, 30] }),
  say('hannah', 'ahh thank you all 🥹', { wait: [5, 15] }),
]);
thread(WED1, '17:18', [
  say('anya', 'Подключила API Wildberries, первые отчёты тянутся. Очередь с паузами по совету Дмитрия спасла 🙏', { react: 'love', edit: 2 }),
]);
thread(WED1, '18:02', [
  say('ghost', 'does anyone know if Lemon Squeezy works for selling digital stuff from Portugal? Stripe wants a company', { key: 'ghostQ' }),
  say('grace', 'Yes, Lemon Squeezy is the merchant of record, so they handle VAT, and it works for individuals in the EU. Gumroad too.', { key: 'ghostA', re: 'ghostQ', wait: [28, 40] }),
  say('ghost', 'amazing thank you!', { re: 'ghostA', wait: [4, 12] }),
]);
thread(WED1, '20:08', [
  say('ben', 'Does anyone know a decent barcode scanning lib for the web? Want to scan sneaker boxes from a phone browser', { key: 'benQ' }),
  say('marco', '`html5-qrcode` worked for me. Or the native BarcodeDetector API on Android Chrome (not Safari though)', { key: 'benA', re: 'benQ', wait: [30, 45] }),
  say('ben', 'cheers, BarcodeDetector it is, iPhone people can type 😂', { re: 'benA', wait: [5, 12], react: 'fun' }),
]);

// Thursday: a Mini App auth blocker (Russian/English), the Shiftly demo thread, late joiners, unanswered WhatsApp Q.
thread(THU1, '09:41', [
  say('dmitry', '#blocker Mini App: не могу провалидировать initData на бэке, hash никогда не совпадает 🤯 Делаю HMAC-SHA256 с токеном бота, как в доке. Anyone done Telegram Mini Apps auth?', { key: 'initData', react: 'eyes' }),
  say('jonas', nl(
    'Classic one: the secret key isn\'t the bot token, it\'s HMAC-SHA256 of the token with "WebAppData" as the key. And the check string is all fields except hash, sorted, joined with newlines:',
    '```ts',
    'const secret = createHmac(\'sha256\', \'WebAppData\').update(botToken).digest();',
    'const check = [...params.entries()]',
    '  .filter(([k]) => k !== \'hash\')',
    '  .sort(([a], [b]) => a.localeCompare(b))',
    '  .map(([k, v]) => k + \'=\' + v)',
    '  .join(\'\\n\');',
    'const ok = createHmac(\'sha256\', secret).update(check).digest(\'hex\') === params.get(\'hash\');',
    '```',
  ), { key: 'initDataA', re: 'initData', wait: [20, 30], react: 'help' }),
  say('dmitry', 'Чёрт, я брал токен напрямую как ключ. Сейчас попробую', { re: 'initDataA', wait: [15, 25] }),
  say('dmitry', 'Заработало! ✅ Thanks Jonas, the WebAppData key was it. Сэкономил мне вечер', { key: 'initDataFixed', re: 'initData', wait: [18, 28], react: 'win' }),
  say('anya', 'Сохранила себе на будущее 👀', { re: 'initDataA', wait: [10, 40] }),
]);
thread(THU1, '11:04', [
  joins('sam'),
  say('sam', 'Hey! Sam, Austin TX, joining a few days late (sorry!). Building GuestBook: podcast hosts book guests without the email ping-pong. Goal: 3 podcasts booking guests through it.', { key: 'introSam', re: 'introPrompt', wait: [12, 18], react: 'warm' }),
  say('maya', 'Welcome Sam! You didn\'t miss much. The kickoff recording is in Tom\'s notes from Monday evening ☝️', { re: 'introSam', wait: [10, 20] }),
]);
thread(THU1, '11:31', [
  say('kofi', 'Has anyone gotten WhatsApp Business API access without a registered company? Meta keeps asking for business verification documents and I\'m just a guy with a spreadsheet 😅', { key: 'kofiWaQ' }),
]);
thread(THU1, '12:09', [
  say('priya', nl(
    '#demo Shiftly v0 is live 🚑',
    'Post a shift you can\'t work → nurses on your ward get a ping → one tap to take it → your manager approves. That\'s it, that\'s the app.',
    '',
    'https://shiftly-demo.vercel.app (login: demo@shiftly.app / cohort7)',
    '2-min walkthrough: https://www.loom.com/share/c41e9b7a2f0d4e6b8a1c5d3f7e9b0a2c',
    '',
    'Would love feedback on the approve flow, it feels clunky',
  ), { key: 'priyaDemo', react: 'demo', edit: 4, cheer: true }),
  say('aisha', 'How do you check that the person taking the shift is qualified for that ward? e.g. ICU vs general', { key: 'priyaQual', re: 'priyaDemo', wait: [12, 18] }),
  say('jonas', 'Clean. What\'s the stack?', { key: 'priyaStack', re: 'priyaDemo', wait: [3, 8] }),
  say('priya', 'Right now the manager approval is the check. v1 gets ward tags on profiles, so you only see shifts you can take', { re: 'priyaQual', wait: [8, 14] }),
  say('priya', 'Next.js + Supabase (auth, db, realtime for the pings) + Resend for emails, deployed on Vercel. Very boring on purpose 😄', { re: 'priyaStack', wait: [2, 5], react: 'ack' }),
  say('maya', 'This is exactly the scope I hoped for. One job, done well 🙌', { re: 'priyaDemo', wait: [15, 25] }),
  say('grace', 'The approve flow felt fine to me! Maybe show the manager who else is on that shift?', { key: 'graceIdea', re: 'priyaDemo', wait: [8, 14] }),
  say('priya', 'ooh yes, good one, adding it', { re: 'graceIdea', wait: [3, 9] }),
  say('tom', 'Now go get those 5 nurses 😉', { key: 'tomNurses', re: 'priyaDemo', wait: [40, 60] }),
  say('priya', 'Already messaged my old ward\'s group chat 🙈', { re: 'tomNurses', wait: [3, 10], react: 'fun' }),
]);
thread(THU1, '15:09', [
  say('tom', 'The fastest way to your first 10 users is boring: write to 30 people by hand, one at a time, and ask for 15 minutes. No launch, no landing page, no ads. Most founders skip it because it doesn\'t feel like building. It is building.', { fwd: 'Ship It Weekly', key: 'fwd', react: 'love' }),
  say('tom', 'This is the homework for the weekend 👆', { wait: 1 }),
]);
thread(THU1, '16:19', [
  say('grace', 'Stripe Connect question: Express or Standard for a marketplace where sitters get paid? I don\'t want to deal with their tax stuff', { key: 'graceStripeQ' }),
  say('tom', 'Express. Stripe hosts the onboarding and the tax forms, each sitter gets a dashboard link, and you take an application fee per booking. Standard is for when your users already have Stripe accounts, and sitters mostly won\'t.', { key: 'graceStripeA', re: 'graceStripeQ', at: '18:34', react: 'help' }),
  say('grace', 'Express it is. Thank you!!', { re: 'graceStripeA', wait: [12, 20] }),
]);
thread(THU1, '16:38', [
  joins('yuki'),
  say('bot', `🕔 Office hours with Tom in 15 minutes: ${ZOOM}`, { at: '16:45' }),
  say('yuki', 'Hi! Yuki, Osaka. Building Kanji Quest, a kanji game for kids (my daughter is the product manager 😄). Goal: she plays it without me asking.', { re: 'introPrompt', wait: [8, 14], react: 'love' }),
]);
thread(THU1, '19:04', [
  say('zara', '', { key: 'zaraVoice', media: { type: 'voice', seconds: 47 } }),
  say('zara', 'sorry, voice note because I\'m walking 🙈 tl;dr: the Whisper transcripts are good but the "themes" summary is generic. Should I ask people to tag their mood instead?', { key: 'zaraQ', wait: 1 }),
  say('sofia', 'Both? A mood tag is one tap and gives you something concrete to compare week to week. Then the summary can say "you were happiest on days you mentioned running"', { key: 'zaraA', re: 'zaraQ', wait: [25, 40], react: 'love' }),
  say('zara', 'ooh that\'s a good feature, stealing it', { re: 'zaraA', wait: [5, 15] }),
]);
thread(THU1, '21:12', [
  say('ravi', 'Which LLM are you all using for cheap classification? I need to categorize ~2k transactions per user and gpt-4o feels like overkill', { key: 'raviLlmQ' }),
  say('chen', 'gpt-4o-mini or Claude Haiku are both fine for that. Batch ~50 transactions per call with a fixed category list in the prompt, costs cents', { key: 'raviLlmA', re: 'raviLlmQ', at: '26:41', react: 'help' }),
  say('jonas', '+ cache by merchant name, most transactions repeat', { key: 'raviCache', re: 'raviLlmQ', at: '32:18', react: 'help' }),
  say('ravi', 'merchant cache 🤯 that cuts most of the calls. thanks both', { re: 'raviCache', wait: [20, 35] }),
]);

// Friday: show & tell, a slow pgvector query, two questions nobody picks up.
thread(FRI1, '09:18', [
  joins('alex'),
  say('alex', 'Hi all, Alex from Prague. Building Shipfolio: turn your GitHub into a portfolio site in one click. Late to the party but I move fast 🏃', { re: 'introPrompt', wait: [12, 16], react: 'warm' }),
]);
thread(FRI1, '10:14', [
  say('mateo', 'YouTube transcripts: is there an official way? The unofficial endpoints feel fragile', { key: 'mateoQ' }),
  say('felix', 'The official captions API only works for videos you own. Everyone uses yt-dlp with `--write-auto-subs` or the timedtext endpoint. Fragile, but it\'s what everyone does. Cache aggressively.', { key: 'mateoA', re: 'mateoQ', wait: [22, 30], react: 'help' }),
  say('mateo', 'ok, yt-dlp + cache. thanks', { re: 'mateoA', wait: [4, 10] }),
]);
thread(FRI1, '11:00', [
  say('maya', 'Friday show & tell 🎤 Post one thing you shipped this week, however small. Screenshot, link, one sentence, anything counts.', { key: 'showtell', react: 'love' }),
  say('lukas', 'Google login on previews 😅 and receipt upload → OCR → line item works end to end (ugly, but it works)', { re: 'showtell', wait: [6, 15] }),
  say('sofia', 'Onboarding with the chips + the first 50 cards generated for "I\'m a nurse moving to Madrid" 🇪🇸', { re: 'showtell', wait: [10, 25], media: { type: 'photo', w: 1170, h: 2532 }, react: 'love' }),
  say('ben', 'Barcode scan → item lookup → it\'s in my inventory. Scanned 43 pairs from my own stock last night 👟', { re: 'showtell', wait: [10, 30], react: 'fun' }),
  say('ravi', 'CSV upload + categories for 3 banks (HDFC, ICICI, Revolut)', { re: 'showtell', wait: [10, 30] }),
  say('isabel', 'Fika pairs people! Tested in my partner\'s company Slack: 12 people, 6 coffees booked ☕', { re: 'showtell', wait: [10, 30], react: 'win' }),
  say('dmitry', 'Бот + мини-апп: список услуг, выбор мастера, выбор слота. Оплаты пока нет', { re: 'showtell', wait: [10, 30] }),
  say('aisha', 'Stock list + "running low" alerts. My first ever deployed app 🥲', { re: 'showtell', wait: [10, 30], react: 'love' }),
  say('kofi', 'Talked to 4 farmers at the market instead of building. 3 of them want it, 1 laughed at me 😂', { key: 'kofiShow', re: 'showtell', wait: [20, 50], react: 'fun' }),
  say('tom', 'This is the most important update in this thread 👆', { re: 'kofiShow', wait: [10, 25], react: 'ack' }),
  say('grace', 'Sitter profiles + the booking request flow. No payments yet', { re: 'showtell', wait: [20, 50] }),
  say('mateo', 'Transcript fetch + notes with timestamps for videos under 1h', { re: 'showtell', wait: [20, 50] }),
  say('maya', 'Loved reading these 🧡 Week 1: most of you shipped something real. Have a good weekend, and rest a bit too.', { at: '18:31', react: 'love' }),
]);
thread(FRI1, '12:41', [
  say('nina', 'Any recommendations for a canvas library for drag-and-drop storyboard panels that isn\'t tldraw or Excalidraw? I need snapping and PDF export', { key: 'ninaQ' }),
]);
thread(FRI1, '14:09', [
  say('chen', nl(
    '#blocker pgvector search takes ~4s on 60k chunks 😭 I created the hnsw index, but EXPLAIN shows a Seq Scan. The query:',
    '```sql',
    'select id, page, body',
    'from chunks',
    'where paper_id = any($1)',
    'order by embedding <=> $2',
    'limit 8;',
    '```',
  ), { key: 'pgslow', react: 'eyes' }),
  say('jonas', 'The `where paper_id = any(...)` filter is probably making the planner skip the index. Try without the filter first to confirm. If that\'s it: take the top 50 by distance, then filter, or use partial indexes per collection. And run `analyze chunks;` after bulk inserts.', { key: 'pgslowA', re: 'pgslow', wait: [18, 26], react: 'help' }),
  say('chen', 'without the filter: 35ms 🤯 so yes, it\'s the filter', { key: 'pgslow35', re: 'pgslowA', wait: [14, 22] }),
  say('felix', 'also check `hnsw.ef_search`: the default of 40 can miss results once you filter afterwards', { re: 'pgslow35', wait: [10, 20], react: 'help' }),
  say('chen', 'Fixed: top 64 by vector, then filter by paper, ef_search = 100. 4s → 60ms ✅ Thanks Jonas & Felix!', { key: 'pgslowFixed', re: 'pgslow', at: '27:16', react: 'win' }),
]);
thread(FRI1, '16:02', [
  say('leila', 'For running paid events: Luma or Eventbrite? Eventbrite fees look brutal for €15 tickets', { key: 'leilaQ' }),
  say('isabel', 'Luma! Cleaner, and the fees are lower with Stripe payouts. I\'ve used it for meetups in Porto', { re: 'leilaQ', wait: [20, 30] }),
  say('maya', 'Luma +1. You also get the guest list as a CSV, useful for follow-ups', { re: 'leilaQ', wait: [10, 20] }),
  say('leila', 'Luma it is, thank you both ❤️', { re: 'leilaQ', wait: [5, 15] }),
]);
thread(FRI1, '20:29', [
  say('marco', 'TestFlight build uploaded, waiting for review 🤞', { react: 'ack' }),
]);

// Weekend 1: the GymBuddy demo, a barbershop field trip, rest advice, Maya's week-1 wrap.
thread(SAT1, '11:41', [
  say('marco', nl(
    '#demo GymBuddy is on TestFlight 🏋️ Log a set in 2 taps, works offline, syncs when you\'re back on wifi.',
    'Join: https://testflight.apple.com/join/Xk4pQ9rT',
    'Looking for iPhone people who actually go to the gym 😄',
  ), { key: 'marcoDemo', react: 'demo', cheer: true }),
  say('jonas', 'joined. logging my sad 3 pull-ups', { re: 'marcoDemo', wait: [10, 25], react: 'fun' }),
  say('lukas', 'Installed. The rest timer starts automatically after a set? 🔥', { key: 'marcoTimer', re: 'marcoDemo', wait: [10, 25] }),
  say('marco', 'yes! that was the whole point', { re: 'marcoTimer', wait: [3, 10] }),
  say('priya', 'Android?', { key: 'marcoAndroid', re: 'marcoDemo', wait: [15, 40] }),
  say('marco', 'Expo build for Android next week, promise', { re: 'marcoAndroid', wait: [5, 15] }),
]);
thread(SAT1, '09:47', [
  say('kofi', 'Saturday market research: farmers, a clipboard and way too many tomatoes 🍅', { media: { type: 'photo', w: 1600, h: 1200 }, react: 'love' }),
]);
thread(SAT1, '13:20', [
  say('dmitry', 'Суббота, а я сижу в барбершопе и смотрю, как они записывают клиентов в тетрадку 📒 Очень мотивирует', { key: 'barberTrip', react: 'fun' }),
  say('anya', 'Лучший user research 😄', { re: 'barberTrip', wait: [10, 30] }),
  say('dmitry', '', { wait: [2, 5], media: { type: 'sticker', emoji: '😎', animated: true } }),
]);
thread(SAT1, '16:09', [
  say('aisha', 'Weekend question: how many of you work on your project on weekends vs rest? I feel guilty either way 🙃', { key: 'aishaRestQ' }),
  say('tom', 'Rest one day. The project will still be there on Monday, and your brain keeps working on it anyway.', { re: 'aishaRestQ', wait: [40, 55], react: 'love' }),
  say('priya', 'Saturday build, Sunday nothing. Works for me', { re: 'aishaRestQ', wait: [5, 20] }),
  say('grace', 'same, Sunday is for the dog 🐶', { re: 'aishaRestQ', wait: [5, 20] }),
]);
thread(SAT1, '19:02', [
  say('ghost', 'a week in and I\'ve done more than in the last 3 months alone. thank you all 🙏', { react: 'love' }),
]);
thread(SUN1, '12:02', [
  say('sofia', 'Sunday update: 11 people doing daily reviews on Tiny Tutor. 9 of them are my friends, but still 🥲', { key: 'sofiaSun', react: 'love' }),
  say('maya', 'Friends count! Ask each of them who else should try it.', { re: 'sofiaSun', wait: [20, 50] }),
]);
thread(SUN1, '19:31', [
  say('maya', nl(
    '**Week 1 wrap** 🧡',
    '',
    '• 3 demos: Quietly, Shiftly, GymBuddy',
    '• 3 blockers solved right here in the chat: OAuth on previews, Mini App auth, slow pgvector',
    '• 26 intros, and almost everyone has talked to at least one user',
    '',
    '**Week 2 is about users.** Goal: 5 strangers touch your thing before Friday.',
    'Demo Day format, from the poll: 5-min live demo + 3-min Q&A. Sign-up sheet tomorrow.',
  ), { key: 'wk1wrap', react: 'big' }),
  say('hannah', 'Quietly is at 23 installs!! 14 of them from people I don\'t know 😭', { re: 'wk1wrap', wait: [20, 45], react: 'win' }),
]);
thread(SUN1, '21:04', [
  say('ravi', 'Sunday night deploy, what could go wrong 🙃', { key: 'raviDeploy' }),
  say('felix', 'famous last words', { re: 'raviDeploy', wait: [5, 15], react: 'fun' }),
]);

// ---------------------------------------------------------------------------------------------------------------
// The story, week 2: users, demos, a departure, Demo Day, the wrap
// ---------------------------------------------------------------------------------------------------------------

// Monday: Demo Day sign-up, a Stripe webhook blocker solved in 30 minutes, Tiny Tutor opens up, Ben bows out.
thread(MON2, '09:31', [
  say('maya', nl(
    '**Demo Day sign-up** 🎤 Friday Nov 13, 18:00 CET, 5-min demo + 3-min Q&A.',
    'Add yourself here: [sign-up sheet](https://docs.google.com/spreadsheets/d/1vQm8ZcT3rLd0FpW6bXa2NsK9jHy4EgU7iOo5Tq1Rw3Y/edit)',
    'First come, first served, 14 slots.',
  ), { key: 'signup', react: 'love' }),
  say('priya', 'In! Slot 1, because going first is less scary than waiting 😅', { re: 'signup', wait: [4, 9] }),
  say('lukas', 'in', { re: 'signup', wait: [2, 10] }),
  say('dmitry', 'записался 👍', { re: 'signup', wait: [10, 40] }),
  say('chen', 'Demo Day is 1am my time, so I\'ll record mine and post it here if that\'s ok 😴', { key: 'chenAsync', re: 'signup', wait: [10, 60] }),
  say('maya', 'Totally fine, we\'ll play it in the break', { re: 'chenAsync', wait: [10, 30] }),
]);
thread(MON2, '11:19', [
  say('grace', '#blocker Stripe webhook signature verification fails in my Next.js route handler: `No signatures found matching the expected signature for payload`. The secret is right (copied from `stripe listen`). What am I missing?', { key: 'stripeBlk', react: 'eyes' }),
  say('jonas', nl(
    'You\'re probably calling `req.json()` before verifying. Stripe needs the raw body:',
    '```ts',
    'export async function POST(req: Request) {',
    '  const body = await req.text();',
    '  const sig = req.headers.get(\'stripe-signature\')!;',
    '  const event = stripe.webhooks.constructEvent(body, sig, process.env.STRIPE_WEBHOOK_SECRET!);',
    '  // ...',
    '}',
    '```',
  ), { key: 'stripeA', re: 'stripeBlk', wait: [12, 18], react: 'help' }),
  say('grace', 'THAT was it. req.json() first, then JSON.stringify back 🤦‍♀️ Works now ✅ thank you!!', { key: 'stripeFixed', re: 'stripeA', wait: [12, 18], react: 'win' }),
]);
thread(MON2, '14:00', [
  say('sofia', nl(
    '#demo Tiny Tutor is open to everyone 🇪🇸 Tell it why you need Spanish, get a daily 5-min deck built for you.',
    'https://tinytutor.vercel.app',
    '13 daily learners, 4 of them strangers from a Reddit post 🎉',
  ), { key: 'sofiaDemo', react: 'demo', cheer: true }),
  say('leila', 'Signed up with "I\'m moving to Barcelona for a job" and the first card was "Where do I pick up my NIE?" 😂 scarily accurate', { key: 'sofiaNie', re: 'sofiaDemo', wait: [15, 30], react: 'fun' }),
  say('sofia', 'hahaha that IS the #1 Barcelona phrase', { re: 'sofiaNie', wait: [3, 10] }),
  say('mateo', 'Argentinian Spanish option pls 🇦🇷 vos instead of tú', { key: 'sofiaVos', re: 'sofiaDemo', wait: [10, 30] }),
  say('sofia', 'added to the list! vos mode 😄', { re: 'sofiaVos', wait: [3, 12] }),
  say('jonas', 'How do you generate the decks, one LLM call per user per day?', { key: 'sofiaCost', re: 'sofiaDemo', wait: [20, 60] }),
  say('sofia', 'One call per topic, cached and shared between users with similar topics. Costs me about $0.40/day right now', { re: 'sofiaCost', wait: [10, 30], react: 'ack' }),
]);
thread(MON2, '14:48', [
  say('chen', 'For the recorded demos: how long should they be? And should I show the PDF upload or skip straight to asking a question?', { key: 'chenLiveQ' }),
  say('maya', '3 minutes max. Skip the upload and start with a question your lab actually asked, then show the page it opens. Same advice for the live ones 😉', { key: 'chenLiveA', re: 'chenLiveQ', wait: [25, 35], react: 'help' }),
  say('chen', '3 min, start with the question. Got it', { re: 'chenLiveA', wait: [5, 15] }),
]);
thread(MON2, '16:31', [
  say('tom', 'Week 2 office hours: Tue + Thu 17:00 as usual, plus a **Demo Day rehearsal** on Thursday at 19:00 for anyone who wants a dry run.', { react: 'ack' }),
]);
thread(MON2, '19:44', [
  say('ben', 'Folks, I\'m going to bow out of the cohort 😞 Picked up a contract that eats all my evenings until Christmas. FlipList isn\'t dead, just parked. Rooting for all of you, please post the Demo Day recording 🙏', { key: 'benBye', react: 'sad' }),
  say('maya', 'Thanks for telling us, Ben, and good luck with the contract! The door is open for cohort #8 🧡', { re: 'benBye', wait: [10, 25] }),
  say('lukas', '43 pairs scanned is more than most people ship in two weeks, come back to it!', { re: 'benBye', wait: [5, 30] }),
]);

// Tuesday: Ben leaves, invoicebee and Previewly demos, Slack review blocker, Telegram Stars in Russian, pricing.
thread(TUE2, '08:14', [leaves('ben')]);
thread(TUE2, '10:29', [
  say('lukas', nl(
    '#demo invoicebee works end to end 🐝 Photo of a receipt → line item with the VAT split → PDF invoice in your own template.',
    'https://invoicebee.app (Google login, which works on previews too now 😅)',
    'Sent my first real invoice with it this morning 💶',
  ), { key: 'lukasDemo', react: 'demo', cheer: true }),
  say('felix', 'The VAT split is so nice. Does it handle several VAT rates on one receipt? (German supermarket receipts have 7% and 19%)', { key: 'lukasVat', re: 'lukasDemo', wait: [10, 25] }),
  say('lukas', 'Yes! That was the first bug I found with my own receipts 😂', { re: 'lukasVat', wait: [4, 12] }),
  say('tom', '"Sent my first real invoice": that was your goal. Done ✅', { re: 'lukasDemo', wait: [30, 60], react: 'love' }),
]);
thread(TUE2, '11:47', [
  say('jonas', '/streak@cohort7bot', { key: 'streakJonas' }),
  say('bot', '🔥 Jonas Weber: 6 check-ins in a row. Keep going!', { re: 'streakJonas', wait: 0 }),
]);
thread(TUE2, '12:16', [
  say('daniel', 'Is anyone building with LLMs in the EU thinking about the AI Act? I\'m trying to work out whether the transparency rules apply to a tiny tool like mine, and what disclaimer people actually show users', { key: 'danielQ' }),
]);
thread(TUE2, '12:58', [
  say('felix', nl(
    '#demo Previewly v0.1 🚀 Add one workflow step and every PR gets its own preview on your own VPS, torn down on merge:',
    '```yaml',
    '- uses: felixa/previewly@v0',
    '  with:',
    '    host: ${{ secrets.PREVIEW_HOST }}',
    '    ssh-key: ${{ secrets.PREVIEW_SSH_KEY }}',
    '    domain: preview.example.dev',
    '```',
    'Repo: https://github.com/felixa/previewly',
    'Already running on 2 repos that aren\'t mine (thanks @jonasweb) 🙏',
  ), { key: 'felixDemo', react: 'demo', cheer: true }),
  say('jonas', 'Can confirm, Pingwell PRs get previews now. Setup took 10 min, most of it DNS', { re: 'felixDemo', wait: [10, 20], react: 'fun' }),
  say('alex', 'using it for Shipfolio tonight', { key: 'alexPreviewly', re: 'felixDemo', wait: [15, 40] }),
  say('felix', '🙌', { re: 'alexPreviewly', wait: [2, 10] }),
]);
thread(TUE2, '15:39', [
  say('isabel', '#blocker Slack rejected Fika from the App Directory: "missing privacy policy and support page". I have neither 🙈 Does anyone have a sane template for a tiny app?', { key: 'slackBlk', react: 'eyes' }),
  say('maya', 'We have one from cohort #5, adapt freely: [privacy policy template](https://docs.google.com/document/d/1pQ8sLmWc4Rj7TnVb2Xk9YzA3eHg6FuD0iKo5NtE1qBs/edit). For support, a page with an email address is enough.', { key: 'slackA', re: 'slackBlk', wait: [22, 30], react: 'help' }),
  say('felix', 'Put both on a GitHub Pages site, takes 15 min', { re: 'slackBlk', wait: [4, 10] }),
  say('isabel', 'Thank you!! Resubmitting tonight 🤞', { re: 'slackA', wait: [15, 25] }),
  say('isabel', 'Approved by Slack ✅🎉 Fika is in the App Directory!', { key: 'slackFixed', re: 'slackBlk', at: '34:52', react: 'win' }),
]);
thread(TUE2, '16:45', [
  say('bot', `🕔 Office hours with Tom in 15 minutes: ${ZOOM}`),
]);
thread(TUE2, '18:29', [
  say('dmitry', 'Кто-нибудь принимал оплату через Telegram Stars в мини-аппе? Хочу брать предоплату за запись, чтобы клиенты не пропадали', { key: 'starsQ' }),
  say('anya', 'Да, делала для бота с отчётами. Через `createInvoiceLink` с валютой XTR, provider_token пустой. Вывести деньги можно только через Fragment и с задержкой ~21 день, учти', { key: 'starsA', re: 'starsQ', wait: [30, 40], react: 'help' }),
  say('dmitry', 'О, про 21 день не знал, спасибо! Для предоплаты норм', { re: 'starsA', wait: [6, 15] }),
]);
thread(TUE2, '20:21', [
  say('priya', 'Pricing question: do hospitals pay per ward, or do nurses pay themselves? Nurses love it but have zero budget; managers have budget but hate new software 🙃', { key: 'priceQ' }),
  say('tom', 'Nurses free, wards pay. Your wedge is nurses asking their manager for it. Ask one manager this week: "would you pay €49/month per ward to stop handling swaps on WhatsApp?" and watch their face.', { key: 'priceA', re: 'priceQ', at: '32:52', react: 'help' }),
  say('priya', 'Doing this tomorrow, I know exactly which manager 😈', { re: 'priceA', wait: [8, 20], react: 'fun' }),
]);

// Wednesday: BarberSlot and LedgerLens demos, an App Store rejection that stays open, Quietly hits 100.
thread(WED2, '12:02', [
  say('dmitry', nl(
    '#demo BarberSlot живой! 💈 Открываете в Telegram → выбираете мастера → слот → готово, мастер получает уведомление.',
    'Try it: https://t.me/barberslot_bot/app',
    'Первый барбершоп (Belgrade, Dorćol) уже принимает записи: 9 записей за 2 дня 🔥',
  ), { key: 'dmitryDemo', react: 'demo', customEmoji: true, cheer: true }),
  say('jonas', 'Tried it, super smooth. Does the barber see bookings in the bot chat or in a separate admin?', { key: 'dmitryAdmin', re: 'dmitryDemo', wait: [10, 25] }),
  say('dmitry', 'Пока в чате бота, admin panel next week. Barbers actually love the chat, they live in Telegram anyway', { re: 'dmitryAdmin', wait: [5, 15] }),
  say('anya', 'Очень круто выглядит! Особенно выбор слота 😍', { re: 'dmitryDemo', wait: [15, 40] }),
  say('maya', '9 bookings in 2 days from a real shop. Dmitry 👏👏', { re: 'dmitryDemo', wait: [20, 50], react: 'love' }),
]);
thread(WED2, '13:01', [
  say('hannah', 'Quietly hit 100 installs 🎉 The Chrome Web Store listing is public now: https://chromewebstore.google.com/detail/quietly/hbpkafmcoeljgmnidnbklaefpgjhcfoe', { react: 'win' }),
]);
thread(WED2, '14:32', [
  say('ravi', nl(
    '#demo LedgerLens on Streamlit: https://ledgerlens.streamlit.app',
    'Upload a CSV from HDFC, ICICI, Revolut or Wise → categories + a "where did my money go" chart. Nothing is stored, the CSV is processed in memory.',
    '31 uploads so far, the goal was 30 ✅',
  ), { key: 'raviDemo', react: 'demo', cheer: true }),
  say('chen', 'merchant cache working? 😄', { key: 'raviCacheQ', re: 'raviDemo', wait: [15, 40] }),
  say('ravi', '72% cache hit rate. LLM bill this week: $0.31', { re: 'raviCacheQ', wait: [5, 15], react: 'fun' }),
  say('grace', 'Tried it with Revolut, it put my vet bills under "Health" 😂 technically correct', { re: 'raviDemo', wait: [20, 60], react: 'fun' }),
]);
thread(WED2, '15:58', [
  say('marco', '#blocker App Store rejected GymBuddy: Guideline 4.2, Minimum Functionality. It\'s a workout logger, what more do they want 😩', { key: 'appStore', react: 'sad' }),
  say('felix', 'Common with simple apps. What usually helps: add something clearly app-only (HealthKit sync, widgets, notifications) and explain it in the review notes.', { key: 'appStoreFelix', re: 'appStore', wait: [25, 35], react: 'help' }),
  say('hannah', 'The Chrome store rejected me once for something similar. Replying in the Resolution Center with a short video of the real use case helped', { re: 'appStore', wait: [10, 20] }),
  say('marco', 'Adding HealthKit + rest-timer notifications and resubmitting. Fingers crossed for Demo Day, TestFlight still works in the meantime', { re: 'appStoreFelix', wait: [25, 40] }),
]);
thread(WED2, '20:31', [
  say('yuki', 'Does Family Sharing work for auto-renewable subscriptions with RevenueCat in an Expo app? The docs are unclear and I don\'t want to charge a family twice', { key: 'yukiQ' }),
]);
thread(WED2, '21:03', [
  say('zara', 'Mood tags shipped (thanks Sofia!). 8 people journaling daily, 3 of them strangers from a TikTok comment 🙈', { react: 'love' }),
]);

// Thursday: run-of-show pinned, three more demos, rehearsal, nerves.
thread(THU2, '10:02', [
  say('maya', nl(
    '**Demo Day run-of-show** 📋 Friday 18:00 CET, same Zoom link. 12 live demos, 5 min each + Q&A, short break at 19:00.',
    '1. Priya: Shiftly',
    '2. Lukas: invoicebee',
    '3. Sofia: Tiny Tutor',
    '4. Dmitry: BarberSlot',
    '5. Ravi: LedgerLens',
    '6. Felix: Previewly',
    '7. Aisha: Kitchen Ledger',
    '8. Grace: Pawsit',
    '9. Mateo: ClipNotes',
    '10. Anya: SellerPulse',
    '11. Alex: Shipfolio',
    '12. Isabel: Fika',
    'Chen (1am in Singapore) and Kofi (market day) are async, we\'ll play their recordings in the break.',
  ), { key: 'runofshow', media: { type: 'document', fileName: 'Demo Day run-of-show.pdf', mime: 'application/pdf' }, edit: 26, react: 'love' }),
  pins('maya', 'runofshow', { wait: 1 }),
]);
thread(THU2, '11:29', [
  say('alex', '#demo Shipfolio: log in with GitHub, pick 3 repos, get a portfolio at you.shipfolio.dev. Mine: https://alexnovak.shipfolio.dev (PR previews by Previewly 😉)', { key: 'alexDemo', react: 'demo', cheer: true }),
  say('felix', 'first Previewly user in the wild 🥹', { re: 'alexDemo', wait: [5, 15], react: 'love' }),
  say('sam', 'Generated mine in 40 seconds. Can I hide forks?', { key: 'alexForks', re: 'alexDemo', wait: [15, 40] }),
  say('alex', 'Shipping "hide forks" tonight', { re: 'alexForks', wait: [5, 15] }),
]);
thread(THU2, '12:03', [
  say('anya', 'Кто-нибудь делал выгрузку в Google Sheets по расписанию без Apps Script? Хочу, чтобы у селлера таблица сама обновлялась раз в час, а не по кнопке', { key: 'anyaSheetsQ' }),
]);
thread(THU2, '13:28', [
  say('isabel', nl(
    '#demo Fika is live in the Slack App Directory ☕ https://fika.coffee',
    'Pairs your teammates every Monday, suggests a time, and posts a recap of who met. 5 workspaces installed (goal ✅), 2 of them found me through the directory!',
  ), { key: 'isabelDemo', react: 'demo', cheer: true }),
]);
thread(THU2, '14:59', [
  say('jonas', nl(
    '#demo Pingwell: cron + uptime monitoring, one line in your crontab:',
    '`curl -fsS https://pingwell.dev/p/<your-key>`',
    '12 people outside this chat use it, most found it through a HN comment 🙂 Free for 20 checks: https://pingwell.dev',
  ), { key: 'jonasDemo', react: 'demo', cheer: true }),
  say('lukas', 'using it for invoicebee\'s nightly backups, it already caught one failing job 🙏', { re: 'jonasDemo', wait: [15, 40], react: 'ack' }),
]);
thread(THU2, '13:52', [
  say('chen', nl(
    '#demo PaperTrail, recorded because Demo Day is 1am for me 😴 https://www.loom.com/share/9a7c3e1f5b2d4086a4c6e8f0b1d3f5a7',
    'Drop in your PDFs, ask a question, get an answer with the paper and page cited (click → opens the PDF on that page).',
    'My lab group (8 people) onboarded on Monday. 212 questions asked this week, mostly by my supervisor 😅',
  ), { key: 'chenDemo', react: 'demo', cheer: true }),
  say('jonas', 'Citations that open on the right page is the feature. And 60ms search, I see 😉', { re: 'chenDemo', wait: [15, 35], react: 'fun' }),
]);
thread(THU2, '15:41', [
  say('priya', nl(
    '{q}watch their face{/q}',
    'Report: she laughed, then asked whether it also works for the night-shift rota 😂 Pilot on her ward from December!',
  ), { re: 'priceA', react: 'win' }),
]);
thread(THU2, '21:02', [
  say('maya', 'Tomorrow\'s surprise guest: ||Marta from cohort #6, whose app now pays her rent|| 🤫', { react: 'eyes' }),
]);
thread(THU2, '16:11', [
  say('sam', 'Is the rehearsal tonight recorded? I can only make the last 20 min', { key: 'samRehQ' }),
  say('tom', 'Not recorded, but come for the last 20 and I\'ll do yours first when you join', { key: 'samRehA', re: 'samRehQ', wait: [8, 14] }),
  say('sam', 'legend', { re: 'samRehA', wait: [2, 6] }),
]);
thread(THU2, '16:45', [
  say('bot', `🕔 Office hours with Tom in 15 minutes: ${ZOOM}`),
]);
thread(THU2, '18:02', [
  say('kofi', 'I can\'t make Demo Day live (market prep on Friday evenings 🥬). OK if I post async tomorrow?', { key: 'kofiAsync' }),
  say('maya', 'Of course! Post a Loom and we\'ll play it in the break', { re: 'kofiAsync', wait: [10, 20] }),
]);
thread(THU2, '18:59', [
  say('tom', `Rehearsal room is open: ${ZOOM} 🎤`),
  say('tom', nl(
    'Rehearsal notes, for everyone:',
    '• Start with the user\'s problem, not your stack',
    '• Show the thing in the first 60 seconds',
    '• One number if you have it (users, bookings, installs)',
    '• End with what you need: testers, intros, feedback',
  ), { key: 'rehNotes', at: '20:46', react: 'big' }),
  say('aisha', 'my hands are already shaking and it\'s tomorrow 🫠', { key: 'aishaNerves', wait: [30, 50] }),
  say('priya', 'you\'ll be great, your app is gorgeous', { re: 'aishaNerves', wait: [4, 10] }),
  say('grace', 'we\'re all shaking 🫶', { re: 'aishaNerves', wait: [3, 12], react: 'love' }),
]);

// Friday: Demo Day.
thread(FRI2, '09:58', [
  say('grace', nl(
    '#demo Pawsit takes real money now 🐾 Book a sitter → pay by card → the sitter gets paid out after the visit via Stripe Connect.',
    'https://pawsit.app',
    'First real booking yesterday: a cat named Biscuit, 3 visits, €45',
  ), { key: 'graceDemo', react: 'demo', cheer: true }),
]);
thread(FRI2, '11:21', [
  say('mateo', nl(
    '#demo ClipNotes 📝 Paste a YouTube link, get notes with clickable timestamps. Works for lectures up to 3h.',
    'https://clipnotes.app',
    'My study group used it on the whole econ midterm playlist, 38 videos 😅',
  ), { key: 'mateoDemo', react: 'demo', cheer: true }),
]);
thread(FRI2, '13:15', [
  joins('marta'),
  say('marta', 'Hi! Cohort #6 alum here, Maya invited me to watch Demo Day 👀 good luck everyone!', { wait: [3, 6], react: 'warm' }),
]);
thread(FRI2, '17:45', [
  say('bot', nl(
    `🎤 **Demo Day starts in 15 minutes!** ${ZOOM}`,
    'The run-of-show is pinned ☝️',
  )),
  say('maya', 'We\'re live! 🎉', { at: '18:01', react: 'love' }),
  say('jonas', 'Priya\'s approve flow is so much better than last week', { at: '18:09' }),
  say('lukas', '🔥🔥🔥', { wait: [4, 7] }),
  say('priya', nl(
    '#demo Shiftly v1, for the recording: ward tags, the manager sees who else is on the shift, and… my old ward\'s manager said yes to a pilot 🥹',
    'https://shiftly-demo.vercel.app',
  ), { key: 'priyaDemo2', wait: [2, 4], react: 'demo' }),
  say('sofia', 'the "vos mode" shoutout 😂 Mateo you\'re famous', { wait: [2, 6] }),
  say('anya', 'BarberSlot 🔥 Дима, огонь!', { wait: [5, 8] }),
  say('dmitry', 'Спасибо 🙏', { wait: [1, 3] }),
  say('zara', 'The LedgerLens chart is beautiful, what lib is that?', { key: 'zaraChart', wait: [6, 10] }),
  say('hannah', 'Felix just said "DNS is always the problem" and 14 people nodded', { wait: [4, 8], react: 'fun' }),
  say('ravi', 'Plotly! Streamlit makes it trivial', { re: 'zaraChart', wait: [12, 18] }),
  say('kofi', nl(
    '#demo Harvest Box (async, sorry, market prep 🥬): https://www.loom.com/share/5b2e8f1d9c3a4e7f8b6d0a2c4e1f3b5d',
    'Pre-orders for 3 farmers at the Osu Saturday market. No WhatsApp API in the end: a Google Form + a sheet + me sending the messages by hand. 47 pre-orders last Saturday 🍅',
  ), { key: 'kofiDemo', at: '19:02', react: 'demo', cheer: true }),
  say('tom', '"me sending the messages by hand" 👏 exactly the right way to start', { re: 'kofiDemo', wait: [3, 8], react: 'love' }),
  say('aisha', '#demo Kitchen Ledger, in case my Zoom dies during the live demo 😅 Stock counts from your phone in the walk-in, "running low" alerts, a weekly order list. Two restaurants in Lagos have been testing it since Tuesday.', { key: 'aishaDemo', wait: [5, 9], react: 'demo', cheer: true, media: { type: 'video', fileName: 'kitchen-ledger-demo.mp4', seconds: 94, w: 1920, h: 1080 } }),
  say('priya', 'Aisha!!! From Figma to two real restaurants in 11 days 👏👏', { re: 'aishaDemo', wait: [4, 8], react: 'love' }),
  say('tom', 'Told you code was the right call 😉', { re: 'aishaDemo', wait: [2, 6] }),
  say('anya', nl(
    '#demo SellerPulse 📊 Дашборд для селлеров WB/Ozon: реальная маржа по каждому товару после комиссий, логистики и возвратов.',
    'https://sellerpulse.vercel.app (демо-аккаунт, данные обезличены)',
    '3 селлера смотрят его каждый день, цель выполнена ✅',
  ), { key: 'anyaDemo', wait: [15, 22], react: 'demo', cheer: true }),
  say('dmitry', 'Аня, супер! The margin-after-returns view is killer', { re: 'anyaDemo', wait: [3, 8] }),
  say('maya', nl(
    'That\'s a wrap on Demo Day 🎉🎉 12 live demos + 2 async. I\'m so proud of this group.',
    'Recording: https://www.loom.com/share/0e4d7c2b9a8f4b1e6c3d5a7f9b2e4c6a',
    'If you demoed, post your one number in this thread 👇',
  ), { key: 'ddWrap', at: '20:09', react: 'big' }),
  say('maya', 'Class photo 📸', { wait: [1, 2], media: { type: 'photo', w: 2560, h: 1440 }, react: 'big' }),
  say('priya', '1 ward pilot 🚑', { re: 'ddWrap', wait: [2, 5] }),
  say('lukas', '3 invoices sent, 2 of them not by me', { re: 'ddWrap', wait: [1, 4] }),
  say('dmitry', '23 записи', { re: 'ddWrap', wait: [1, 4] }),
  say('mateo', '', { re: 'ddWrap', wait: [1, 3], viaBot: '@gif', media: { type: 'gif', seconds: 3, w: 480, h: 270 } }),
  say('grace', '1 booking, €45, 1 cat 🐱', { re: 'ddWrap', wait: [1, 4], react: 'fun' }),
  say('isabel', '5 workspaces', { re: 'ddWrap', wait: [1, 4] }),
  say('sofia', '17 daily learners', { re: 'ddWrap', wait: [1, 4] }),
  say('ravi', '31 uploads, $0.31 of LLM', { re: 'ddWrap', wait: [1, 4] }),
  say('felix', '4 repos', { re: 'ddWrap', wait: [2, 6] }),
  say('alex', '19 portfolios', { re: 'ddWrap', wait: [1, 4] }),
  say('aisha', '2 restaurants 🥹', { re: 'ddWrap', wait: [1, 4], react: 'love' }),
  say('anya', '3 селлера', { re: 'ddWrap', wait: [1, 5] }),
  say('marco', 'Still "In Review" 🙃 so no Demo Day slot for GymBuddy. Will post when Apple decides my fate', { re: 'appStore', wait: [8, 15] }),
]);

// Weekend 2: first payout, a lurker's thank-you, how to keep going, the wrap.
thread(SAT2, '04:11', [
  say('chen', 'Couldn\'t stay up (3am here 😅) but watched the whole recording. So many good ones, and seeing my video play in the break was surreal. PaperTrail update: my lab group used it for our Monday reading group 📚', { react: 'love' }),
]);
thread(SAT2, '10:28', [
  say('grace', 'The first payout landed in Biscuit\'s sitter\'s account 😭 the system works', { media: { type: 'photo', w: 1170, h: 1560 }, react: 'win' }),
]);
thread(SAT2, '11:02', [{ kind: 'unsupported' }]);
thread(SAT2, '12:00', [
  say('leila', 'Tandem Table dinner #2 tonight: 8 people, 4 languages, 1 very patient restaurant 🍝 The third one goes on Luma with paid tickets next week', { react: 'love' }),
]);
thread(SAT2, '14:02', [
  say('sam', 'Post-Demo-Day question: how do you all keep momentum after a cohort ends? Asking before I slide back into my old habits 😅', { key: 'samMomentumQ' }),
  say('jonas', 'Public commitment. I post a weekly changelog on Pingwell\'s site, even if it\'s one line', { re: 'samMomentumQ', wait: [35, 45] }),
  say('tom', 'Keep this chat alive, and keep a weekly check-in with 1–2 people from here. Accountability pairs beat willpower.', { key: 'pairs', re: 'samMomentumQ', wait: [25, 35], react: 'love' }),
  say('sofia', 'I\'m in for pairs!', { re: 'pairs', wait: [5, 15] }),
  say('sam', 'same, who\'s up?', { re: 'pairs', wait: [3, 10] }),
  say('alex', 'me 🙋', { re: 'pairs', wait: [5, 20] }),
]);
thread(SAT2, '17:58', [
  say('olivia', 'I didn\'t post much but I read everything. Prepped has 6 users (all family 😂) and I actually finished something for once. Thank you all 🙏', { key: 'oliviaThanks', react: 'big' }),
  say('nina', 'Same as Olivia, I mostly lurked. The storyboard tool exports PDFs now and I used it for my own cutscene. That was my goal, so ✅', { key: 'ninaThanks', wait: [60, 90], react: 'love' }),
  say('maya', 'That counts! Both of you, thank you for sticking around 🧡', { re: 'ninaThanks', wait: [20, 40] }),
]);
thread(SAT2, '21:03', [
  say('ravi', 'Wrote up what I learned building LedgerLens in two weeks: https://ravishah.dev/posts/ledgerlens-two-weeks', { react: 'love' }),
]);
thread(SUN2, '11:00', [
  say('maya', nl(
    '**That\'s a wrap on Build Cohort #7** 🧡',
    '',
    '• 14 demos on Demo Day, 6 of them with paying or real users',
    '• 6 blockers posted, 5 solved right here (Marco, Apple still owes you an answer)',
    '• 1 barbershop, 2 restaurants, 3 farmers, 1 cat named Biscuit',
    '',
    'This chat stays open. Cohort #8 starts in January, tell your friends.',
    'Feedback form (5 min, it helps a lot): [feedback](https://forms.gle/7Qx3dRk9LmP2vTa86)',
  ), { key: 'wrap', react: 'big' }),
  say('priya', 'Best two weeks of my year. Thank you Maya & Tom 🙏', { re: 'wrap', wait: [10, 30], react: 'love' }),
  say('dmitry', 'Спасибо огромное! Было очень круто 🔥', { re: 'wrap', wait: [10, 40] }),
  say('jonas', 'Good group. Ping me if Postgres hurts.', { re: 'wrap', wait: [10, 40], react: 'fun' }),
  say('anya', 'Спасибо за всё! Увидимся в чате 🙂', { re: 'wrap', wait: [10, 40] }),
  say('aisha', 'I came in with a Figma file and I\'m leaving with two restaurants. Thank you 🥹', { re: 'wrap', wait: [10, 40], react: 'love' }),
  say('lukas', 'Thanks all! Invoicing you all in December 🐝', { re: 'wrap', wait: [10, 40], react: 'fun' }),
]);
thread(SUN2, '12:10', [
  say('tom', 'Proud of you all. My DMs stay open, and alumni office hours are on the first Thursday of each month.', { react: 'love' }),
]);
thread(SUN2, '18:41', [
  say('marco', 'Resubmitted with a video of the rest timer in the gym. Still waiting 🤞', { re: 'appStore' }),
]);
thread(SUN2, '20:02', [
  say('zara', 'late to the thank-yous but: thank you 🫶 Murmur is at 11 daily journalers', { react: 'love' }),
]);

// ---------------------------------------------------------------------------------------------------------------
// Procedural parts: the bot's daily check-ins (answered from each member's own progress lines) and cheers
// ---------------------------------------------------------------------------------------------------------------

interface Progress {
  text: string;
  /** First and last check-in day on which the line is true to the story. */
  from: number;
  to: number;
}
const w1 = (text: string, from = TUE1, to = FRI1): Progress => ({ text, from, to });
const w2 = (text: string, from = MON2, to = FRI2): Progress => ({ text, from, to });

/**
 * What each member answers to the daily check-in, in story order. A line is only used on a day inside its window,
 * so whichever day the PRNG picks, nobody reports starting something they demoed the day before.
 */
const PROGRESS: Partial<Record<Who, Progress[]>> = {
  priya: [
    w1('Supabase auth + the wards table today', TUE1, WED1),
    w1('Realtime pings when a shift is posted. Testing with two browser windows like a maniac', TUE1, WED1),
    w1('Manager approval screen, then I\'m calling it v0', WED1, WED1),
    w1('Fixing the timezone bug that showed night shifts on the wrong day 🙃'),
    w1('Feedback round with 2 nurses tonight', THU1, FRI1),
    w2('Ward tags on profiles', MON2, WED2),
    w2('Showing the manager who else is on the shift (thanks Grace)', MON2, WED2),
    w2('Weekly email for managers: who swapped what'),
    w2('Polishing the demo account data', WED2, FRI2),
    w2('Practising my demo in front of my cat', THU2, FRI2),
  ],
  lukas: [
    w1('Receipt upload + OCR with Google Vision', TUE1, WED1),
    w1('Parsing totals out of the OCR text. German receipts are chaos', TUE1, THU1),
    w1('Line items from receipts: merchant, date, total, VAT'),
    w1('Invoice PDF template, finally something pretty', THU1, FRI1),
    w2('Several VAT rates per receipt', MON2, MON2),
    w2('Custom invoice numbering (my accountant insists)'),
    w2('Onboarding for people who aren\'t me'),
    w2('Demo prep + fixing the PDF font on Windows', WED2, FRI2),
  ],
  sofia: [
    w1('Deck generation prompt v3, v2 wrote way too formal Spanish'),
    w1('Onboarding flow (the chips version 😄)', WED1, FRI1),
    w1('Spaced repetition schedule, stealing from SM-2'),
    w1('Sending the link to 15 friends', THU1, FRI1),
    w2('Replying to everyone from the Reddit post 🙈'),
    w2('Audio pronunciation on every card'),
    w2('Vos mode 🇦🇷', TUE2, FRI2),
    w2('Streak reminders by email'),
  ],
  dmitry: [
    w1('Бот + вебхук на Go, сегодня список услуг', TUE1, WED1),
    w1('Mini App: выбор мастера и слота', TUE1, THU1),
    w1('Авторизация пользователей в мини-аппе', TUE1, THU1),
    w1('Показал прототип барберу, он хочет уведомления в Telegram. Логично', THU1, FRI1),
    w2('Уведомления мастеру в чат', MON2, TUE2),
    w2('Второй барбершоп, созвон в четверг', MON2, WED2),
    w2('Предоплата звёздами', WED2, FRI2),
    w2('Готовлю демо, перевожу интерфейс на английский для показа', THU2, FRI2),
  ],
  anya: [
    w1('Схема данных: товары, продажи, комиссии', TUE1, WED1),
    w1('Считаю маржу после комиссии и логистики'),
    w1('Дашборд на Next.js, графики на Recharts', WED1, FRI1),
    w1('Созвонилась с двумя селлерами, обоим нужна выгрузка в таблицу'),
    w2('Возвраты в расчёте маржи: оказалось, это половина боли'),
    w2('Ozon API через очередь, 429 больше нет'),
    w2('Дашборд для третьего селлера', MON2, THU2),
    w2('Демо-аккаунт с обезличенными данными', WED2, FRI2),
  ],
  jonas: [
    w1('Pingwell: check-in endpoint + grace periods', TUE1, WED1),
    w1('Email + Telegram alerts'),
    w1('Landing page. I hate writing copy'),
    w1('Posted in a HN thread about cron monitoring, 6 signups', THU1, FRI1),
    w2('Public status pages (read-only)'),
    w2('Stripe for the paid tier'),
    w2('Fixing a timezone bug in cron parsing (it\'s always timezones)'),
    w2('A changelog page, so people see it\'s alive'),
  ],
  aisha: [
    w1('Supabase starter running locally!! first time I\'ve seen my own database 😭', WED1, THU1),
    w1('Stock list screen from my Figma', WED1, FRI1),
    w1('Deployed to Vercel. It\'s live. It\'s ugly. It\'s mine.', THU1, FRI1),
    w1('Running-low alerts', THU1, FRI1),
    w2('Offline mode, the walk-in fridge has no signal 🥶'),
    w2('Weekly order list generated from stock levels'),
    w2('Mobile layout for counting stock with one hand'),
    w2('Recording a backup demo video', THU2, FRI2),
  ],
  chen: [
    w1('Supabase + pgvector set up, embedding 400 PDFs', WED1, THU1),
    w1('Page-level chunking so citations point at the right page', WED1, FRI1),
    w1('Answers with citations, first version', THU1, FRI1),
    w1('Making search faster, it\'s sloooow on the full set', THU1, FRI1),
    w2('Upload UI for the lab', MON2, TUE2),
    w2('Citations open the PDF at the right page', MON2, WED2),
    w2('Per-user collections so the lab doesn\'t see my drafts 🙈'),
    w2('Answer quality: fewer "the paper doesn\'t say" replies'),
  ],
  marco: [
    w1('Set logging screen', TUE1, WED1),
    w1('Offline storage with SQLite', TUE1, THU1),
    w1('Rest timer + haptics', WED1, FRI1),
    w1('TestFlight build', THU1, FRI1),
    w2('Android build with EAS'),
    w2('Workout history charts'),
    w2('Rest-timer notifications', THU2, FRI2),
    w2('Waiting on Apple 🙃', THU2, FRI2),
  ],
  hannah: [
    w1('Options page', TUE1, WED1),
    w1('Store listing copy + screenshots', TUE1, WED1),
    w1('Onboarding tooltip, testers didn\'t find the options page', THU1, FRI1),
    w2('Keyboard shortcut to pause blocking for 5 min'),
    w2('Firefox port spike (just looking)'),
    w2('Replying to my first 1-star review 😬', THU2, FRI2),
  ],
  kofi: [
    w1('Visiting farmers at the market'),
    w1('Google Form for pre-orders'),
    w1('Figuring out the WhatsApp API… or not', TUE1, THU1),
    w2('Sending pre-order messages by hand to 60 customers'),
    w2('A sheet that sums orders per farmer'),
    w2('A price list per farmer in the form'),
  ],
  isabel: [
    w1('Slack OAuth + install flow', TUE1, WED1),
    w1('Pairing algorithm (no repeats for 4 weeks)', TUE1, THU1),
    w1('Testing in my partner\'s workspace', THU1, FRI1),
    w2('Admin settings: pick the channel and the pairing day'),
    w2('Recap message after each round'),
    w2('Pricing page: €9/month, flat'),
  ],
  ravi: [
    w1('CSV parsers for HDFC and ICICI', TUE1, WED1),
    w1('Category prompt v1', TUE1, THU1),
    w1('Revolut and Wise formats', WED1, FRI1),
    w1('Merchant cache, thanks Jonas', FRI1, FRI1),
    w1('Streamlit UI'),
    w2('Charts', MON2, TUE2),
    w2('Posted on r/IndiaInvestments', MON2, TUE2),
    w2('Privacy note: nothing is stored'),
    w2('Writing a blog post about it', THU2, FRI2),
  ],
  nina: [w1('Panel grid with drag and drop'), w2('PDF export')],
  felix: [
    w1('Docker Compose per PR, Caddy in front'),
    w1('Wildcard TLS via the DNS challenge'),
    w1('Teardown on merge'),
    w2('README + an example workflow', MON2, MON2),
    w2('Monorepo support'),
    w2('Cleanup job for stale previews'),
  ],
  grace: [
    w1('Sitter profiles', TUE1, WED1),
    w1('Booking request + accept flow', WED1, FRI1),
    w1('Stripe Connect Express onboarding', FRI1, FRI1),
    w2('Payments with Stripe Connect', MON2, TUE2),
    w2('Payout once the visit is marked done', TUE2, THU2),
    w2('Cancellation + refund flow'),
  ],
  mateo: [
    w1('Transcript fetch', TUE1, THU1),
    w1('Notes prompt with timestamps'),
    w1('Chunking for long lectures'),
    w2('Playlist mode'),
    w2('Share notes with a link'),
    w2('Support for lectures in Spanish'),
  ],
  zara: [
    w1('Recording + upload', TUE1, WED1),
    w1('Whisper transcripts', TUE1, THU1),
    w1('Weekly themes summary', WED1, FRI1),
    w2('Mood tags', MON2, WED2),
    w2('Weekly email with your themes'),
    w2('Onboarding copy, people didn\'t get what "themes" means'),
  ],
  ben: [w1('Barcode scanning', THU1, FRI1), w1('Item lookup via a sneaker database API'), w1('Profit per item')],
  leila: [w1('Matching form by language + level'), w1('First dinner booked: 6 people, Thursday', TUE1, THU1), w2('Dinner #2 planning'), w2('Luma page for paid tickets')],
  sam: [w1('Calendar integration with Cal.com', FRI1, FRI1), w2('Guest intake form'), w2('Outreach to 10 podcast hosts'), w2('2 hosts trying it 🎙️', WED2, FRI2)],
  yuki: [w1('Kanji card game loop', FRI1, FRI1), w2('Stroke order animations'), w2('My daughter approved the new level 👧')],
  alex: [w1('GitHub login + repo picker', FRI1, FRI1), w2('Portfolio templates (3 of them)', MON2, WED2), w2('Custom domains')],
  olivia: [w1('Recipe input'), w2('Shopping list merge')],
  daniel: [w1('Clause database schema'), w2('Plain-English explanations for 40 clauses')],
  ghost: [w1('Designing the first 5 templates'), w1('Landing page')],
};

const CHECKIN_DAYS = [TUE1, WED1, THU1, FRI1, MON2, TUE2, WED2, THU2, FRI2];
const WEEKDAY = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function checkinText(day: number): string {
  if (day === FRI2) return nl('☀️ **Daily check-in**: Demo Day 🎤', 'What\'s the one thing you\'ll finish before 18:00? Reply to this message 👇');
  const label = day === MON2 ? 'Monday, week 2' : WEEKDAY[day % 7]!;
  return nl(`☀️ **Daily check-in**: ${label}`, 'What\'s the one thing you\'ll ship today? Reply to this message 👇');
}

/** Short cheers under demos, general enough to fit any of them; each is used once. */
const CHEERS = [
  '🔥🔥🔥', 'this is so good', 'congrats!!', 'huge 👏', 'love this', 'bookmarking this', 'this is really polished 👌', 'clean!',
  'sending this to a friend who needs it', 'wow, in two weeks?', 'ok this is actually useful', 'go go go 🚀',
  'trying it right now', 'super smooth', 'nice one!', 'love the name', 'trying it tonight', 'this made my day',
  '👏👏👏', 'you make it look easy', 'can\'t wait to see v2', 'shipped is better than perfect, and this is both 😄',
  'so cool!', 'the pitch is so clear', 'so proud of this group 🥹', 'this is 🤌',
];

// ---------------------------------------------------------------------------------------------------------------
// Timeline: threads → timed events, membership, generated lines, ids
// ---------------------------------------------------------------------------------------------------------------

interface TimedLine {
  /** Local wall-clock seconds (see DAY_ZERO). */
  t: number;
  /** Order in the script: breaks ties between lines sent in the same second. */
  seq: number;
  line: Line;
  id?: number;
}

let seqCounter = 0;
function clock(day: number, hhmm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`bad time "${hhmm}"`);
  return DAY_ZERO + day * 86400 + Number(m[1]) * 3600 + Number(m[2]) * 60;
}
function waitSeconds(wait: Timing['wait']): number {
  if (wait === undefined) return int(60, 6 * 60);
  if (typeof wait === 'number') return wait === 0 ? int(1, 3) : wait * 60 + int(0, 30);
  return int(wait[0] * 60, wait[1] * 60);
}

function materialize(threads: readonly Thread[]): TimedLine[] {
  const out: TimedLine[] = [];
  for (const th of threads) {
    let prev: number | undefined;
    for (const line of th.lines) {
      let t: number;
      if (line.at !== undefined) t = clock(th.day, line.at) + int(0, 59);
      else if (prev === undefined) t = clock(th.day, th.at) + int(0, 59);
      else t = prev + waitSeconds(line.wait);
      if (prev !== undefined && t <= prev) throw new Error(`line at ${line.at ?? '?'} on day ${th.day} comes before the line it follows`);
      out.push({ t, seq: seqCounter++, line });
      prev = t;
    }
  }
  return out;
}

/** When each member was in the group: [joined, left). Organizers and the bot are there from the start. */
function membership(events: readonly TimedLine[]): Map<Who, [number, number]> {
  const spans = new Map<Who, [number, number]>();
  for (const who of ['maya', 'tom', 'bot'] as const) spans.set(who, [0, Infinity]);
  for (const e of [...events].sort((a, b) => a.t - b.t)) {
    const l = e.line;
    if (l.kind === 'join') spans.set(l.by, [e.t, Infinity]);
    if (l.kind === 'invite') for (const m of l.members) spans.set(m, [e.t, Infinity]);
    if (l.kind === 'leave') {
      const span = spans.get(l.by);
      if (!span) throw new Error(`${l.by} leaves without having joined`);
      span[1] = e.t;
    }
  }
  return spans;
}
function presentAt(spans: Map<Who, [number, number]>, who: Who, t: number): boolean {
  const span = spans.get(who);
  return span !== undefined && span[0] < t && t < span[1];
}

const members = (Object.keys(CAST) as Who[]).filter((w) => !person(w).organizer && !person(w).bot);

/** Picks up to n distinct people, weighted by how talkative they are. */
function pickPeople(candidates: readonly Who[], n: number): Who[] {
  const pool = [...candidates];
  const chosen: Who[] = [];
  while (chosen.length < n && pool.length > 0) {
    const i = pickIndex(pool.map((w) => person(w).weight));
    chosen.push(pool[i]!);
    pool.splice(i, 1);
  }
  return chosen;
}

/** The bot's weekday check-ins at 9:00, each answered by a handful of members with a progress line true that day. */
function checkins(spans: Map<Who, [number, number]>): TimedLine[] {
  const out: TimedLine[] = [];
  const used = new Set<Progress>();
  const nextLine = (who: Who, day: number) => PROGRESS[who]?.find((p) => !used.has(p) && p.from <= day && day <= p.to);
  for (const day of CHECKIN_DAYS) {
    const key = `checkin${day}`;
    const t0 = clock(day, '09:00') + int(2, 20);
    out.push({ t: t0, seq: seqCounter++, line: say('bot', checkinText(day), { key }) });
    const open = members.filter((m) => nextLine(m, day) !== undefined);
    const count = day === FRI2 ? int(3, 4) : day < MON2 ? int(4, 7) : int(4, 5);
    for (const who of pickPeople(open, count)) {
      const t = t0 + int(3 * 60, 4 * 3600);
      if (!presentAt(spans, who, t)) continue;
      const line = nextLine(who, day)!;
      used.add(line);
      out.push({ t, seq: seqCounter++, line: say(who, line.text, { re: key }) });
    }
  }
  return out;
}

/** One or two short cheers under each demo, from members who were around, some as replies. */
function cheers(events: readonly TimedLine[], spans: Map<Who, [number, number]>): TimedLine[] {
  const out: TimedLine[] = [];
  const left = [...CHEERS];
  for (const e of events) {
    const l = e.line;
    if (l.kind !== 'msg' || !l.cheer || !l.key) continue;
    const n = rand() < 0.35 ? 2 : 1;
    const crowd = members.filter((m) => m !== l.by && m !== 'ghost' && presentAt(spans, m, e.t));
    for (const who of pickPeople(crowd, n)) {
      if (left.length === 0) break;
      const text = left.splice(int(0, left.length - 1), 1)[0]!;
      const delay = int(4 * 60, 150 * 60);
      // Right under the demo a bare "🔥🔥" reads fine; an hour later it has to quote what it cheers.
      const reply = delay > 12 * 60 || rand() < 0.5;
      out.push({ t: e.t + delay, seq: seqCounter++, line: say(who, text, reply ? { re: l.key } : {}) });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Text: a small markup → Telegram's text parts (what Desktop writes to `text` and `text_entities`)
// ---------------------------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Part {
  type: string;
  text: string;
  /** Desktop's one extra field: href, user_id, language or document_id. */
  extra?: [string, string | number];
}

/**
 * Markup: ```lang\ncode\n``` (pre), `code`, **bold**, __italic__, ~~strike~~, ||spoiler||, [label](url) (text_link),
 * <@key> (mention_name: a member without a username), {q}…{/q} (blockquote). Links, emails, @mentions, #hashtags
 * and /commands in the remaining text become entities the way Telegram detects them.
 */
const MARKUP = /```([\w+-]*)\n([\s\S]*?)\n```|`([^`\n]+)`|\*\*([\s\S]+?)\*\*|__([\s\S]+?)__|~~([\s\S]+?)~~|\|\|([\s\S]+?)\|\||\[([^\]\n]+)\]\(([^)\s]+)\)|<@(\w+)>|\{q\}([\s\S]+?)\{\/q\}/g;
const AUTO = /https?:\/\/[^\s]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}|(?<![\w@])@[A-Za-z]\w{3,31}|(?<![\w#&/])#[\p{L}_][\p{L}\p{N}_]*|(?<!\S)\/[a-z_]+(?:@\w+)?(?=\s|$)|(?<![\w./@-])(?:[a-z0-9-]+\.)+(?:com|app|dev|io|me|so|ru|ai|org|net)(?:\/[^\s]*)?(?![\w-])/giu;

function autoParts(text: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  AUTO.lastIndex = 0;
  for (let m = AUTO.exec(text); m; m = AUTO.exec(text)) {
    let found = m[0];
    const isUrl = /^https?:/i.test(found) || (!found.includes('@') && !found.startsWith('#') && !found.startsWith('/'));
    if (isUrl) {
      // Trailing punctuation ends a sentence, not the link.
      found = found.replace(/[.,;:!?)\]]+$/, '');
      AUTO.lastIndex = m.index + found.length;
    }
    if (m.index > last) parts.push({ type: 'plain', text: text.slice(last, m.index) });
    const type = isUrl ? 'link' : found.startsWith('@') ? 'mention' : found.startsWith('#') ? 'hashtag' : found.startsWith('/') ? 'bot_command' : 'email';
    parts.push({ type, text: found });
    last = m.index + found.length;
  }
  if (last < text.length) parts.push({ type: 'plain', text: text.slice(last) });
  return parts;
}

function parseMarkup(src: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  MARKUP.lastIndex = 0;
  for (let m = MARKUP.exec(src); m; m = MARKUP.exec(src)) {
    if (m.index > last) parts.push(...autoParts(src.slice(last, m.index)));
    if (m[2] !== undefined) parts.push({ type: 'pre', text: m[2], extra: ['language', m[1] ?? ''] });
    else if (m[3] !== undefined) parts.push({ type: 'code', text: m[3] });
    else if (m[4] !== undefined) parts.push({ type: 'bold', text: m[4] });
    else if (m[5] !== undefined) parts.push({ type: 'italic', text: m[5] });
    else if (m[6] !== undefined) parts.push({ type: 'strikethrough', text: m[6] });
    else if (m[7] !== undefined) parts.push({ type: 'spoiler', text: m[7] });
    else if (m[8] !== undefined) parts.push({ type: 'text_link', text: m[8], extra: ['href', m[9]!] });
    else if (m[10] !== undefined) {
      const who = m[10] as Who;
      if (!(who in CAST) || !person(who).name) throw new Error(`unknown mention <@${m[10]}>`);
      parts.push({ type: 'mention_name', text: person(who).name!, extra: ['user_id', person(who).id] });
    } else if (m[11] !== undefined) parts.push({ type: 'blockquote', text: m[11] });
    last = m.index + m[0].length;
  }
  if (last < src.length) parts.push(...autoParts(src.slice(last)));
  return parts;
}

function partObject(p: Part): Json {
  const o: { [key: string]: Json } = { type: p.type, text: p.text };
  if (p.extra) o[p.extra[0]] = p.extra[1];
  return o;
}
/** Desktop: a lone plain part is written as a string, anything with formatting as an array; entities always as objects. */
function textFields(src: string): { text: Json; text_entities: Json } {
  const parts = parseMarkup(src);
  const text: Json = parts.length === 0 ? '' : parts.length === 1 && parts[0]!.type === 'plain' ? parts[0]!.text : parts.map((p) => (p.type === 'plain' ? p.text : partObject(p)));
  return { text, text_entities: parts.map(partObject) };
}

// ---------------------------------------------------------------------------------------------------------------
// Reactions
// ---------------------------------------------------------------------------------------------------------------

/** Emoji, then the [min, max] count. Only emoji from Telegram's default reaction set. */
const PROFILES: Record<Exclude<ReactionProfile, 'none'>, Array<[string, number, number]>> = {
  big: [['❤', 9, 16], ['🔥', 3, 8], ['🎉', 2, 6]],
  demo: [['🔥', 6, 13], ['❤', 2, 5], ['👏', 1, 5], ['🤯', 0, 2]],
  win: [['🎉', 4, 9], ['🔥', 1, 4], ['🙏', 0, 2]],
  warm: [['❤', 1, 4], ['🤗', 0, 2], ['👍', 0, 2]],
  help: [['🙏', 1, 3], ['💯', 0, 2], ['👍', 0, 3]],
  ack: [['👍', 1, 4]],
  fun: [['😁', 1, 5], ['🤣', 0, 2]],
  love: [['❤', 2, 7], ['🥰', 0, 2]],
  sad: [['❤', 5, 9], ['😢', 2, 4], ['🙏', 0, 2]],
  eyes: [['👀', 1, 3]],
};
const LIGHT: ReadonlyArray<Array<[string, number, number]>> = [[['👍', 1, 2]], [['❤', 1, 2]], [['😁', 1, 2]], [['🔥', 1, 2]]];
/** How long after a message reactions keep coming: a pinned welcome collects them for days. */
const REACTION_WINDOW: Partial<Record<ReactionProfile, number>> = { big: 3 * 86400, demo: 2 * 86400, win: 86400, sad: 86400 };
/** A premium member's custom emoji (a document id from a public emoji pack). */
const CUSTOM_EMOJI_DOCUMENT = '5377305978079288312';
/** Desktop lists the most recent reactors, newest first; the API returns only a few. */
const RECENT_MAX = 3;
/** The export was taken the morning after the cohort ended. */
const EXPORTED_AT = clock(14, '09:30');

function localIso(t: number): string {
  return new Date(t * 1000).toISOString().slice(0, 19);
}
function unixString(t: number): string {
  return String(t - UTC_OFFSET_SECONDS);
}

function reactionsFor(e: TimedLine, spans: Map<Who, [number, number]>): Json[] | undefined {
  const l = e.line;
  if (l.kind !== 'msg' || l.by === 'bot' || l.react === 'none') return undefined;
  let profile = l.react ? PROFILES[l.react] : undefined;
  if (!profile) {
    if (rand() >= 0.22) return undefined;
    profile = LIGHT[int(0, LIGHT.length - 1)]!;
  }
  // Anyone in the group during the message's reaction window may react, including people who join after it.
  const window = REACTION_WINDOW[l.react ?? 'none'] ?? 8 * 3600;
  const span = (who: Who): [number, number] => {
    const [joined, left] = spans.get(who) ?? [Infinity, Infinity];
    return [Math.max(e.t, joined) + 20, Math.min(e.t + window, left, EXPORTED_AT) - 1];
  };
  const everyone: Who[] = [...members, 'maya', 'tom'];
  // The deleted account reacts to nothing; Anya's custom emoji on the BarberSlot demo is her one reaction there.
  const pool = everyone.filter((m) => m !== l.by && m !== 'ghost' && !(l.customEmoji && m === 'anya') && span(m)[0] < span(m)[1]);
  // Most reactions come soon after the message is read; the cube skews the delay toward the start of the window.
  const recentOf = (who: Who): { who: Who; t: number } => {
    const [from, to] = span(who);
    return { who, t: from + Math.floor((to - from) * rand() ** 3) };
  };
  const entries: Array<{ json: Json; count: number }> = [];
  for (const [emoji, lo, hi] of profile) {
    const count = Math.min(int(lo, hi), pool.length);
    if (count === 0) continue;
    const who = pickPeople(pool, count);
    for (const w of who) pool.splice(pool.indexOf(w), 1);
    const recent = who.map(recentOf).sort((a, b) => b.t - a.t).slice(0, RECENT_MAX);
    entries.push({ count, json: { type: 'emoji', count, emoji, recent: recent.map(recentJson) } });
  }
  if (l.customEmoji) {
    entries.push({ count: 1, json: { type: 'custom_emoji', count: 1, document_id: CUSTOM_EMOJI_DOCUMENT, recent: [recentJson(recentOf('anya'))] } });
  }
  // The server sorts reactions by how many people chose them.
  return entries.length ? entries.map((x, i) => ({ ...x, i })).sort((a, b) => b.count - a.count || a.i - b.i).map((x) => x.json) : undefined;
}
function recentJson(r: { who: Who; t: number }): Json {
  return { from: person(r.who).name, from_id: fromId(r.who), date: localIso(r.t) };
}

// ---------------------------------------------------------------------------------------------------------------
// Messages in Desktop's field order
// ---------------------------------------------------------------------------------------------------------------

function mediaFields(media: Media): { [key: string]: Json } {
  switch (media.type) {
    case 'photo':
      return { photo: SKIPPED, photo_file_size: int(90_000, 420_000), width: media.w, height: media.h };
    case 'sticker':
      return {
        file: SKIPPED, file_name: media.animated ? 'AnimatedSticker.tgs' : 'sticker.webp', file_size: int(18_000, 60_000),
        thumbnail: SKIPPED, thumbnail_file_size: int(4_000, 12_000), media_type: 'sticker', sticker_emoji: media.emoji,
        mime_type: media.animated ? 'application/x-tgsticker' : 'image/webp', width: 512, height: 512,
      };
    case 'voice':
      return { file: SKIPPED, file_size: media.seconds * int(1_900, 2_300), media_type: 'voice_message', mime_type: 'audio/ogg', duration_seconds: media.seconds };
    case 'video':
      return {
        file: SKIPPED, file_name: media.fileName, file_size: media.seconds * int(180_000, 260_000), thumbnail: SKIPPED,
        thumbnail_file_size: int(12_000, 30_000), media_type: 'video_file', mime_type: 'video/mp4',
        duration_seconds: media.seconds, width: media.w, height: media.h,
      };
    case 'gif':
      return {
        file: SKIPPED, file_name: 'giphy.mp4', file_size: int(150_000, 600_000), thumbnail: SKIPPED,
        thumbnail_file_size: int(3_000, 9_000), media_type: 'animation', mime_type: 'video/mp4',
        duration_seconds: media.seconds, width: media.w, height: media.h,
      };
    case 'document':
      return { file: SKIPPED, file_name: media.fileName, file_size: int(80_000, 400_000), mime_type: media.mime };
    case 'poll':
      return {
        poll: {
          question: media.question, closed: media.closed, total_voters: media.answers.reduce((s, a) => s + a.voters, 0),
          answers: media.answers.map((a) => ({ text: a.text, voters: a.voters, chosen: a.chosen === true })),
        },
      };
  }
}

function head(id: number, type: string, t: number, edited?: number): { [key: string]: Json } {
  const o: { [key: string]: Json } = { id, type, date: localIso(t), date_unixtime: unixString(t) };
  if (edited !== undefined) {
    o.edited = localIso(edited);
    o.edited_unixtime = unixString(edited);
  }
  return o;
}
function service(id: number, t: number, actor: Who, action: string, fields: { [key: string]: Json } = {}): Json {
  return { ...head(id, 'service', t), actor: person(actor).name, actor_id: fromId(actor), action, ...fields, text: '', text_entities: [] };
}

function toJson(e: TimedLine, ids: Map<string, number>, spans: Map<Who, [number, number]>): Json {
  const l = e.line;
  const id = e.id!;
  const ref = (key: string): number => {
    const target = ids.get(key);
    if (target === undefined) throw new Error(`nothing is called "${key}"`);
    return target;
  };
  switch (l.kind) {
    case 'unsupported':
      return { id, type: 'unsupported' };
    case 'join':
      return service(id, e.t, l.by, 'join_group_by_link', { inviter: person('maya').name });
    case 'invite':
      return service(id, e.t, l.by, 'invite_members', { members: l.members.map((m) => person(m).name) });
    case 'leave':
      return service(id, e.t, l.by, 'remove_members', { members: [person(l.by).name] });
    case 'pin':
      return service(id, e.t, l.by, 'pin_message', { message_id: ref(l.target) });
    case 'msg': {
      const edited = l.edit === undefined ? undefined : e.t + l.edit * 60 + int(0, 50);
      const o: { [key: string]: Json } = { ...head(id, 'message', e.t, edited), from: person(l.by).name, from_id: fromId(l.by) };
      if (l.fwd) o.forwarded_from = l.fwd;
      if (l.re) o.reply_to_message_id = ref(l.re);
      if (l.viaBot) o.via_bot = l.viaBot;
      if (l.media) Object.assign(o, mediaFields(l.media));
      Object.assign(o, textFields(l.text));
      const reactions = reactionsFor(e, spans);
      if (reactions) o.reactions = reactions;
      return o;
    }
  }
}

/** The basic group Maya created first: Desktop exports its messages before the supergroup's, ids shifted by -1e9. */
function prologue(): Json[] {
  const base = 184213;
  const t = (hhmm: string, s: number) => clock(MON1, hhmm) + s;
  const tom = textFields('👋 here. Excited for this one');
  return [
    service(MIGRATED_ID_SHIFT + base, t('08:36', 12), 'maya', 'create_group', { title: CHAT_NAME, members: [person('maya').name, person('tom').name] }),
    { ...head(MIGRATED_ID_SHIFT + base + 3, 'message', t('08:37', 40)), from: person('tom').name, from_id: fromId('tom'), ...tom },
    service(MIGRATED_ID_SHIFT + base + 8, t('08:38', 55), 'maya', 'invite_members', { members: [person('bot').name] }),
    service(MIGRATED_ID_SHIFT + base + 11, t('08:41', 3), 'maya', 'migrate_to_supergroup'),
    service(1, t('08:41', 3), 'maya', 'migrate_from_group', { title: CHAT_NAME }),
  ];
}
/** Lines of the supergroup start after its migrate_from_group message. */
const FIRST_LINE_AFTER = clock(MON1, '08:41') + 3;

// ---------------------------------------------------------------------------------------------------------------
// Desktop's JSON writer: one space per nesting level, `"key": value`, no trailing newline
// ---------------------------------------------------------------------------------------------------------------

/** Desktop escapes only these; everything else, emoji and Cyrillic included, is written as raw UTF-8. */
function jsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\u2028') out += '\\u2028';
    else if (ch === '\u2029') out += '\\u2029';
    else if (ch < ' ') throw new Error(`control character in ${JSON.stringify(s)}`);
    else out += ch;
  }
  return out + '"';
}
const pad = (n: number) => ' '.repeat(n);

function renderArray(items: Json[], closeIndent: number, itemIndent: number): string {
  if (items.length === 0) return '[]';
  return `[${items.map((v) => `\n${pad(itemIndent)}${render(v, itemIndent)}`).join(',')}\n${pad(closeIndent)}]`;
}
/**
 * `indent` is where the value's closing bracket goes. Desktop serializes a message's `reactions` with its nesting
 * counter one level deeper than elsewhere, so that array's items sit two levels in; kept for fidelity.
 */
function render(v: Json, indent: number): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return renderArray(v, indent, indent + 1);
  const fields = Object.entries(v).map(([k, x]) => {
    const value = k === 'reactions' && Array.isArray(x) ? renderArray(x, indent + 2, indent + 3) : render(x, indent + 1);
    return `\n${pad(indent + 1)}${jsonString(k)}: ${value}`;
  });
  return `{${fields.join(',')}\n${pad(indent)}}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Build, check, write
// ---------------------------------------------------------------------------------------------------------------

function build(): { json: string; messages: Json[] } {
  const scripted = materialize(THREADS);
  const spans = membership(scripted);
  const timeline = [...scripted, ...checkins(spans)];
  timeline.push(...cheers(timeline, spans));
  timeline.sort((a, b) => a.t - b.t || a.seq - b.seq);

  // Supergroup ids count up from the migration message; a few gaps are messages deleted before the export.
  const ids = new Map<string, number>();
  let id = 1;
  for (const e of timeline) {
    if (e.t <= FIRST_LINE_AFTER) throw new Error('a line comes before the group became a supergroup');
    if (e.t >= EXPORTED_AT) throw new Error('a line comes after the export');
    id += 1 + (rand() < 0.02 ? int(1, 2) : 0);
    e.id = id;
    const key = e.line.kind === 'msg' ? e.line.key : undefined;
    if (key) {
      if (ids.has(key)) throw new Error(`two lines are called "${key}"`);
      ids.set(key, id);
    }
  }
  check(timeline, ids, spans);
  const messages = [...prologue(), ...timeline.map((e) => toJson(e, ids, spans))];
  const root: Json = { name: CHAT_NAME, type: 'private_supergroup', id: CHAT_ID, messages };
  return { json: render(root, 0), messages };
}

/** Story consistency: people only talk while in the group, replies and pins point back in time. */
function check(timeline: readonly TimedLine[], ids: Map<string, number>, spans: Map<Who, [number, number]>): void {
  const timeOf = new Map(timeline.map((e) => [e.id!, e.t]));
  for (const e of timeline) {
    const l = e.line;
    if (l.kind === 'msg' || l.kind === 'pin' || l.kind === 'invite' || l.kind === 'leave') {
      if (!presentAt(spans, l.by, e.t) && !(l.kind === 'leave' && spans.get(l.by)![1] === e.t)) {
        throw new Error(`${l.by} posts at ${localIso(e.t)} while not in the group`);
      }
    }
    const target = l.kind === 'msg' ? l.re : l.kind === 'pin' ? l.target : undefined;
    if (target !== undefined) {
      const tid = ids.get(target);
      if (tid === undefined) throw new Error(`"${target}" does not exist`);
      if (tid >= e.id! || timeOf.get(tid)! > e.t) throw new Error(`"${target}" is answered before it was sent`);
    }
    if (l.kind === 'msg' && l.text === '' && !l.media) throw new Error(`empty message from ${l.by} at ${localIso(e.t)}`);
  }
}

function main(): void {
  const { json, messages } = build();
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, 'result.json');
  writeFileSync(file, json);
  process.stdout.write(`wrote ${messages.length} messages to ${file}\n`);
}

main();
