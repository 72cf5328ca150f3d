import { Api, helpers } from 'telegram';
import { mapMessage } from '../../src/telegram/map-message';
import { indexEntities, mapParticipant } from '../../src/telegram/map-user';
import { chatInfoOf } from '../../src/telegram/map-chat';

const big = (n: number | string) => helpers.returnBigInt(n);
const make = <T>(Cls: new (args: never) => T, args: Record<string, unknown>): T => new Cls(args as never);

const CHAT_ID = 1_500_000_123;
const peer = new Api.PeerChannel({ channelId: big(CHAT_ID) });
const alice = make(Api.User, { id: big(11), accessHash: big(5), firstName: 'Alice', lastName: 'Liddell', username: 'alice', phone: '4915100000011', premium: true });
const bob = make(Api.User, { id: big(12), accessHash: big(6), firstName: 'Bob', bot: true, username: 'helper_bot' });
const ghost = make(Api.User, { id: big(13), deleted: true });
const channel = make(Api.Channel, { id: big(CHAT_ID), accessHash: big(9), title: 'Builders', username: 'builders', megagroup: true, photo: new Api.ChatPhotoEmpty(), date: 1_600_000_000 });
const index = indexEntities([alice, bob, ghost], [channel]);
const date = 1_736_154_000; // 2025-01-06T09:00:00Z

