import { stat } from 'node:fs/promises';
import { Api, helpers } from 'telegram';
import type { CustomFile } from 'telegram/client/uploads';
import type { ChatInfo, ChatMessage, Participant } from '../../src/domain';
import type { GramjsClient } from '../../src/telegram';
import { DEFAULT_CHAT, DEFAULT_SELF, refKind, rpcError, type FakeTelegramScenario } from './fake-telegram';

const big = (n: number | string) => helpers.returnBigInt(n);
/** gramjs constructors take any subset of fields; Telegram's answers fill in what tests do not care about. */
const make = <T>(Cls: new (args: never) => T, args: Record<string, unknown>): T => new Cls(args as never);

const CHANNEL_HASH = '777000777';
const userHash = (id: number) => String(id * 7 + 1);
const numericId = (peerKey: string) => Number(peerKey.replace(/^\D+/, ''));
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** A takeout session the fake opened. */
export interface FakeTakeout {
  id: number;
  /** What it was opened for (`messageMegagroups`, `messageChannels`, `messageChats`, `files`). */
  megagroups: boolean;
  channels: boolean;
  chats: boolean;
  files: boolean;
  /** Requests carried inside it (`InvokeWithTakeout`), the finish included. */
  requests: number;
  /** How `account.FinishTakeoutSession` ended it; unset while open. */
  success?: boolean;
}

/**
 * A gramjs client that answers `invoke` the way Telegram would, with gramjs's own `Api` objects, from the same
 * scenario as {@link FakeTelegram}: so one contract suite can drive the real adapter (and its mapping, paging,
 * peer cache and error mapping) without a network. It also checks what the adapter sends: a channel addressed
 * with a wrong access hash is refused, as Telegram refuses it.
 */
export class FakeGramClient implements GramjsClient {
  readonly requests: Api.AnyRequest[] = [];
  readonly chat: ChatInfo;
  private readonly members: Participant[];
  private messages: ChatMessage[];
  private readonly inviteHash?: string;
  private joined: boolean;
  private readonly self = DEFAULT_SELF;
  private nextId: number;
  private failures: (() => Error)[] = [];
  /** Takeout sessions opened, in order: what they cover, how many requests they carried, how they ended. */
  readonly takeouts: FakeTakeout[] = [];
  private takeoutDelaySeconds?: number;

  constructor(scenario: FakeTelegramScenario = {}) {
    this.chat = { ...DEFAULT_CHAT, ...scenario.chat };
    this.members = scenario.members ?? [];
    if (scenario.chat?.memberCount === undefined) this.chat.memberCount = this.members.length;
    this.messages = [...(scenario.messages ?? [])].sort((a, b) => a.id - b.id);
    this.inviteHash = scenario.inviteHash;
    this.joined = scenario.joined ?? true;
    this.nextId = (this.messages.at(-1)?.id ?? 0) + 1;
  }

  /** The next `count` requests throw `error` (a gramjs error). */
  failNext(count: number, error: Error | (() => Error)): this {
    for (let i = 0; i < count; i++) this.failures.push(typeof error === 'function' ? error : () => error);
    return this;
  }

  /**
   * Telegram holds data exports back: `account.InitTakeoutSession` answers `TAKEOUT_INIT_DELAY_<seconds>` until
   * {@link approveTakeouts}.
   */
  holdTakeouts(seconds: number): this {
    this.takeoutDelaySeconds = seconds;
    return this;
  }

  /** The user confirmed the export in another app: takeout sessions open again. */
  approveTakeouts(): this {
    this.takeoutDelaySeconds = undefined;
    return this;
  }

  /** How many requests of a class (`messages.GetHistory`) the adapter made. */
  count(className?: string): number {
    return this.requests.filter((r) => className === undefined || r.className === className).length;
  }

  // ---- Telegram's objects for the scenario ----

