import Redis from 'ioredis';
import { Api } from 'telegram';
import { TransportError } from '../../src/domain';
import { GramjsTelegram, PeerCache, telegramKeys, type GramjsClient } from '../../src/telegram';
import { CountingGuard } from '../fakes/fake-telegram-guard';
import { testStack, uniqueName } from '../support/stack';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(testStack().redisUrl);
});
afterAll(() => redis.quit());

/** A gramjs client whose connection died: gramjs never answers the requests it holds, and says it is not connected. */
class DeadClient implements GramjsClient {
  connected = false;
  invoked: string[] = [];
  invoke<R extends Api.AnyRequest>(request: R): Promise<R['__response']> {
    this.invoked.push(request.className);
    if (this.connected) return Promise.resolve([new Api.User({ id: 7 as never, firstName: 'Back' })] as unknown as R['__response']);
    return new Promise(() => undefined);
  }
  uploadFile(): Promise<Api.TypeInputFile> {
    return new Promise(() => undefined);
  }
}

const port = (client: GramjsClient, reconnect?: () => Promise<GramjsClient>) =>
  new GramjsTelegram({ client, guard: new CountingGuard(), account: 'a', peers: new PeerCache(redis, telegramKeys(`${uniqueName('deadline')}:`), 'a'), requestTimeoutMs: 200, reconnect });

test('a request the server never answers fails after the deadline, to be retried, instead of hanging', async () => {
  const err = await port(new DeadClient()).whoami().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(TransportError);
  expect((err as Error).message).toBe('Telegram did not answer users.GetUsers within 0.2 s: it will be retried');
});

test('a connection gramjs gave up on is rebuilt before the next request', async () => {
  const client = new DeadClient();
  const reconnect = jest.fn(async () => {
    client.connected = true;
    return client;
  });
  expect(await port(client, reconnect).whoami()).toMatchObject({ id: 'user7', firstName: 'Back' });
  expect(reconnect).toHaveBeenCalledTimes(1);
});

test('a request that missed its deadline on a client that says it is connected: the next one goes to a new client', async () => {
  // gramjs, killed during its own reconnect, can say it is connected and never answer.
  const stuck = new DeadClient();
  stuck.connected = true;
  stuck.invoke = <R extends Api.AnyRequest>(request: R): Promise<R['__response']> => {
    stuck.invoked.push(request.className);
    return new Promise(() => undefined);
  };
  const fresh = new DeadClient();
  fresh.connected = true;
  const reconnect = jest.fn(async () => fresh);
  const telegram = port(stuck, reconnect);
  await expect(telegram.whoami()).rejects.toThrow('Telegram did not answer users.GetUsers within 0.2 s: it will be retried');
  expect(reconnect).not.toHaveBeenCalled();
  expect(await telegram.whoami()).toMatchObject({ id: 'user7' });
  expect(reconnect).toHaveBeenCalledTimes(1);
  expect(fresh.invoked).toEqual(['users.GetUsers']);
});

test('a rebuild that hangs counts against the deadline, and the next request tries again', async () => {
  const client = new DeadClient();
  let attempt = 0;
  const reconnect = jest.fn(() => (++attempt === 1 ? new Promise<GramjsClient>(() => undefined) : Promise.resolve(Object.assign(new DeadClient(), { connected: true }))));
  const telegram = port(client, reconnect);
  await expect(telegram.whoami()).rejects.toBeInstanceOf(TransportError);
  expect(await telegram.whoami()).toMatchObject({ id: 'user7' });
  expect(reconnect).toHaveBeenCalledTimes(2);
});
