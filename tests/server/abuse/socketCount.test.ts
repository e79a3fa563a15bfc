// Sockets per user with several processes: counted in Redis across processes, and a
// process that dies without cleaning up stops counting once its leases run out. Real
// Redis (a private redis-server), real backends sharing one database.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../../src/shared/contract.js';
import { RedisConnectionCounter } from '../../../server/infra/connectionCounter.js';
import { createLogger } from '../../../server/logger.js';
import { startRedis, type RedisServer } from '../../faults/support/processes.js';
import { startTestServer, type ClientSocket, type TestServer } from '../../support/server.js';

const CAP = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

/** Connects, or resolves with the connect_error data. */
async function tryConnect(server: TestServer, token: string): Promise<ClientSocket | ApiError> {
  return server.socket(token).catch((error: Error & { data?: ApiError }) => error.data ?? { code: 'internal_error', message: error.message });
}

describe('two backend processes', () => {
  let one: TestServer;
  let two: TestServer;
  beforeAll(async () => {
    one = await startTestServer({ redisUrl: redis.url, instanceId: 'one', limits: { socketsPerUser: CAP } });
    two = await startTestServer({ redisUrl: redis.url, instanceId: 'two', limits: { socketsPerUser: CAP }, dbName: one.database.db.databaseName });
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  it('count one user\u2019s sockets together: the cap holds across them, and a closed socket frees a slot on either', async () => {
    const user = await one.register('roamer');
    const onOne = [await one.socket(user.token), await one.socket(user.token)];
    await two.socket(user.token);
    expect(await tryConnect(two, user.token)).toMatchObject({ code: 'rate_limited' });
    expect(await tryConnect(one, user.token)).toMatchObject({ code: 'rate_limited' });

    onOne[0]!.disconnect();
    let reopened: ClientSocket | ApiError = { code: 'rate_limited', message: '' };
    for (let attempt = 0; attempt < 40 && !('connected' in reopened); attempt++) {
      await sleep(50);
      reopened = await tryConnect(two, user.token);
    }
    expect('connected' in reopened && reopened.connected).toBe(true);
  });
});

describe('a process that dies', () => {
  const LEASE_MS = 500;
  const logger = createLogger('silent');

  it('stops counting once its leases run out; a living process keeps its sockets counted', async () => {
    const [clientA, clientB] = [new Redis(redis.url), new Redis(redis.url)];
    const a = new RedisConnectionCounter({ redis: clientA, instanceId: 'a', leaseMs: LEASE_MS, logger });
    const b = new RedisConnectionCounter({ redis: clientB, instanceId: 'b', leaseMs: LEASE_MS, logger });
    try {
      for (const id of ['a1', 'a2']) expect(await a.open('u', id, CAP)).toBe(true);
      expect(await b.open('u', 'b1', CAP)).toBe(true);
      expect(await b.open('u', 'b2', CAP)).toBe(false);

      // Several leases later, renewals keep everyone counted.
      await sleep(LEASE_MS * 3);
      expect(await b.open('u', 'b2', CAP)).toBe(false);

      // Process a dies: no more renewals, nothing cleaned up.
      clientA.disconnect();
      await sleep(LEASE_MS * 2);
      expect(await b.open('u', 'b2', CAP)).toBe(true);
      expect(await b.open('u', 'b3', CAP)).toBe(true);
      expect(await b.open('u', 'b4', CAP)).toBe(false);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      clientB.disconnect();
    }
  });
});
