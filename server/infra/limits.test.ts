// The limit settings as the environment gives them, and the in-memory behaviour of the
// budgets (the server tests in tests/server/abuse cover them end to end).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { DEFAULT_LIMITS, UsageLimits } from './limits.js';

const base = { LOCAL_DB: '1' };
const limits = (overrides: Partial<typeof DEFAULT_LIMITS> = {}) =>
  new UsageLimits({ ...DEFAULT_LIMITS, ...overrides }, { instanceId: 'test', connectionLeaseMs: 15_000, logger: createLogger('silent') });

describe('limit settings from the environment', () => {
  it('default to DEFAULT_LIMITS and a bound of 300', () => {
    const config = loadConfig(base);
    expect(config.limits).toEqual(DEFAULT_LIMITS);
    expect(config.maxDatabaseWork).toBe(300);
  });

  it('can be raised for load tests, and a bad value stops the server naming the variable', () => {
    const config = loadConfig({ ...base, LIMIT_SENDS_PER_SECOND: '100000', LIMIT_SOCKETS_PER_USER: '500', MAX_DATABASE_WORK: '2000' });
    expect(config.limits.sendsPerSecond).toBe(100_000);
    expect(config.limits.socketsPerUser).toBe(500);
    expect(config.maxDatabaseWork).toBe(2000);
    expect(() => loadConfig({ ...base, LIMIT_SEND_BURST: '0' })).toThrow(/LIMIT_SEND_BURST/);
    expect(() => loadConfig({ ...base, LIMIT_ROOM_VIEWS_PER_10S: 'many' })).toThrow(/LIMIT_ROOM_VIEWS_PER_10S/);
    expect(() => loadConfig({ ...base, MAX_DATABASE_WORK: '-1' })).toThrow(/MAX_DATABASE_WORK/);
  });
});

describe('usage limits', () => {
  it('let sendsPerSecond + sendBurst through at once, then refuse with the wait, and say so without asking again', async () => {
    const usage = limits({ sendsPerSecond: 2, sendBurst: 3 });
    for (let i = 0; i < 5; i++) (await usage.send('u'))();
    const refusal = await usage.send('u').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toMatchObject({ code: 'rate_limited', status: 429 });
    expect((refusal as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    expect(usage.standingRefusal('send', 'u')).toMatchObject({ code: 'rate_limited' });
    // Per user.
    expect(usage.standingRefusal('send', 'someone else')).toBeUndefined();
    await expect(usage.send('someone else')).resolves.toBeTypeOf('function');
  });

  it('give a user one send turn at a time, in order, and never refuse for it', async () => {
    const usage = limits({ sendsInFlightPerUser: 1 });
    const order: number[] = [];
    const first = await usage.send('u');
    const waiting = [1, 2, 3].map((n) => usage.send('u').then((release) => (order.push(n), release)));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(order).toEqual([]);
    first();
    first(); // a second release changes nothing
    for (const turn of waiting) (await turn)();
    expect(order).toEqual([1, 2, 3]);
  });

  it('count sockets per user up to the cap and free a slot when one closes', async () => {
    const usage = limits({ socketsPerUser: 2 });
    await usage.openSocket('u', 'a');
    await usage.openSocket('u', 'b');
    await expect(usage.openSocket('u', 'c')).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
    await usage.closeSocket('u', 'a');
    await expect(usage.openSocket('u', 'c')).resolves.toBeUndefined();
  });
});