describe('mapping gramjs messages to ChatMessage', () => {
  test('text, sender, links from both entity kinds, reply, views, edit date', () => {
    const text = 'demo at https://demo.example and the repo';
    const msg = make(Api.Message, {
      id: 42,
      peerId: peer,
      date,
      fromId: new Api.PeerUser({ userId: big(11) }),
      message: text,
      entities: [
        make(Api.MessageEntityBold, { offset: 0, length: 4 }),
        make(Api.MessageEntityUrl, { offset: 8, length: 20 }),
        make(Api.MessageEntityTextUrl, { offset: 33, length: 8, url: 'https://github.com/x/y' }),
      ],
      replyTo: make(Api.MessageReplyHeader, { replyToMsgId: 40 }),
      views: 17,
      editDate: date + 60,
    });
    expect(mapMessage(msg, CHAT_ID, index)).toEqual({
      id: 42,
      chatId: CHAT_ID,
      date: '2025-01-06T09:00:00.000Z',
      sender: { id: 'user11', name: 'Alice Liddell', username: 'alice' },
      text,
      links: ['https://demo.example', 'https://github.com/x/y'],
      replyToId: 40,
      reactions: [],
      views: 17,
      edited: '2025-01-06T09:01:00.000Z',
    });
  });

  test('reactions: emoji, custom emoji and paid stars', () => {
    const msg = make(Api.Message, {
      id: 1,
      peerId: peer,
      date,
      fromId: new Api.PeerUser({ userId: big(12) }),
      message: 'ship it',
      reactions: make(Api.MessageReactions, {
        results: [
          make(Api.ReactionCount, { reaction: make(Api.ReactionEmoji, { emoticon: '🔥' }), count: 5 }),
          make(Api.ReactionCount, { reaction: make(Api.ReactionCustomEmoji, { documentId: big('5368324170671202286') }), count: 2 }),
          make(Api.ReactionCount, { reaction: new Api.ReactionPaid(), count: 1 }),
        ],
      }),
    });
    expect(mapMessage(msg, CHAT_ID, index)?.reactions).toEqual([
      { emoji: '🔥', count: 5 },
      { emoji: 'custom:5368324170671202286', count: 2 },
      { emoji: '⭐', count: 1 },
    ]);
  });

  test('forum topics: a plain message points at its topic, a reply keeps both', () => {
    const inTopic = make(Api.Message, { id: 5, peerId: peer, date, message: 'hi', replyTo: make(Api.MessageReplyHeader, { forumTopic: true, replyToMsgId: 3 }) });
    const reply = make(Api.Message, { id: 6, peerId: peer, date, message: 'hi', replyTo: make(Api.MessageReplyHeader, { forumTopic: true, replyToMsgId: 5, replyToTopId: 3 }) });
    const otherChat = make(Api.Message, { id: 7, peerId: peer, date, message: 'x', replyTo: make(Api.MessageReplyHeader, { replyToMsgId: 9, replyToPeerId: new Api.PeerChannel({ channelId: big(1) }) }) });
    expect(mapMessage(inTopic, CHAT_ID, index)).toMatchObject({ threadId: 3 });
    expect(mapMessage(inTopic, CHAT_ID, index)?.replyToId).toBeUndefined();
    expect(mapMessage(reply, CHAT_ID, index)).toMatchObject({ replyToId: 5, threadId: 3 });
    // A reply into another chat is not a reply within this history.
    expect(mapMessage(otherChat, CHAT_ID, index)?.replyToId).toBeUndefined();
  });

  test('a channel post without a sender is the channel; forwards name their origin; hidden edits are not edits', () => {
    const post = make(Api.Message, {
      id: 8,
      peerId: peer,
      date,
      message: 'news',
      post: true,
      editDate: date + 5,
      editHide: true,
      fwdFrom: make(Api.MessageFwdHeader, { fromId: new Api.PeerUser({ userId: big(11) }), date }),
    });
    const mapped = mapMessage(post, CHAT_ID, index);
    expect(mapped?.sender).toEqual({ id: `channel${CHAT_ID}`, name: 'Builders', username: 'builders' });
    expect(mapped?.forwardedFrom).toBe('Alice Liddell');
    expect(mapped?.edited).toBeUndefined();
    const hidden = make(Api.Message, { id: 9, peerId: peer, date, message: 'x', fwdFrom: make(Api.MessageFwdHeader, { fromName: 'Someone private', date }) });
    expect(mapMessage(hidden, CHAT_ID, index)?.forwardedFrom).toBe('Someone private');
  });

  test.each<[string, Api.TypeMessageMedia, string | undefined]>([
    ['photo', make(Api.MessageMediaPhoto, {}), 'photo'],
    ['voice', make(Api.MessageMediaDocument, { voice: true }), 'voice'],
    ['round video', make(Api.MessageMediaDocument, { round: true }), 'video_note'],
    ['sticker', make(Api.MessageMediaDocument, { document: make(Api.Document, { attributes: [make(Api.DocumentAttributeSticker, { alt: '🙂' })] }) }), 'sticker'],
    ['gif', make(Api.MessageMediaDocument, { document: make(Api.Document, { attributes: [new Api.DocumentAttributeAnimated(), make(Api.DocumentAttributeVideo, { duration: 1, w: 1, h: 1 })] }) }), 'animation'],
    ['video', make(Api.MessageMediaDocument, { document: make(Api.Document, { attributes: [make(Api.DocumentAttributeVideo, { duration: 1, w: 1, h: 1 })] }) }), 'video'],
    ['music', make(Api.MessageMediaDocument, { document: make(Api.Document, { attributes: [make(Api.DocumentAttributeAudio, { duration: 3 })] }) }), 'audio'],
    ['pdf', make(Api.MessageMediaDocument, { document: make(Api.Document, { attributes: [make(Api.DocumentAttributeFilename, { fileName: 'a.pdf' })] }) }), 'document'],
    ['poll', make(Api.MessageMediaPoll, {}), 'poll'],
    ['venue', make(Api.MessageMediaVenue, {}), 'location'],
    ['contact', make(Api.MessageMediaContact, {}), 'contact'],
    ['dice', make(Api.MessageMediaDice, { value: 3, emoticon: '🎲' }), 'other'],
    ['link preview', make(Api.MessageMediaWebPage, {}), undefined],
  ])('media: %s', (_name, media, kind) => {
    const msg = make(Api.Message, { id: 1, peerId: peer, date, message: '', media });
    expect(mapMessage(msg, CHAT_ID, index)?.media).toBe(kind);
  });

  test('service messages keep the action and the members it names', () => {
    const added = make(Api.MessageService, { id: 20, peerId: peer, date, fromId: new Api.PeerUser({ userId: big(11) }), action: make(Api.MessageActionChatAddUser, { users: [big(12), big(13)] }) });
    expect(mapMessage(added, CHAT_ID, index)).toEqual({
      id: 20,
      chatId: CHAT_ID,
      date: '2025-01-06T09:00:00.000Z',
      sender: { id: 'user11', name: 'Alice Liddell', username: 'alice' },
      text: '',
      reactions: [],
      service: { action: 'invite_members', members: [{ id: 'user12', name: 'Bob', username: 'helper_bot', bot: true }, { id: 'user13', name: 'Deleted Account' }] },
    });
    const pin = make(Api.MessageService, { id: 21, peerId: peer, date, fromId: new Api.PeerUser({ userId: big(11) }), replyTo: make(Api.MessageReplyHeader, { replyToMsgId: 20 }), action: new Api.MessageActionPinMessage() });
    expect(mapMessage(pin, CHAT_ID, index)?.service).toEqual({ action: 'pin_message', messageId: 20 });
    const topic = make(Api.MessageService, { id: 22, peerId: peer, date, action: make(Api.MessageActionTopicCreate, { title: 'Demos', iconColor: 1 }) });
    expect(mapMessage(topic, CHAT_ID, index)?.service).toEqual({ action: 'topic_created', title: 'Demos' });
    const left = make(Api.MessageService, { id: 23, peerId: peer, date, fromId: new Api.PeerUser({ userId: big(12) }), action: make(Api.MessageActionChatDeleteUser, { userId: big(12) }) });
    expect(mapMessage(left, CHAT_ID, index)?.service).toEqual({ action: 'remove_members', members: [{ id: 'user12', name: 'Bob', username: 'helper_bot', bot: true }] });
    const call = make(Api.MessageService, { id: 24, peerId: peer, date, action: make(Api.MessageActionGroupCall, {}) });
    expect(mapMessage(call, CHAT_ID, index)?.service).toEqual({ action: 'group_call' });
  });

  test('a sender missing from the response is named by its id; deleted messages are skipped', () => {
    const msg = make(Api.Message, { id: 2, peerId: peer, date, fromId: new Api.PeerUser({ userId: big(99) }), message: 'x' });
    expect(mapMessage(msg, CHAT_ID, index)?.sender).toEqual({ id: 'user99', name: 'user99' });
    expect(mapMessage(new Api.MessageEmpty({ id: 3 }), CHAT_ID, index)).toBeUndefined();
  });
});

