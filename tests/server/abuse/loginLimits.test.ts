// Login limits (docs/running.md, "Login limits") on the real server. The client IP is
// taken from X-Forwarded-For (trustProxy), so one test can speak from several IPs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthRateLimits } from '../../../server/http/middleware/rateLimit.js';
import { slowDownDelay } from '../../../server/http/middleware/rateLimit.js';
import { startTestServer, type ApiResult, type TestServer } from '../../support/server.js';

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

/** A server of its own per test: budgets are per process and must start empty. */
async function serverWith(limits: AuthRateLimits): Promise<TestServer> {
  const server = await startTestServer({ rateLimits: limits, trustProxy: true });
  servers.push(server);
  return server;
}

const NO_SLOW_DOWN = { slowDownAfterFailures: 1_000_000, slowDownMaxMs: 0 };

function login(server: TestServer, loginName: string, password: string, ip: string): Promise<ApiResult> {
  return server.request('POST', '/auth/login', { body: { login: loginName, password }, headers: { 'x-forwarded-for': ip } });
}

function expectRateLimited(res: ApiResult, maxSeconds: number): void {
  expect(res.status).toBe(429);
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(res.body.error.code).toBe('rate_limited');
  expect(res.body.error.retryAfterMs).toBeGreaterThan(0);
  expect(res.body.error.retryAfterMs).toBeLessThanOrEqual(maxSeconds * 1000);
  const retryAfter = res.headers.get('retry-after');
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBe(Math.ceil(res.body.error.retryAfterMs / 1000));
}

describe('budgets per account and client IP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await serverWith({ perIpPerMinute: 1000, perAccountPer15Minutes: 5, ...NO_SLOW_DOWN });
  });

  it('a username and an email (in any letter case) share one budget', async () => {
    const user = await server.register('shared');
    const ip = '10.1.0.1';
    for (const name of [user.user.username, user.user.email, user.user.username.toUpperCase(), user.user.email.toUpperCase(), user.user.email]) {
      expect((await login(server, name, 'wrong-password', ip)).status).toBe(401);
    }
    // Five failures in all, through four spellings: the account's budget from this IP is spent.
    for (const name of [user.user.username, user.user.email]) expectRateLimited(await login(server, name, user.password, ip), 15 * 60);
  });

  it('failures from an attacker IP do not lock the user out from theirs', async () => {
    const user = await server.register('victim');
    const attacker = '203.0.113.66';
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await login(server, user.user.username, `guess-${i}`, attacker)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
    // The attacker's IP stays shut even with the right password...
    expect((await login(server, user.user.email, user.password, attacker)).status).toBe(429);
    // ...and the user, elsewhere, gets in; a typo there is an ordinary 401.
    expect((await login(server, user.user.username, 'typo', '198.51.100.7')).status).toBe(401);
    expect((await login(server, user.user.email, user.password, '198.51.100.7')).status).toBe(200);
  });

  it('a burst of parallel attempts cannot slip under the budget', async () => {
    const user = await server.register('burst');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => login(server, user.user.username, `parallel-${i}`, '203.0.113.9')));
    const counts = { 401: 0, 429: 0 } as Record<number, number>;
    for (const res of results) counts[res.status] = (counts[res.status] ?? 0) + 1;
    expect(counts).toEqual({ 401: 5, 429: 15 });
  });

  it('an account that does not exist is limited the same way, with answers that do not tell it apart', async () => {
    const user = await server.register('real');
    const ghost = `${user.user.username.slice(0, 20)}_ghost`;
    const ip = '10.1.0.3';
    const realAnswers: ApiResult[] = [];
    const ghostAnswers: ApiResult[] = [];
    for (let i = 0; i < 7; i++) {
      realAnswers.push(await login(server, user.user.username, `wrong-${i}`, ip));
      ghostAnswers.push(await login(server, ghost, `wrong-${i}`, ip));
    }
    const shape = (res: ApiResult) => ({
      status: res.status,
      code: res.body.error.code,
      message: res.body.error.message.replace(/\d+/g, 'N'),
      headers: [...res.headers.keys()].filter((h) => h !== 'date').sort(),
    });
    expect(ghostAnswers.map(shape)).toEqual(realAnswers.map(shape));
    expect(realAnswers.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });
});

