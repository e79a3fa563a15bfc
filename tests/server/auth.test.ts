// Users and sessions over the real server: registration rules and uniqueness, login,
// the bearer token on HTTP and sockets, logout and expiry ending live connections,
// what is stored, and the brute-force limits on the auth routes.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, LIMITS, type AuthResponse, type ErrorCode } from '../../src/shared/contract.js';
import { ask, nextEvent } from '../support/events.js';
import { startTestServer, type ApiResult, type ClientSocket, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

// ---------- helpers ----------

/** A fresh name, unique across runs, within the 32-character limit. */
const uniqueName = (prefix: string) => `${prefix}_${randomBytes(4).toString('hex')}`;
const password = () => `pw-${randomBytes(8).toString('hex')}`;

function registerBody(overrides: Partial<{ username: string; email: string; password: string }> = {}) {
  const username = overrides.username ?? uniqueName('u');
  return { username, email: overrides.email ?? `${username}@example.test`, password: overrides.password ?? password() };
}

function expectError(res: ApiResult, status: number, code: ErrorCode | readonly ErrorCode[]): Record<string, string> | undefined {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(Object.keys(res.body as object)).toEqual(['error']);
  const error = (res.body as { error: Record<string, unknown> }).error;
  expect(Object.keys(error).every((k) => ['code', 'message', 'fields', 'retryAfterMs'].includes(k))).toBe(true);
  expect(ERROR_CODES).toContain(error.code);
  if (typeof code === 'string') expect(error.code).toBe(code);
  else expect(code).toContain(error.code);
  expect(error.message).toBeTypeOf('string');
  return error.fields as Record<string, string> | undefined;
}

/** The codes a refused bearer token may carry. */
const REFUSED_TOKEN: readonly ErrorCode[] = ['unauthenticated', 'session_expired'];

function expectAuthResponse(body: unknown, expected: { username: string; email: string }): AuthResponse {
  const auth = body as AuthResponse;
  expect(Object.keys(auth).sort()).toEqual(['expiresAt', 'token', 'user']);
  expect(Object.keys(auth.user).sort()).toEqual(['email', 'id', 'username']);
  expect(auth.user).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), ...expected });
  // 32 random bytes are 43 base64url characters: at least 256 bits.
  expect(auth.token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
  expect(new Date(auth.expiresAt).toISOString()).toBe(auth.expiresAt);
  expect(Date.parse(auth.expiresAt)).toBeGreaterThan(Date.now());
  return auth;
}

/** Resolves with the reason once the socket is disconnected; fails after a timeout. */
function disconnection(socket: ClientSocket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket was not disconnected')), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** Every string anywhere in every document of every collection. */
async function allStoredStrings(): Promise<string[]> {
  const db = server.database.db;
  const strings: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(JSON.parse(JSON.stringify(value)) as object).forEach(walk);
  };
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find().toArray()) walk(doc);
  }
  return strings;
}

// ---------- registration ----------