describe('mapping users and chats', () => {
  test('a member, with the phone only when asked for', () => {
    expect(mapParticipant(alice)).toEqual({ id: 'user11', username: 'alice', firstName: 'Alice', lastName: 'Liddell', bot: false, premium: true, verified: false, admin: undefined, phone: undefined });
    expect(mapParticipant(alice, { includePhone: true, admin: true })).toMatchObject({ phone: '+4915100000011', admin: true });
    expect(mapParticipant(bob)).toMatchObject({ bot: true, username: 'helper_bot' });
  });

  test('chat types and counts', () => {
    expect(chatInfoOf(channel, 321)).toEqual({ id: CHAT_ID, title: 'Builders', type: 'public_supergroup', username: 'builders', memberCount: 321, createdAt: undefined });
    const privateChannel = make(Api.Channel, { id: big(5), title: 'News', broadcast: true, left: true, date: 1_600_000_000, photo: new Api.ChatPhotoEmpty() });
    expect(chatInfoOf(privateChannel)).toMatchObject({ type: 'private_channel', createdAt: '2020-09-13T12:26:40.000Z' });
    expect(chatInfoOf(make(Api.Chat, { id: big(7), title: 'Old group', participantsCount: 4 }))).toEqual({ id: 7, title: 'Old group', type: 'private_group', memberCount: 4 });
    expect(chatInfoOf(bob)).toMatchObject({ type: 'bot_chat', title: 'Bob' });
  });
});
