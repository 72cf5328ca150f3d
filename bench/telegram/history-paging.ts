/**
 * How much the gramjs adapter costs per message: paging, mapping Api objects to ChatMessage, the peer cache.
 * Telegram itself is replaced by the fake gramjs client (no network), so this is the adapter's own ceiling,
 * to compare with what the limiter allows (RATE_RPS × 100 messages a second).
 *
 * Run: npx tsx bench/telegram/history-paging.ts   (needs a redis-server on REDIS_URL, default 127.0.0.1:6379)
 */
import Redis from 'ioredis';
import { GramjsTelegram, PeerCache, telegramKeys } from '../../src/telegram';
import { fakeMembers, fakeMessages } from '../../test/fakes/fake-telegram';
import { FakeGramClient } from '../../test/fakes/fake-telegram-client';
import { CountingGuard } from '../../test/fakes/fake-telegram-guard';

async function main(): Promise<void> {
  const total = Number(process.env.BENCH_MESSAGES ?? 20_000);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const client = new FakeGramClient({ messages: fakeMessages(total), members: fakeMembers(3) });
  const guard = new CountingGuard();
  const port = new GramjsTelegram({ client, guard, account: 'bench', peers: new PeerCache(redis, telegramKeys(`bench-${process.pid}:`), 'bench') });
  const chat = await port.resolveChat('@fake_builders');
  const started = process.hrtime.bigint();
  let count = 0;
  for await (const page of port.history({ chat })) count += page.messages.length;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`${count} messages in ${guard.count('messages.GetHistory')} requests, ${seconds.toFixed(2)} s: ${Math.round(count / seconds)} messages/s (fake client builds the Api objects too)\n`);
  redis.disconnect();
}

void main();
