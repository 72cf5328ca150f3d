import type Redis from 'ioredis';
import { Api } from 'telegram';
import type { ChatKind, ChatRef } from './port';
import { type ChatEntity, kindOf } from './map-chat';
import { toNumber, usernameOf } from './map-user';
import type { TelegramKeys } from './keys';

/** A peer the account can address: its ref and the access hash (decimal string, "0" for basic groups). */
export interface KnownPeer extends ChatRef {
  accessHash: string;
}

/** How long a username is trusted to point at the same peer. */
const USERNAME_TTL_SECONDS = 24 * 3600;

const field = (kind: ChatKind, id: number) => `${kind}:${id}`;

function parseField(value: string): { kind: ChatKind; id: number } | undefined {
  const [kind, id] = value.split(':');
  if ((kind === 'user' || kind === 'group' || kind === 'channel') && id && /^\d+$/.test(id)) return { kind, id: Number(id) };
  return undefined;
}

/**
 * Ids, access hashes and usernames the account has seen, in Redis (shared by the account's workers and kept over
 * restarts) with a process-local map in front. Telegram needs the access hash to address a channel or user; keeping
 * it means a numeric id resolves after a restart without a lookup storm.
 */
export class PeerCache {
  private readonly local = new Map<string, string>();

  constructor(
    private readonly redis: Redis,
    private readonly keys: TelegramKeys,
    private readonly account: string,
  ) {}

  /** Records every addressable entity of a response. `min` entities carry a hash that cannot address them: skipped. */
  async remember(entities: readonly (Api.TypeUser | Api.TypeChat)[]): Promise<void> {
    const hashes: Record<string, string> = {};
    const multi = this.redis.multi();
    let usernames = 0;
    for (const entity of entities) {
      if (!(entity instanceof Api.User || entity instanceof Api.Channel || entity instanceof Api.ChannelForbidden || entity instanceof Api.Chat)) continue;
      if ((entity instanceof Api.User || entity instanceof Api.Channel) && entity.min) continue;
      const e = entity as ChatEntity;
      const kind = kindOf(e);
      const id = toNumber(e.id);
      // gramjs gives an absent access hash as null (read from the wire) or undefined (built in code).
      const hash = 'accessHash' in e && e.accessHash !== undefined && e.accessHash !== null ? e.accessHash.toString() : '0';
      if (kind !== 'group' && hash === '0') continue;
      hashes[field(kind, id)] = hash;
      this.local.set(field(kind, id), hash);
      const username = entity instanceof Api.User || entity instanceof Api.Channel ? usernameOf(entity) : undefined;
      if (username) {
        multi.set(this.keys.username(this.account, username), field(kind, id), 'EX', USERNAME_TTL_SECONDS);
        usernames++;
      }
    }
    if (Object.keys(hashes).length === 0 && usernames === 0) return;
    if (Object.keys(hashes).length > 0) multi.hset(this.keys.peers(this.account), hashes);
    await multi.exec();
  }

  /** The peer of a ref, if the account has met it. */
  async get(ref: ChatRef): Promise<KnownPeer | undefined> {
    const key = field(ref.kind, ref.id);
    let hash = this.local.get(key);
    if (hash === undefined) {
      hash = (await this.redis.hget(this.keys.peers(this.account), key)) ?? undefined;
      if (hash !== undefined) this.local.set(key, hash);
    }
    return hash === undefined ? undefined : { ...ref, accessHash: hash };
  }

  /** Every known peer with this bare id (a user and a channel may share a number). */
  async withId(id: number): Promise<KnownPeer[]> {
    const kinds: ChatKind[] = ['channel', 'group', 'user'];
    const found = await Promise.all(kinds.map((kind) => this.get({ id, kind })));
    return found.filter((p): p is KnownPeer => p !== undefined);
  }

  /** The peer a username pointed at when last seen, if still trusted. */
  async byUsername(username: string): Promise<KnownPeer | undefined> {
    const value = await this.redis.get(this.keys.username(this.account, username));
    const ref = value ? parseField(value) : undefined;
    return ref ? this.get(ref) : undefined;
  }

  /** Drops a username that no longer resolves (USERNAME_NOT_OCCUPIED after a rename). */
  async forgetUsername(username: string): Promise<void> {
    await this.redis.del(this.keys.username(this.account, username));
  }
}