describe('successful logins', () => {
  it('do not use up the per-account or the per-IP budget, and clear the failures before them', async () => {
    const server = await serverWith({ perIpPerMinute: 3, perAccountPer15Minutes: 3, ...NO_SLOW_DOWN });
    // register() itself spends per-IP points from the test's own address; this test speaks from others.
    const user = await server.register('regular');
    const ip = '10.2.0.1';
    for (let i = 0; i < 10; i++) expect((await login(server, user.user.username, user.password, ip)).status).toBe(200);
    // Two typos, then the right password: the typos are forgiven.
    for (let i = 0; i < 2; i++) expect((await login(server, user.user.username, 'typo', ip)).status).toBe(401);
    expect((await login(server, user.user.username, user.password, ip)).status).toBe(200);
    // A full budget of failures is still available afterwards, and only then a refusal.
    for (let i = 0; i < 3; i++) expect((await login(server, user.user.username, 'typo', '10.2.0.2')).status).toBe(401);
    expectRateLimited(await login(server, user.user.username, user.password, '10.2.0.2'), 15 * 60);
  });
});

describe('failures on one account from many IPs', () => {
  it('slow every attempt on it down, progressively and capped, but never lock the user out', async () => {
    const maxMs = 700;
    const server = await serverWith({ perIpPerMinute: 1000, perAccountPer15Minutes: 5, slowDownAfterFailures: 4, slowDownMaxMs: maxMs });
    const user = await server.register('popular');
    const timed = async (password: string, ip: string) => {
      const started = performance.now();
      const res = await login(server, user.user.username, password, ip);
      return { status: res.status, ms: performance.now() - started };
    };
    const baseline = await timed(user.password, '10.3.0.1');
    expect(baseline.status).toBe(200);
    // Four failures, each from a different IP: no per-IP budget is anywhere near spent.
    for (let i = 0; i < 4; i++) expect((await timed('wrong', `10.3.1.${i}`)).status).toBe(401);
    // The fifth attempt on the account waits; the real user still gets in.
    const slowed = await timed(user.password, '10.3.0.1');
    expect(slowed.status).toBe(200);
    expect(slowed.ms).toBeGreaterThanOrEqual(250 - 20);
    for (let i = 4; i < 8; i++) expect((await timed('wrong', `10.3.1.${i}`)).status).toBe(401);
    const capped = await timed(user.password, '10.3.0.1');
    expect(capped.status).toBe(200);
    expect(capped.ms).toBeGreaterThanOrEqual(maxMs - 20);
    expect(capped.ms).toBeLessThan(maxMs + baseline.ms + 1000);
  });

  it('the delay doubles from 250 ms and stops at the cap', () => {
    expect([0, 29, 30, 31, 32, 33, 34, 35, 1000].map((failures) => slowDownDelay(failures, 30, 5000))).toEqual([0, 0, 250, 500, 1000, 2000, 4000, 5000, 5000]);
  });
});

describe('registration', () => {
  it('keeps a per-IP budget; another IP may still register', async () => {
    const server = await serverWith({ perIpPerMinute: 2, perAccountPer15Minutes: 5, ...NO_SLOW_DOWN });
    const body = (name: string) => ({ username: name, email: `${name}@example.test`, password: 'long-enough-pw' });
    const from = (ip: string, name: string) => server.request('POST', '/auth/register', { body: body(name), headers: { 'x-forwarded-for': ip } });
    expect((await from('10.4.0.1', `reg_a_${Date.now() % 1e6}`)).status).toBe(201);
    expect((await from('10.4.0.1', `reg_b_${Date.now() % 1e6}`)).status).toBe(201);
    expectRateLimited(await from('10.4.0.1', `reg_c_${Date.now() % 1e6}`), 60);
    expect((await from('10.4.0.2', `reg_d_${Date.now() % 1e6}`)).status).toBe(201);
  });
});