describe('register', () => {
  it('answers 201 with a token, its expiry and the public user, never the password', async () => {
    const body = registerBody({ username: uniqueName('Alice') });
    const res = await server.request('POST', '/auth/register', { body });
    expect(res.status).toBe(201);
    const auth = expectAuthResponse(res.body, { username: body.username, email: body.email });
    // The default test session lasts a day.
    expect(Math.abs(Date.parse(auth.expiresAt) - (Date.now() + 24 * 60 * 60 * 1000))).toBeLessThan(60_000);
    const raw = JSON.stringify(res.body);
    expect(raw).not.toContain(body.password);
    expect(raw).not.toMatch(/password/i);
    const me = await server.request('GET', '/me', { token: auth.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: auth.user });
  });

  it('issues a different token to every session', async () => {
    const user = await server.register('tokens');
    const again = await server.request('POST', '/auth/login', { body: { login: user.user.username, password: user.password } });
    expect(again.status).toBe(200);
    expect(again.body.token).not.toBe(user.token);
  });

  it('refuses a username taken in any letter case with 409 username_taken', async () => {
    const first = registerBody({ username: uniqueName('Mixed') });
    expect((await server.request('POST', '/auth/register', { body: first })).status).toBe(201);
    const usersBefore = await server.database.db.collection('users').countDocuments();
    for (const username of [first.username, first.username.toLowerCase(), first.username.toUpperCase()]) {
      const res = await server.request('POST', '/auth/register', { body: registerBody({ username }) });
      const fields = expectError(res, 409, 'username_taken');
      expect(fields?.username).toBeTypeOf('string');
    }
    expect(await server.database.db.collection('users').countDocuments()).toBe(usersBefore);
  });

  it('refuses an email registered in any letter case with 409 email_taken', async () => {
    const first = registerBody({ email: `${uniqueName('Mail')}@Example.Test` });
    expect((await server.request('POST', '/auth/register', { body: first })).status).toBe(201);
    const usersBefore = await server.database.db.collection('users').countDocuments();
    for (const email of [first.email, first.email.toLowerCase(), first.email.toUpperCase()]) {
      const res = await server.request('POST', '/auth/register', { body: registerBody({ email }) });
      const fields = expectError(res, 409, 'email_taken');
      expect(fields?.email).toBeTypeOf('string');
    }
    expect(await server.database.db.collection('users').countDocuments()).toBe(usersBefore);
  });

  it.each([
    ['the minimum length', () => `a${randomBytes(1).toString('hex')}`],
    ['the maximum length', () => `${randomBytes(16).toString('hex')}`],
    ['letters, digits, _ . and -', () => `A.b-c_${randomBytes(3).toString('hex')}`],
  ])('accepts a username of %s', async (_label, make) => {
    const username = make();
    expect(username.length).toBeGreaterThanOrEqual(LIMITS.usernameMin);
    expect(username.length).toBeLessThanOrEqual(LIMITS.usernameMax);
    const res = await server.request('POST', '/auth/register', { body: registerBody({ username }) });
    expect(res.status).toBe(201);
    expect(res.body.user.username).toBe(username);
  });

  it.each([
    ['too short', 'ab'],
    ['too long', 'x'.repeat(LIMITS.usernameMax + 1)],
    ['empty', ''],
    ['with a space', 'two words'],
    ['with @', 'me@home'],
    ['with a slash', 'a/b'],
    ['with non-ASCII letters', 'émile_x'],
    ['with an emoji', 'smile😀'],
  ])('refuses a username %s with 400 validation_failed', async (_label, username) => {
    const res = await server.request('POST', '/auth/register', { body: registerBody({ username, email: `${uniqueName('e')}@example.test` }) });
    const fields = expectError(res, 400, 'validation_failed');
    expect(fields?.username).toBeTypeOf('string');
  });

  it.each([['plainaddress'], ['missing-domain@'], ['@missing-local.test'], ['two@@example.test'], ['spa ce@example.test'], ['']])(
    'refuses the email %j',
    async (email) => {
      const res = await server.request('POST', '/auth/register', { body: registerBody({ email }) });
      const fields = expectError(res, 400, 'validation_failed');
      expect(fields?.email).toBeTypeOf('string');
    },
  );

  it('needs a password of at least 8 characters', async () => {
    const short = await server.request('POST', '/auth/register', { body: registerBody({ password: '1234567' }) });
    const fields = expectError(short, 400, 'validation_failed');
    expect(fields?.password).toBeTypeOf('string');
    const enough = await server.request('POST', '/auth/register', { body: registerBody({ password: '12345678' }) });
    expect(enough.status).toBe(201);
  });

  it.each([
    ['the same username', (name: string) => [name, name]],
    ['one username in two letter cases', (name: string) => [name.toUpperCase(), name.toLowerCase()]],
  ])('lets exactly one of two concurrent registrations of %s win', async (_label, spell) => {
    const [a, b] = spell(uniqueName('race')) as [string, string];
    const results = await Promise.all([
      server.request('POST', '/auth/register', { body: registerBody({ username: a, email: `${uniqueName('a')}@example.test` }) }),
      server.request('POST', '/auth/register', { body: registerBody({ username: b, email: `${uniqueName('b')}@example.test` }) }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(expectError(loser, 409, 'username_taken')?.username).toBeTypeOf('string');
    expect(await server.database.db.collection('users').countDocuments({ usernameLower: a.toLowerCase() })).toBe(1);
  });

  it('lets exactly one of two concurrent registrations of the same email win', async () => {
    const email = `${uniqueName('race')}@example.test`;
    const results = await Promise.all([
      server.request('POST', '/auth/register', { body: registerBody({ email }) }),
      server.request('POST', '/auth/register', { body: registerBody({ email: email.toUpperCase() }) }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expectError(
      results.find((r) => r.status === 409)!,
      409,
      'email_taken',
    );
    expect(await server.database.db.collection('users').countDocuments({ emailLower: email.toLowerCase() })).toBe(1);
  });
});

// ---------- login ----------

describe('login', () => {
  it('signs in by username or email, in any letter case, as the same user', async () => {
    const body = registerBody({ username: uniqueName('Login'), email: `${uniqueName('Login')}@Example.test` });
    const registered = await server.request('POST', '/auth/register', { body });
    expect(registered.status).toBe(201);
    const tokens = new Set<string>([registered.body.token]);
    for (const login of [
      body.username,
      body.username.toUpperCase(),
      body.username.toLowerCase(),
      body.email,
      body.email.toLowerCase(),
      body.email.toUpperCase(),
    ]) {
      const res = await server.request('POST', '/auth/login', { body: { login, password: body.password } });
      expect(res.status, `login as ${login}`).toBe(200);
      const auth = expectAuthResponse(res.body, { username: body.username, email: body.email });
      expect(auth.user.id).toBe(registered.body.user.id);
      tokens.add(auth.token);
      expect((await server.request('GET', '/me', { token: auth.token })).body.user.id).toBe(auth.user.id);
    }
    expect(tokens.size).toBe(7);
  });

  it('refuses a wrong password and an unknown user alike with 401 invalid_credentials, creating no session', async () => {
    const user = await server.register('victim');
    const sessionsBefore = await server.database.db.collection('sessions').countDocuments();
    const wrongPassword = await server.request('POST', '/auth/login', { body: { login: user.user.username, password: `${user.password}x` } });
    const wrongCase = await server.request('POST', '/auth/login', { body: { login: user.user.username, password: user.password.toUpperCase() } });
    const unknownUser = await server.request('POST', '/auth/login', { body: { login: uniqueName('ghost'), password: user.password } });
    const unknownEmail = await server.request('POST', '/auth/login', { body: { login: `${uniqueName('ghost')}@example.test`, password: user.password } });
    for (const res of [wrongPassword, wrongCase, unknownUser, unknownEmail]) expectError(res, 401, 'invalid_credentials');
    // Nothing tells the two apart, so the answer does not reveal which accounts exist.
    expect(unknownUser.body).toEqual(wrongPassword.body);
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    expect(await server.database.db.collection('sessions').countDocuments()).toBe(sessionsBefore);
  });
});

// ---------- the bearer token ----------

describe('session token', () => {
  it('GET /me answers the signed-in user', async () => {
    const user = await server.register('me');
    const res = await server.request('GET', '/me', { token: user.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: user.user });
  });

  it('GET /me without a token is 401 unauthenticated', async () => {
    expectError(await server.request('GET', '/me'), 401, 'unauthenticated');
  });

  it.each([
    ['a made-up word', { authorization: 'Bearer garbage' }],
    ['a well-formed token never issued', { authorization: `Bearer ${randomBytes(32).toString('base64url')}` }],
    ['characters outside base64url', { authorization: 'Bearer abc$%^&*def' }],
    ['an over-long token', { authorization: `Bearer ${'a'.repeat(600)}` }],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['no scheme', { authorization: randomBytes(32).toString('base64url') }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('GET /me with %s is 401', async (_label, headers) => {
    expectError(await server.request('GET', '/me', { headers }), 401, REFUSED_TOKEN);
  });

  it('refuses a socket without a token or with a garbage one', async () => {
    await expect(server.socket('')).rejects.toMatchObject({ data: { code: expect.toBeOneOf([...REFUSED_TOKEN]) } });
    await expect(server.socket('garbage')).rejects.toMatchObject({ data: { code: expect.toBeOneOf([...REFUSED_TOKEN]) } });
    await expect(server.socket(randomBytes(32).toString('base64url'))).rejects.toMatchObject({
      data: { code: expect.toBeOneOf([...REFUSED_TOKEN]) },
    });
  });
});

// ---------- logout ----------

describe('logout', () => {
  it('answers 204, refuses the token afterwards and ends every socket of that session', async () => {
    const user = await server.register('leaver');
    const otherSession = await server.request('POST', '/auth/login', { body: { login: user.user.username, password: user.password } });
    expect(otherSession.status).toBe(200);
    const [first, second, survivor] = await Promise.all([server.socket(user.token), server.socket(user.token), server.socket(otherSession.body.token)]);
    const ended = [nextEvent(first, 'session:ended'), nextEvent(second, 'session:ended')];
    const gone = [disconnection(first), disconnection(second)];

    const res = await server.request('POST', '/auth/logout', { token: user.token });
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();

    expect(await Promise.all(ended)).toEqual([{ reason: 'logged_out' }, { reason: 'logged_out' }]);
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
    expect(first.connected).toBe(false);
    expect(second.connected).toBe(false);

    expectError(await server.request('GET', '/me', { token: user.token }), 401, REFUSED_TOKEN);
    expectError(await server.request('POST', '/auth/logout', { token: user.token }), 401, REFUSED_TOKEN);
    await expect(server.socket(user.token)).rejects.toMatchObject({ data: { code: expect.toBeOneOf([...REFUSED_TOKEN]) } });

    // The user's other session is untouched: its socket still answers, its token still works.
    const stillThere = await ask<{ ok: boolean }>(survivor, 'room:leave', { roomId: 'a'.repeat(24) });
    expect(stillThere.ok).toBe(true);
    expect(survivor.connected).toBe(true);
    expect((await server.request('GET', '/me', { token: otherSession.body.token })).status).toBe(200);
  });

  it('needs a session', async () => {
    expectError(await server.request('POST', '/auth/logout'), 401, 'unauthenticated');
    expectError(await server.request('POST', '/auth/logout', { token: randomBytes(32).toString('base64url') }), 401, REFUSED_TOKEN);
  });
});

// ---------- expiry ----------

describe('session expiry', () => {
  const TTL_MS = 1500;
  let short: TestServer;
  beforeAll(async () => {
    short = await startTestServer({ sessionTtlMs: TTL_MS });
  });
  afterAll(() => short?.close());

  it('refuses an expired token over HTTP and disconnects its open socket', async () => {
    const startedAt = Date.now();
    const user = await short.register('brief');
    const expiresAt = Date.parse(user.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(startedAt + TTL_MS);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + TTL_MS);

    const socket = await short.socket(user.token);
    const ended = nextEvent(socket, 'session:ended');
    const gone = disconnection(socket);
    expect((await short.request('GET', '/me', { token: user.token })).status).toBe(200);

    // Poll until the server refuses the token, with a deadline well past the expiry.
    const deadline = expiresAt + 3000;
    let refused: ApiResult | undefined;
    while (Date.now() < deadline) {
      const res = await short.request('GET', '/me', { token: user.token });
      if (res.status !== 200) {
        refused = res;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(refused, 'the token was still accepted 3 s after it expired').toBeDefined();
    // Never refused early: the refusal arrived after the promised expiry.
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    expectError(refused!, 401, 'session_expired');

    expect(await ended).toEqual({ reason: 'expired' });
    expect(await gone).toBe('io server disconnect');
    expect(socket.connected).toBe(false);
    await expect(short.socket(user.token)).rejects.toMatchObject({ data: { code: 'session_expired' } });

    // Signing in again starts a fresh session.
    const again = await short.request('POST', '/auth/login', { body: { login: user.user.username, password: user.password } });
    expect(again.status).toBe(200);
    expect((await short.request('GET', '/me', { token: again.body.token })).status).toBe(200);
  });
});

// ---------- what is stored ----------

describe('storage', () => {
  it('stores passwords only as argon2id hashes', async () => {
    const user = await server.register('hashed');
    const doc = await server.database.db.collection('users').findOne({ usernameLower: user.user.username.toLowerCase() });
    expect(doc).not.toBeNull();
    expect(doc!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(doc!.passwordHash).not.toContain(user.password);
    expect(JSON.stringify(doc)).not.toContain(user.password);
    expect(await allStoredStrings()).not.toContainEqual(expect.stringContaining(user.password));
  });

  it('stores sessions only as a hash of the token', async () => {
    const user = await server.register('sessioned');
    const sessions = await server.database.db.collection('sessions').find().toArray();
    expect(sessions.some((s) => String(s.userId) === user.user.id)).toBe(true);
    expect(sessions.some((s) => String(s._id) === user.token)).toBe(false);
    const stored = await allStoredStrings();
    expect(stored).not.toContain(user.token);
    expect(stored).not.toContainEqual(expect.stringContaining(user.token));
  });
});

// ---------- brute-force limits ----------

describe('rate limits', () => {
  it('limits login attempts per account name, with Retry-After', async () => {
    const limited = await startTestServer({ rateLimits: { perIpPerMinute: 100, perAccountPer15Minutes: 3 } });
    try {
      const user = await limited.register('target');
      for (let i = 0; i < 3; i++) {
        const res = await limited.request('POST', '/auth/login', { body: { login: user.user.username, password: 'wrong-password' } });
        expectError(res, 401, 'invalid_credentials');
      }
      // The budget is spent: even the right password, in another letter case, is turned away.
      for (const login of [user.user.username, user.user.username.toUpperCase()]) {
        const res = await limited.request('POST', '/auth/login', { body: { login, password: user.password } });
        expectError(res, 429, 'rate_limited');
        const retryAfter = Number(res.headers.get('retry-after'));
        expect(Number.isInteger(retryAfter)).toBe(true);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      }
      // Another account from the same client is still served.
      const other = await limited.register('bystander');
      const ok = await limited.request('POST', '/auth/login', { body: { login: other.user.username, password: other.password } });
      expect(ok.status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('limits auth requests per client IP across account names, with Retry-After', async () => {
    const limited = await startTestServer({ rateLimits: { perIpPerMinute: 5, perAccountPer15Minutes: 100 } });
    try {
      for (let i = 0; i < 5; i++) {
        const res = await limited.request('POST', '/auth/login', { body: { login: uniqueName(`probe${i}`), password: 'wrong-password' } });
        expectError(res, 401, 'invalid_credentials');
      }
      const blocked = await limited.request('POST', '/auth/login', { body: { login: uniqueName('probe5'), password: 'wrong-password' } });
      expectError(blocked, 429, 'rate_limited');
      const retryAfter = Number(blocked.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Registration shares the per-IP budget.
      const register = await limited.request('POST', '/auth/register', { body: registerBody() });
      expectError(register, 429, 'rate_limited');
      expect(register.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await limited.database.db.collection('users').countDocuments()).toBe(0);
    } finally {
      await limited.close();
    }
  });
});
