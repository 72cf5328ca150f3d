import { randomInt } from 'node:crypto';
import { Api, type TelegramClient } from 'telegram';
import type { StringSession } from 'telegram/sessions';
import { connectClient, createTelegramClient, telegramServer } from '../../src/telegram';
import { piltoverSettings, testPiltover, type PiltoverInfo } from './piltover';

/** Any API id and hash: piltover does not check them. */
export const PILTOVER_API = { TG_API_ID: 12345, TG_API_HASH: '0123456789abcdef0123456789abcdef' } as const;

/** A user signed up on piltover, logged in through tgpulse's own connection code. */
export interface PiltoverUser {
  client: TelegramClient;
  /** The gramjs session string: what `tgpulse login` stores in the session file. */
  session: string;
  id: number;
  phone: string;
  firstName: string;
  lastName: string;
  username: string;
  close(): Promise<void>;
}

// piltover has no default privacy rules and a missing rule means deny: open them as Telegram's defaults do.
const PRIVACY_KEYS = [Api.InputPrivacyKeyChatInvite, Api.InputPrivacyKeyAddedByPhone, Api.InputPrivacyKeyPhoneNumber, Api.InputPrivacyKeyStatusTimestamp, Api.InputPrivacyKeyForwards];

/** A phone number and a username no other test of this run (in any worker) uses. */
export function uniquePhone(): string {
  return `+1999${String(randomInt(1e8)).padStart(8, '0')}`;
}
export function uniqueUsername(label: string): string {
  return `${label.replace(/[^a-z0-9]/gi, '').slice(0, 12) || 'u'}_${randomInt(36 ** 6).toString(36)}`.toLowerCase();
}

/** Connects a gramjs client to piltover the way tgpulse does (TELEGRAM_SERVER, TELEGRAM_SERVER_KEY_FILE). */
export async function piltoverClient(session = '', info: PiltoverInfo = testPiltover()): Promise<TelegramClient> {
  const server = telegramServer(piltoverSettings(info));
  const client = createTelegramClient({ apiId: PILTOVER_API.TG_API_ID, apiHash: PILTOVER_API.TG_API_HASH }, session, server);
  await connectClient(client, server);
  return client;
}

/** Signs a new user up (fixed login code), opens its privacy settings and gives it a public username. */
export async function piltoverUser(firstName: string, opts: { lastName?: string; info?: PiltoverInfo } = {}): Promise<PiltoverUser> {
  const info = opts.info ?? testPiltover();
  const client = await piltoverClient('', info);
  const phone = uniquePhone();
  const lastName = opts.lastName ?? 'Tester';
  await client.start({
    phoneNumber: async () => phone,
    phoneCode: async () => info.login_code,
    password: async () => {
      throw new Error('no 2FA on test users');
    },
    firstAndLastNames: async () => [firstName, lastName],
    onError: async (err) => {
      throw err;
    },
  });
  for (const Key of PRIVACY_KEYS) await client.invoke(new Api.account.SetPrivacy({ key: new Key(), rules: [new Api.InputPrivacyValueAllowAll()] }));
  const username = uniqueUsername(firstName);
  await client.invoke(new Api.account.UpdateUsername({ username }));
  const me = await client.getMe();
  return {
    client,
    session: (client.session as StringSession).save(),
    id: Number(me.id.toString()),
    phone,
    firstName,
    lastName,
    username,
    close: () => client.destroy(),
  };
}

/** A public supergroup owned by `owner` with `members` invited; returns the channel as the owner sees it. */
export async function piltoverGroup(owner: PiltoverUser, title: string, members: PiltoverUser[] = []): Promise<{ channel: Api.Channel; id: number; username: string }> {
  const created = (await owner.client.invoke(new Api.channels.CreateChannel({ title, about: '', megagroup: true }))) as Api.Updates;
  const channel = created.chats.find((c): c is Api.Channel => c instanceof Api.Channel)!;
  const username = uniqueUsername('group');
  await owner.client.invoke(new Api.channels.UpdateUsername({ channel, username }));
  if (members.length > 0) {
    const users = await Promise.all(members.map((m) => owner.client.getInputEntity(`@${m.username}`)));
    await owner.client.invoke(new Api.channels.InviteToChannel({ channel, users }));
  }
  return { channel, id: Number(channel.id.toString()), username };
}

/** The account `username` as `client` sees it (with the access hash this client was given). */
export async function resolveUser(client: TelegramClient, username: string): Promise<Api.User> {
  const resolved = await client.invoke(new Api.contacts.ResolveUsername({ username }));
  const user = resolved.users.find((u): u is Api.User => u instanceof Api.User);
  if (!user) throw new Error(`@${username} is not a user on this server`);
  return user;
}

/** What `client` received in its direct chat with `peer` (its own messages left out), oldest first. */
export async function receivedFrom(client: TelegramClient, peer: Parameters<TelegramClient['getMessages']>[0], limit = 80): Promise<Api.Message[]> {
  const list = await client.getMessages(peer, { limit });
  return [...list].filter((m): m is Api.Message => m instanceof Api.Message && !m.out).reverse();
}
