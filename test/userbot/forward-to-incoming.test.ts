import bigInt from 'big-integer';
import { Api } from 'telegram';
import { toCommand } from '../../src/starters/userbot';
import { toIncoming } from '../../src/telegram';

const SELF = '42';

/** A message the owner forwarded into Saved Messages, with the forward header Telegram gives it. */
function savedForward(fwdFrom: Api.MessageFwdHeader): Api.Message {
  return new Api.Message({ id: 77, peerId: new Api.PeerUser({ userId: bigInt(SELF) }), out: true, message: 'The demo is on Friday', date: 1_800_000_000, fwdFrom });
}

describe('a forwarded message works as a link', () => {
  test("a group member's message names the group only in savedFromPeer: that group is summarized", () => {
    const incoming = toIncoming(savedForward(new Api.MessageFwdHeader({ date: 1_800_000_000, fromId: new Api.PeerUser({ userId: bigInt(7) }), savedFromPeer: new Api.PeerChannel({ channelId: bigInt(123456) }), savedFromMsgId: 9 })), SELF)!;
    expect(incoming.forwardedFrom).toBe('-100123456');
    expect(toCommand({ text: incoming.text, forwardedFrom: incoming.forwardedFrom! })).toEqual({ kind: 'summarize', chat: '-100123456' });
  });

  test('a channel post names its channel in fromId; a forward from a person names no chat and stays text', () => {
    expect(toIncoming(savedForward(new Api.MessageFwdHeader({ date: 1_800_000_000, fromId: new Api.PeerChannel({ channelId: bigInt(555) }), channelPost: 3 })), SELF)!.forwardedFrom).toBe('-100555');
    const fromPerson = toIncoming(savedForward(new Api.MessageFwdHeader({ date: 1_800_000_000, fromId: new Api.PeerUser({ userId: bigInt(7) }) })), SELF)!;
    expect(fromPerson.forwardedFrom).toBeUndefined();
    expect(toCommand({ text: fromPerson.text })).toEqual({ kind: 'text', text: 'The demo is on Friday' });
  });
});
