import { BadInputError } from '../../src/domain';
import { parseChatInput, type ChatInput } from '../../src/telegram';

describe('parseChatInput: what a user may type', () => {
  const valid: [string, ChatInput][] = [
    ['@nodejs_ru', { kind: 'username', username: 'nodejs_ru' }],
    ['nodejs_ru', { kind: 'username', username: 'nodejs_ru' }],
    ['  @NodeJS_ru  ', { kind: 'username', username: 'NodeJS_ru' }],
    ['t.me/nodejs_ru', { kind: 'username', username: 'nodejs_ru' }],
    ['https://t.me/nodejs_ru', { kind: 'username', username: 'nodejs_ru' }],
    ['http://telegram.me/nodejs_ru/', { kind: 'username', username: 'nodejs_ru' }],
    ['https://t.me/nodejs_ru/12345', { kind: 'username', username: 'nodejs_ru', messageId: 12345 }],
    ['https://t.me/nodejs_ru/12345?single', { kind: 'username', username: 'nodejs_ru', messageId: 12345 }],
    ['https://t.me/forum_chat/7/12345', { kind: 'username', username: 'forum_chat', messageId: 12345 }],
    ['https://t.me/s/durov/300', { kind: 'username', username: 'durov', messageId: 300 }],
    ['tg://resolve?domain=nodejs_ru&post=9', { kind: 'username', username: 'nodejs_ru', messageId: 9 }],
    ['https://t.me/c/1234567890/55', { kind: 'id', id: 1234567890, peer: 'channel', messageId: 55 }],
    ['t.me/c/1234567890/8/55', { kind: 'id', id: 1234567890, peer: 'channel', messageId: 55 }],
    ['https://t.me/c/1234567890', { kind: 'id', id: 1234567890, peer: 'channel' }],
    ['tg://privatepost?channel=1234567890&post=4', { kind: 'id', id: 1234567890, peer: 'channel', messageId: 4 }],
    ['https://t.me/+AbCdEf123456_-x', { kind: 'invite', hash: 'AbCdEf123456_-x' }],
    ['t.me/joinchat/AAAAAEHbEkejzxUjAUCzYA', { kind: 'invite', hash: 'AAAAAEHbEkejzxUjAUCzYA' }],
    ['tg://join?invite=AbCdEf123456', { kind: 'invite', hash: 'AbCdEf123456' }],
    ['-1001234567890', { kind: 'id', id: 1234567890, peer: 'channel' }],
    ['-4001234', { kind: 'id', id: 4001234, peer: 'group' }],
    ['1234567890', { kind: 'id', id: 1234567890 }],
  ];

  test.each(valid)('%s', (input, expected) => {
    expect(parseChatInput(input)).toEqual(expected);
  });

  const invalid: [string, RegExp][] = [
    ['', /No chat given/],
    ['   ', /No chat given/],
    ['@ab', /not a valid Telegram username/],
    ['@1abcde', /not a valid Telegram username/],
    ['@name_', /not a valid Telegram username/],
    ['@na__me', /not a valid Telegram username/],
    ['nodejs ru', /contains spaces/],
    ['https://example.com/nodejs_ru', /not a Telegram link: the host should be t.me/],
    ['ftp://t.me/nodejs_ru', /not a Telegram link/],
    ['https://t.me/', /names no chat/],
    ['https://t.me/joinchat/', /invite link without its code/],
    ['https://t.me/+abc', /not a valid invite link/],
    ['https://t.me/+4915123456789', /phone number link, not a chat/],
    ['https://t.me/c/', /without the chat id/],
    ['https://t.me/c/abc/5', /chat id "abc", which is not a positive number/],
    ['https://t.me/nodejs_ru/abc', /message id "abc", which is not a positive number/],
    ['https://t.me/addstickers/Animals', /addstickers link, not a chat/],
    ['https://t.me/share/url?url=x', /share link, not a chat/],
    ['tg://settings', /does not name a chat/],
    ['tg://resolve?phone=123', /no domain= parameter/],
    ['0', /not a chat id Telegram uses/],
    ['99999999999999999999', /not a chat id Telegram uses/],
  ];

  test.each(invalid)('%p is refused', (input, message) => {
    let caught: unknown;
    try {
      parseChatInput(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(BadInputError);
    expect((caught as BadInputError).message).toMatch(message);
    // Every refusal shows what a valid chat looks like.
    expect((caught as BadInputError).hint).toMatch(/https:\/\/t\.me\/nodejs_ru/);
  });
});
