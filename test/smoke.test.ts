import { Connection } from '@temporalio/client';
import Redis from 'ioredis';
import { testStack } from './support/stack';

test('the test stack runs a real Redis and a real Temporal', async () => {
  const { redisUrl, temporalAddress } = testStack();
  const redis = new Redis(redisUrl);
  expect(await redis.ping()).toBe('PONG');
  redis.disconnect();
  const connection = await Connection.connect({ address: temporalAddress });
  const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
  expect(ns.namespaceInfo?.name).toBe('default');
  await connection.close();
});