  private channel(): Api.Channel | Api.Chat {
    const kind = refKind(this.chat.type);
    if (kind === 'group') return make(Api.Chat, { id: big(this.chat.id), title: this.chat.title, participantsCount: this.chat.memberCount ?? 0, date: 0, version: 1, photo: new Api.ChatPhotoEmpty() });
    return make(Api.Channel, {
      id: big(this.chat.id),
      accessHash: big(CHANNEL_HASH),
      title: this.chat.title,
      username: this.chat.username,
      megagroup: this.chat.type.endsWith('supergroup'),
      broadcast: this.chat.type.endsWith('channel'),
      participantsCount: this.chat.memberCount,
      left: !this.joined,
      date: this.chat.createdAt ? seconds(this.chat.createdAt) : 1_600_000_000,
      photo: new Api.ChatPhotoEmpty(),
    });
  }

  private user(p: Participant): Api.User {
    const id = numericId(p.id);
    return make(Api.User, { id: big(id), accessHash: big(userHash(id)), firstName: p.firstName, lastName: p.lastName, username: p.username, bot: p.bot, premium: p.premium, verified: p.verified, phone: p.phone?.replace(/^\+/, '') });
  }

  /** Users a message names, built from its sender and service members (names as the domain message has them). */
  private senders(messages: ChatMessage[]): Api.User[] {
    const users = new Map<string, Api.User>();
    const add = (peer: { id: string; name: string; username?: string } | undefined) => {
      if (!peer || !peer.id.startsWith('user') || users.has(peer.id)) return;
      const member = this.members.find((m) => m.id === peer.id);
      const id = numericId(peer.id);
      const [firstName, ...rest] = peer.name.split(' ');
      users.set(peer.id, member ? this.user(member) : make(Api.User, { id: big(id), accessHash: big(userHash(id)), firstName, lastName: rest.join(' ') || undefined, username: peer.username }));
    };
    for (const m of messages) {
      add(m.sender);
      m.service?.members?.forEach(add);
    }
    return [...users.values()];
  }

  private peerOf(key: string): Api.TypePeer {
    const id = big(numericId(key));
    if (key.startsWith('channel')) return new Api.PeerChannel({ channelId: id });
    if (key.startsWith('chat')) return new Api.PeerChat({ chatId: id });
    return new Api.PeerUser({ userId: id });
  }

  private chatPeer(): Api.TypePeer {
    return refKind(this.chat.type) === 'group' ? new Api.PeerChat({ chatId: big(this.chat.id) }) : new Api.PeerChannel({ channelId: big(this.chat.id) });
  }

  private toApi(m: ChatMessage): Api.Message | Api.MessageService {
    const common = {
      id: m.id,
      peerId: this.chatPeer(),
      date: seconds(m.date),
      fromId: m.sender && !m.sender.id.startsWith('channel') ? this.peerOf(m.sender.id) : undefined,
      replyTo:
        m.replyToId !== undefined || m.threadId !== undefined
          ? make(Api.MessageReplyHeader, m.threadId !== undefined ? { forumTopic: true, replyToMsgId: m.replyToId ?? m.threadId, replyToTopId: m.replyToId !== undefined ? m.threadId : undefined } : { replyToMsgId: m.replyToId })
          : undefined,
      reactions:
        m.reactions.length > 0
          ? make(Api.MessageReactions, { results: m.reactions.map((r) => make(Api.ReactionCount, { reaction: r.emoji.startsWith('custom:') ? make(Api.ReactionCustomEmoji, { documentId: big(r.emoji.slice(7)) }) : make(Api.ReactionEmoji, { emoticon: r.emoji }), count: r.count })) })
          : undefined,
    };
    if (m.service) return make(Api.MessageService, { ...common, action: this.action(m) });
    const entities: Api.TypeMessageEntity[] = [];
    // Links are written as text links over the whole text: the mapping must take the URL, not the text.
    for (const url of m.links ?? []) entities.push(make(Api.MessageEntityTextUrl, { offset: 0, length: m.text.length, url }));
    return make(Api.Message, {
      ...common,
      message: m.text,
      entities: entities.length > 0 ? entities : undefined,
      views: m.views,
      editDate: m.edited ? seconds(m.edited) : undefined,
      fwdFrom: m.forwardedFrom ? make(Api.MessageFwdHeader, { fromName: m.forwardedFrom, date: seconds(m.date) }) : undefined,
      media: m.media === 'photo' ? make(Api.MessageMediaPhoto, {}) : m.media === 'poll' ? make(Api.MessageMediaPoll, {}) : m.media ? make(Api.MessageMediaDocument, { voice: m.media === 'voice', round: m.media === 'video_note', video: m.media === 'video' }) : undefined,
    });
  }

  private action(m: ChatMessage): Api.TypeMessageAction {
    const s = m.service!;
    const ids = (s.members ?? []).map((p) => big(numericId(p.id)));
    switch (s.action) {
      case 'invite_members':
        return make(Api.MessageActionChatAddUser, { users: ids });
      case 'remove_members':
        return make(Api.MessageActionChatDeleteUser, { userId: ids[0] });
      case 'pin_message':
        return new Api.MessageActionPinMessage();
      case 'topic_created':
        return make(Api.MessageActionTopicCreate, { title: s.title, iconColor: 0 });
      case 'join_group_by_link':
        return make(Api.MessageActionChatJoinedByLink, { inviterId: big(1) });
      case 'create_channel':
        return make(Api.MessageActionChannelCreate, { title: s.title });
      default:
        return new Api.MessageActionEmpty();
    }
  }

  // ---- answering requests ----

  private checkPeer(peer: Api.TypeEntityLike | undefined, method: string): void {
    if (peer instanceof Api.InputPeerChannel || peer instanceof Api.InputChannel) {
      if (numericId(String(peer.channelId)) !== this.chat.id || peer.accessHash.toString() !== CHANNEL_HASH) throw rpcError('CHANNEL_INVALID', 400, method);
      if (!this.joined && this.chat.type.startsWith('private')) throw rpcError('CHANNEL_PRIVATE', 400, method);
      return;
    }
    if (peer instanceof Api.InputPeerChat) {
      if (Number(peer.chatId.toString()) !== this.chat.id) throw rpcError('CHAT_ID_INVALID', 400, method);
      return;
    }
    throw rpcError('PEER_ID_INVALID', 400, method);
  }

  private userPeer(peer: Api.TypeEntityLike | undefined): Participant | undefined {
    if (!(peer instanceof Api.InputPeerUser)) return undefined;
    const id = Number(peer.userId.toString());
    const member = this.members.find((m) => m.id === `user${id}`);
    return member && peer.accessHash.toString() === userHash(id) ? member : undefined;
  }

  async invoke<R extends Api.AnyRequest>(request: R): Promise<R['__response']> {
    this.requests.push(request);
    const failure = this.failures.shift();
    if (failure) throw failure();
    return this.answer(request) as R['__response'];
  }

  async uploadFile(params: { file: CustomFile; workers: number }): Promise<Api.TypeInputFile> {
    const size = (await stat(params.file.path)).size;
    return make(Api.InputFile, { id: big(size), parts: Math.max(1, Math.ceil(size / 524288)), name: params.file.name, md5Checksum: '' });
  }

  private post(text: string, replyTo?: Api.TypeInputReplyTo): Api.Updates {
    const id = this.nextId++;
    this.messages.push({ id, chatId: this.chat.id, date: new Date().toISOString(), sender: { id: this.self.id, name: 'Test Account' }, text, replyToId: replyTo instanceof Api.InputReplyToMessage ? replyTo.replyToMsgId : undefined, reactions: [] });
    return make(Api.Updates, { updates: [make(Api.UpdateMessageID, { id, randomId: big(1) })], users: [], chats: [], date: 0, seq: 0 });
  }

  /** Takeout requests: opened, wrapped requests answered inside a session, finished from inside one. */
  private answerTakeout(r: Api.AnyRequest, session: FakeTakeout | undefined): { answered: true; value: unknown } | undefined {
    if (r instanceof Api.account.InitTakeoutSession) {
      if (this.takeoutDelaySeconds !== undefined) throw rpcError(`TAKEOUT_INIT_DELAY_${this.takeoutDelaySeconds}`, 420, r.className);
      const takeout: FakeTakeout = { id: 5_000 + this.takeouts.length, megagroups: r.messageMegagroups === true, channels: r.messageChannels === true, chats: r.messageChats === true, files: r.files === true, requests: 0 };
      this.takeouts.push(takeout);
      return { answered: true, value: make(Api.account.Takeout, { id: big(takeout.id) }) };
    }
    if (r instanceof Api.InvokeWithTakeout) {
      const inner = this.takeouts.find((t) => String(t.id) === r.takeoutId.toString() && t.success === undefined);
      if (!inner) throw rpcError('TAKEOUT_INVALID', 400, r.className);
      inner.requests++;
      return { answered: true, value: this.answer(r.query as Api.AnyRequest, inner) };
    }
    if (r instanceof Api.account.FinishTakeoutSession) {
      if (!session) throw rpcError('TAKEOUT_REQUIRED', 403, r.className);
      session.success = r.success === true;
      return { answered: true, value: true };
    }
    // Telegram checks a wrapped history request against what the session was opened for.
    if (session && r instanceof Api.messages.GetHistory) {
      const covered = refKind(this.chat.type) === 'group' ? session.chats : this.chat.type.endsWith('channel') ? session.channels : session.megagroups;
      if (!covered) throw rpcError('TAKEOUT_REQUIRED', 403, r.className);
    }
    return undefined;
  }

  private answer(r: Api.AnyRequest, session?: FakeTakeout): unknown {
    const takeout = this.answerTakeout(r, session);
    if (takeout) return takeout.value;
    const chats = () => [this.channel()];
    if (r instanceof Api.contacts.ResolveUsername) {
      const name = r.username.toLowerCase();
      if (this.chat.username?.toLowerCase() === name) return make(Api.contacts.ResolvedPeer, { peer: this.chatPeer(), chats: chats(), users: [] });
      const member = this.members.find((m) => m.username?.toLowerCase() === name);
      if (member) return make(Api.contacts.ResolvedPeer, { peer: this.peerOf(member.id), chats: [], users: [this.user(member)] });
      throw rpcError('USERNAME_NOT_OCCUPIED', 400, r.className);
    }
    if (r instanceof Api.messages.CheckChatInvite) {
      if (r.hash !== this.inviteHash) throw rpcError('INVITE_HASH_EXPIRED', 400, r.className);
      if (this.joined) return make(Api.ChatInviteAlready, { chat: this.channel() });
      return make(Api.ChatInvite, { title: this.chat.title, participantsCount: this.chat.memberCount ?? 0, photo: new Api.PhotoEmpty({ id: big(0) }), color: 0 });
    }
    if (r instanceof Api.messages.ImportChatInvite) {
      if (r.hash !== this.inviteHash) throw rpcError('INVITE_HASH_EXPIRED', 400, r.className);
      if (this.joined) throw rpcError('USER_ALREADY_PARTICIPANT', 400, r.className);
      this.joined = true;
      return make(Api.Updates, { updates: [], users: [], chats: chats(), date: 0, seq: 0 });
    }
    if (r instanceof Api.channels.JoinChannel) {
      this.checkPeerIgnoringMembership(r.channel, r.className);
      this.joined = true;
      return make(Api.Updates, { updates: [], users: [], chats: chats(), date: 0, seq: 0 });
    }
    if (r instanceof Api.channels.LeaveChannel) {
      this.checkPeer(r.channel, r.className);
      this.joined = false;
      return make(Api.Updates, { updates: [], users: [], chats: chats(), date: 0, seq: 0 });
    }
    if (r instanceof Api.messages.GetDialogs) {
      const top = this.messages.at(-1);
      const dialogs = this.joined ? [make(Api.Dialog, { peer: this.chatPeer(), topMessage: top?.id ?? 0 })] : [];
      return make(Api.messages.Dialogs, { dialogs, messages: this.joined && top ? [this.toApi(top)] : [], chats: this.joined ? chats() : [], users: this.members.map((m) => this.user(m)) });
    }
    if (r instanceof Api.channels.GetFullChannel) {
      this.checkPeer(r.channel, r.className);
      return make(Api.messages.ChatFull, { fullChat: make(Api.ChannelFull, { id: big(this.chat.id), participantsCount: this.chat.memberCount, about: '' }), chats: chats(), users: [] });
    }
    if (r instanceof Api.messages.GetFullChat) {
      if (Number(r.chatId.toString()) !== this.chat.id) throw rpcError('CHAT_ID_INVALID', 400, r.className);
      const participants = this.members.map((m) => (m.admin ? make(Api.ChatParticipantAdmin, { userId: big(numericId(m.id)) }) : make(Api.ChatParticipant, { userId: big(numericId(m.id)) })));
      return make(Api.messages.ChatFull, { fullChat: make(Api.ChatFull, { id: big(this.chat.id), participants: make(Api.ChatParticipants, { chatId: big(this.chat.id), participants, version: 1 }) }), chats: chats(), users: this.members.map((m) => this.user(m)) });
    }
    if (r instanceof Api.messages.GetHistory) {
      this.checkPeer(r.peer, r.className);
      return this.history(r);
    }
    if (r instanceof Api.channels.GetParticipants) {
      this.checkPeer(r.channel, r.className);
      let list = this.members;
      if (r.filter instanceof Api.ChannelParticipantsAdmins) list = list.filter((m) => m.admin);
      else if (r.filter instanceof Api.ChannelParticipantsBots) list = list.filter((m) => m.bot);
      else if (r.filter instanceof Api.ChannelParticipantsSearch) {
        const q = r.filter.q.toLowerCase();
        list = list.filter((m) => [m.username, m.firstName, m.lastName, [m.firstName, m.lastName].filter(Boolean).join(' ')].some((s) => s?.toLowerCase().includes(q)));
      }
      const page = list.slice(r.offset, r.offset + r.limit);
      return make(Api.channels.ChannelParticipants, {
        count: list.length,
        participants: page.map((m) => (m.admin ? make(Api.ChannelParticipantAdmin, { userId: big(numericId(m.id)), promotedBy: big(1), date: 0 }) : make(Api.ChannelParticipant, { userId: big(numericId(m.id)), date: 0 }))),
        chats: [],
        users: page.map((m) => this.user(m)),
      });
    }
    if (r instanceof Api.messages.SendMessage) {
      if (this.userPeer(r.peer)) return make(Api.UpdateShortSentMessage, { id: this.nextId++, pts: 0, ptsCount: 0, date: 0 });
      this.checkPeer(r.peer, r.className);
      return this.post(r.message, r.replyTo);
    }
    if (r instanceof Api.messages.SendMedia) {
      this.checkPeer(r.peer, r.className);
      return this.post(r.message, r.replyTo);
    }
    if (r instanceof Api.messages.EditMessage) {
      this.checkPeer(r.peer, r.className);
      const m = this.messages.find((x) => x.id === r.id);
      if (!m) throw rpcError('MESSAGE_ID_INVALID', 400, r.className);
      if (m.text === r.message) throw rpcError('MESSAGE_NOT_MODIFIED', 400, r.className);
      m.text = r.message ?? m.text;
      return make(Api.Updates, { updates: [], users: [], chats: [], date: 0, seq: 0 });
    }
    if (r instanceof Api.users.GetUsers) {
      const [first] = r.id;
      if (first instanceof Api.InputUserSelf) {
        return [make(Api.User, { id: big(numericId(this.self.id)), accessHash: big(1), self: true, firstName: this.self.firstName, lastName: this.self.lastName, username: this.self.username, phone: this.self.phone?.replace(/^\+/, ''), premium: this.self.premium })];
      }
      return [];
    }
    throw new Error(`FakeGramClient does not answer ${r.className}`);
  }

  private checkPeerIgnoringMembership(channel: Api.TypeEntityLike, method: string): void {
    const joined = this.joined;
    this.joined = true;
    try {
      this.checkPeer(channel, method);
    } finally {
      this.joined = joined;
    }
  }

  /** Telegram's paging: newest first from offset_id/offset_date, shifted by add_offset, then min_id/max_id. */
  private history(r: Api.messages.GetHistory): Api.messages.ChannelMessages {
    const newestFirst = [...this.messages].sort((a, b) => b.id - a.id);
    let start = 0;
    if (r.offsetId) start = newestFirst.findIndex((m) => m.id < r.offsetId);
    else if (r.offsetDate) start = newestFirst.findIndex((m) => seconds(m.date) < r.offsetDate);
    if (start < 0) start = newestFirst.length;
    start = Math.max(0, start + (r.addOffset ?? 0));
    const page = newestFirst.slice(start, start + r.limit).filter((m) => (!r.minId || m.id > r.minId) && (!r.maxId || m.id < r.maxId));
    return make(Api.messages.ChannelMessages, { pts: 0, count: this.messages.length, messages: page.map((m) => this.toApi(m)), topics: [], chats: [this.channel()], users: this.senders(page) });
  }
}
