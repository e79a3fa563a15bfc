// Bad input, route by route and event by event: every malformed request is refused
// with a 4xx and the contract's error body, nothing reaches the database, and the
// process keeps serving afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, LIMITS, type ErrorCode, type Message } from '../../src/shared/contract.js';
import { ask, collect, nextEvent } from '../support/events.js';
import { startTestServer, type ApiResult, type ClientSocket, type TestServer } from '../support/server.js';

let server: TestServer;
let ownerToken: string;
let memberId: string;
let memberUsername: string;
let roomId: string;
let messageId: string;
/** The owner's socket, which sends every bad event. */
let sock: ClientSocket;
/** A member viewing the room: must hear nothing caused by a refused event. */
let watcher: ClientSocket;
let watched: { messages: ReturnType<typeof collect<'message:new'>>; presence: ReturnType<typeof collect<'room:presence'>> };

/** A well-formed id that names nothing. */
const UNKNOWN_ID = 'a'.repeat(24);

beforeAll(async () => {
  server = await startTestServer();
  const owner = await server.register('owner');
  const member = await server.register('member');
  ownerToken = owner.token;
  memberId = member.user.id;
  memberUsername = member.user.username;
  const room = await server.request('POST', '/rooms', { token: ownerToken, body: { name: 'Validation' } });
  expect(room.status).toBe(201);
  roomId = room.body.room.id;
  const added = await server.request('POST', `/rooms/${roomId}/members`, { token: ownerToken, body: { username: memberUsername } });
  expect(added.status).toBe(201);
  const sent = await server.request('POST', `/rooms/${roomId}/messages`, { token: ownerToken, body: { clientId: 'seed-1', text: 'seed' } });
  expect(sent.status).toBe(201);
  messageId = sent.body.message.id;

  [sock, watcher] = await Promise.all([server.socket(ownerToken), server.socket(member.token)]);
  const entered = await ask<{ ok: boolean }>(watcher, 'room:enter', { roomId });
  expect(entered.ok).toBe(true);
  watched = { messages: collect(watcher, 'message:new'), presence: collect(watcher, 'room:presence') };
});

afterAll(() => server?.close());

// ---------- helpers ----------

/** Every document of every collection, so "nothing was written" covers the whole database. */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const db = server.database.db;
  const names = (await db.listCollections().toArray()).map((c) => c.name).sort();
  const out: Record<string, unknown[]> = {};
  for (const name of names) {
    const docs = await db.collection(name).find().sort({ _id: 1 }).toArray();
    out[name] = JSON.parse(JSON.stringify(docs)) as unknown[];
  }
  return out;
}

/** The contract's error object and nothing else: code, message and optionally a field map. */
function expectApiError(error: unknown, code: ErrorCode): Record<string, string> | undefined {
  expect(error).toBeTypeOf('object');
  const e = error as Record<string, unknown>;
  expect(Object.keys(e).every((k) => ['code', 'message', 'fields'].includes(k))).toBe(true);
  expect(ERROR_CODES).toContain(e.code);
  expect(e.code).toBe(code);
  expect(e.message).toBeTypeOf('string');
  expect((e.message as string).length).toBeGreaterThan(0);
  if (e.fields === undefined) return undefined;
  expect(e.fields).toBeTypeOf('object');
  for (const value of Object.values(e.fields as object)) expect(value).toBeTypeOf('string');
  return e.fields as Record<string, string>;
}

/** An HTTP refusal: the status, a JSON body of exactly {error:{...}}. */
function expectErrorResponse(res: ApiResult, status: number, code: ErrorCode): Record<string, string> | undefined {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/json/);
  expect(res.body).toBeTypeOf('object');
  expect(Object.keys(res.body as object)).toEqual(['error']);
  return expectApiError((res.body as { error: unknown }).error, code);
}

const ids = () => ({ room: roomId, user: memberId, msg: messageId });
const fill = (path: string) => path.replace(/:(room|user|msg)\b/g, (_, key: 'room' | 'user' | 'msg') => ids()[key]);

// ---------- HTTP ----------

interface HttpCase {
  name: string;
  method: string;
  path: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Send the owner's token (default true). */
  authed?: boolean;
  status?: number;
  code?: ErrorCode;
  /** A field the error's field map must name. */
  field?: string;
}

const validRegister = { email: 'valid@example.test', username: 'valid_user', password: 'long-enough-pw' };
const long = (n: number, ch = 'x') => ch.repeat(n);

const httpCases: HttpCase[] = [
  // register
  { name: 'register: no body', method: 'POST', path: '/auth/register', authed: false, field: 'username' },
  { name: 'register: empty object', method: 'POST', path: '/auth/register', body: {}, authed: false, field: 'email' },
  { name: 'register: array body', method: 'POST', path: '/auth/register', body: [validRegister], authed: false },
  {
    name: 'register: non-JSON content type',
    method: 'POST',
    path: '/auth/register',
    rawBody: 'username=valid_user&password=long-enough-pw',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    authed: false,
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'register: username a number',
    method: 'POST',
    path: '/auth/register',
    body: { ...validRegister, username: 12345 },
    authed: false,
    field: 'username',
  },
  { name: 'register: username null', method: 'POST', path: '/auth/register', body: { ...validRegister, username: null }, authed: false, field: 'username' },
  {
    name: 'register: username too short',
    method: 'POST',
    path: '/auth/register',
    body: { ...validRegister, username: 'ab' },
    authed: false,
    field: 'username',
  },
  {
    name: 'register: username too long',
    method: 'POST',
    path: '/auth/register',
    body: { ...validRegister, username: long(33, 'u') },
    authed: false,
    field: 'username',
  },
  {
    name: 'register: username with a space',
    method: 'POST',
    path: '/auth/register',
    body: { ...validRegister, username: 'bad name' },
    authed: false,
    field: 'username',
  },
  {
    name: 'register: username with @',
    method: 'POST',
    path: '/auth/register',
    body: { ...validRegister, username: 'bad@name' },
    authed: false,
    field: 'username',
  },
  {
    name: 'register: email malformed',
    method: 'POST',
    path: '/auth/register',
    body: { ...validRegister, email: 'not-an-email' },
    authed: false,
    field: 'email',
  },
  {
    name: 'register: email too long',
    method: 'POST',
    path: '/auth/register',
    body: { ...validRegister, email: `${long(250, 'e')}@example.test` },
    authed: false,
    field: 'email',
  },
  { name: 'register: email an object', method: 'POST', path: '/auth/register', body: { ...validRegister, email: { $gt: '' } }, authed: false, field: 'email' },
  {
    name: 'register: password too short',
    method: 'POST',
    path: '/auth/register',
    body: { ...validRegister, password: 'seven77' },
    authed: false,
    field: 'password',
  },
  {
    name: 'register: password too long',
    method: 'POST',
    path: '/auth/register',
    body: { ...validRegister, password: long(LIMITS.passwordMax + 1) },
    authed: false,
    field: 'password',
  },
  {
    name: 'register: password a number',
    method: 'POST',
    path: '/auth/register',
    body: { ...validRegister, password: 123456789 },
    authed: false,
    field: 'password',
  },
  { name: 'register: extra field', method: 'POST', path: '/auth/register', body: { ...validRegister, isAdmin: true }, authed: false },

  // login
  { name: 'login: empty object', method: 'POST', path: '/auth/login', body: {}, authed: false, field: 'login' },
  { name: 'login: empty login', method: 'POST', path: '/auth/login', body: { login: '', password: 'whatever1' }, authed: false, field: 'login' },
  { name: 'login: blank login', method: 'POST', path: '/auth/login', body: { login: '   ', password: 'whatever1' }, authed: false, field: 'login' },
  { name: 'login: empty password', method: 'POST', path: '/auth/login', body: { login: 'someone', password: '' }, authed: false, field: 'password' },
  {
    name: 'login: login an object (operator injection)',
    method: 'POST',
    path: '/auth/login',
    body: { login: { $ne: null }, password: 'whatever1' },
    authed: false,
    field: 'login',
  },
  { name: 'login: password a number', method: 'POST', path: '/auth/login', body: { login: 'someone', password: 12345678 }, authed: false, field: 'password' },
  {
    name: 'login: login too long',
    method: 'POST',
    path: '/auth/login',
    body: { login: long(LIMITS.emailMax + 1), password: 'whatever1' },
    authed: false,
    field: 'login',
  },
  {
    name: 'login: password too long',
    method: 'POST',
    path: '/auth/login',
    body: { login: 'someone', password: long(LIMITS.passwordMax + 1) },
    authed: false,
    field: 'password',
  },
  { name: 'login: extra field', method: 'POST', path: '/auth/login', body: { login: 'someone', password: 'whatever1', remember: true }, authed: false },

  // create room
  { name: 'create room: no body', method: 'POST', path: '/rooms', field: 'name' },
  { name: 'create room: empty object', method: 'POST', path: '/rooms', body: {}, field: 'name' },
  { name: 'create room: array body', method: 'POST', path: '/rooms', body: [{ name: 'x' }] },
  { name: 'create room: empty name', method: 'POST', path: '/rooms', body: { name: '' }, field: 'name' },
  { name: 'create room: blank name', method: 'POST', path: '/rooms', body: { name: '   \t ' }, field: 'name' },
  { name: 'create room: name too long', method: 'POST', path: '/rooms', body: { name: long(LIMITS.roomNameMax + 1) }, field: 'name' },
  { name: 'create room: name a number', method: 'POST', path: '/rooms', body: { name: 42 }, field: 'name' },
  { name: 'create room: name null', method: 'POST', path: '/rooms', body: { name: null }, field: 'name' },
  { name: 'create room: extra field', method: 'POST', path: '/rooms', body: { name: 'ok', members: [] } },

  // room detail / delete: path params
  { name: 'room detail: non-hex room id', method: 'GET', path: '/rooms/not-a-room-id' },
  { name: 'room detail: 24 chars but not hex', method: 'GET', path: `/rooms/${long(24, 'z')}` },
  { name: 'room detail: hex id too short', method: 'GET', path: '/rooms/abc123' },
  { name: 'delete room: non-hex room id', method: 'DELETE', path: '/rooms/not-a-room-id' },

  // rename
  { name: 'rename: empty object', method: 'PATCH', path: '/rooms/:room', body: {}, field: 'name' },
  { name: 'rename: blank name', method: 'PATCH', path: '/rooms/:room', body: { name: '  ' }, field: 'name' },
  { name: 'rename: name too long', method: 'PATCH', path: '/rooms/:room', body: { name: long(LIMITS.roomNameMax + 1) }, field: 'name' },
  { name: 'rename: name an array', method: 'PATCH', path: '/rooms/:room', body: { name: ['a'] }, field: 'name' },
  { name: 'rename: extra field', method: 'PATCH', path: '/rooms/:room', body: { name: 'ok', version: 7 } },
  { name: 'rename: non-hex room id', method: 'PATCH', path: '/rooms/nope', body: { name: 'Renamed' } },

  // add member
  { name: 'add member: empty object', method: 'POST', path: '/rooms/:room/members', body: {}, field: 'username' },
  { name: 'add member: empty username', method: 'POST', path: '/rooms/:room/members', body: { username: '' }, field: 'username' },
  { name: 'add member: username too long', method: 'POST', path: '/rooms/:room/members', body: { username: long(LIMITS.usernameMax + 1) }, field: 'username' },
  { name: 'add member: username a number', method: 'POST', path: '/rooms/:room/members', body: { username: 7 }, field: 'username' },
  { name: 'add member: extra field', method: 'POST', path: '/rooms/:room/members', body: { username: 'someone', role: 'admin' } },
  { name: 'add member: non-hex room id', method: 'POST', path: '/rooms/nope/members', body: { username: 'someone' } },
  {
    name: 'add member: unknown username',
    method: 'POST',
    path: '/rooms/:room/members',
    body: { username: 'nobody_by_this_name' },
    status: 404,
    code: 'user_not_found',
  },

  // remove member: path params
  { name: 'remove member: non-hex user id', method: 'DELETE', path: '/rooms/:room/members/nope' },
  { name: 'remove member: non-hex room id', method: 'DELETE', path: '/rooms/nope/members/:user' },

  // set role
  { name: 'set role: empty object', method: 'PUT', path: '/rooms/:room/members/:user/role', body: {}, field: 'role' },
  { name: 'set role: unknown role', method: 'PUT', path: '/rooms/:room/members/:user/role', body: { role: 'owner' }, field: 'role' },
  { name: 'set role: wrong case', method: 'PUT', path: '/rooms/:room/members/:user/role', body: { role: 'ADMIN' }, field: 'role' },
  { name: 'set role: role a boolean', method: 'PUT', path: '/rooms/:room/members/:user/role', body: { role: true }, field: 'role' },
  { name: 'set role: extra field', method: 'PUT', path: '/rooms/:room/members/:user/role', body: { role: 'admin', force: true } },
  { name: 'set role: non-hex user id', method: 'PUT', path: '/rooms/:room/members/nope/role', body: { role: 'admin' } },
  { name: 'set role: non-hex room id', method: 'PUT', path: '/rooms/nope/members/:user/role', body: { role: 'admin' } },

  // mark read
  { name: 'mark read: empty object', method: 'POST', path: '/rooms/:room/read', body: {} },
  { name: 'mark read: seq zero', method: 'POST', path: '/rooms/:room/read', body: { seq: 0 } },
  { name: 'mark read: seq a string', method: 'POST', path: '/rooms/:room/read', body: { seq: '5' } },
  { name: 'mark read: seq a fraction', method: 'POST', path: '/rooms/:room/read', body: { seq: 1.5 } },
  { name: 'mark read: seq and message id', method: 'POST', path: '/rooms/:room/read', body: { seq: 1, messageId: ':msg' } },
  { name: 'mark read: non-hex message id', method: 'POST', path: '/rooms/:room/read', body: { messageId: 'nope' }, field: 'messageId' },
  {
    name: 'mark read: upper-case hex message id',
    method: 'POST',
    path: '/rooms/:room/read',
    body: { messageId: 'ABCDEF0123456789ABCDEF01' },
    field: 'messageId',
  },
  { name: 'mark read: message id a number', method: 'POST', path: '/rooms/:room/read', body: { messageId: 123 } },
  { name: 'mark read: extra field', method: 'POST', path: '/rooms/:room/read', body: { messageId: ':msg', at: 1 } },
  { name: 'mark read: non-hex room id', method: 'POST', path: '/rooms/nope/read', body: { messageId: ':msg' } },
  { name: 'mark read: unknown message', method: 'POST', path: '/rooms/:room/read', body: { messageId: UNKNOWN_ID }, status: 404, code: 'not_found' },

  // send message over HTTP
  { name: 'send: empty object', method: 'POST', path: '/rooms/:room/messages', body: {}, field: 'text' },
  { name: 'send: missing clientId', method: 'POST', path: '/rooms/:room/messages', body: { text: 'hi' }, field: 'clientId' },
  { name: 'send: missing text', method: 'POST', path: '/rooms/:room/messages', body: { clientId: 'v-1' }, field: 'text' },
  { name: 'send: empty text', method: 'POST', path: '/rooms/:room/messages', body: { clientId: 'v-2', text: '' }, field: 'text' },
  { name: 'send: blank text', method: 'POST', path: '/rooms/:room/messages', body: { clientId: 'v-3', text: ' \n\t ' }, field: 'text' },
  {
    name: 'send: text over 4000 characters',
    method: 'POST',
    path: '/rooms/:room/messages',
    body: { clientId: 'v-4', text: long(LIMITS.messageMax + 1) },
    field: 'text',
  },
  { name: 'send: text a number', method: 'POST', path: '/rooms/:room/messages', body: { clientId: 'v-5', text: 5 }, field: 'text' },
  { name: 'send: text an object', method: 'POST', path: '/rooms/:room/messages', body: { clientId: 'v-6', text: { html: '<b>' } }, field: 'text' },
  { name: 'send: empty clientId', method: 'POST', path: '/rooms/:room/messages', body: { clientId: '', text: 'hi' }, field: 'clientId' },
  { name: 'send: clientId with a space', method: 'POST', path: '/rooms/:room/messages', body: { clientId: 'has space', text: 'hi' }, field: 'clientId' },
  { name: 'send: clientId with a slash', method: 'POST', path: '/rooms/:room/messages', body: { clientId: 'a/b', text: 'hi' }, field: 'clientId' },
  { name: 'send: clientId with $', method: 'POST', path: '/rooms/:room/messages', body: { clientId: '$where', text: 'hi' }, field: 'clientId' },
  {
    name: 'send: clientId too long',
    method: 'POST',
    path: '/rooms/:room/messages',
    body: { clientId: long(LIMITS.clientIdMax + 1, 'c'), text: 'hi' },
    field: 'clientId',
  },
  { name: 'send: clientId a number', method: 'POST', path: '/rooms/:room/messages', body: { clientId: 17, text: 'hi' }, field: 'clientId' },
  { name: 'send: extra field', method: 'POST', path: '/rooms/:room/messages', body: { clientId: 'v-7', text: 'hi', authorId: ':user' } },
  { name: 'send: non-hex room id', method: 'POST', path: '/rooms/nope/messages', body: { clientId: 'v-8', text: 'hi' } },
  {
    name: 'send: unknown room',
    method: 'POST',
    path: `/rooms/${UNKNOWN_ID}/messages`,
    body: { clientId: 'v-9', text: 'hi' },
    status: 404,
    code: 'room_not_found',
  },

  // history query
  { name: 'history: limit 0', method: 'GET', path: '/rooms/:room/messages?limit=0', field: 'limit' },
  { name: 'history: limit negative', method: 'GET', path: '/rooms/:room/messages?limit=-5', field: 'limit' },
  { name: 'history: limit over the maximum', method: 'GET', path: `/rooms/:room/messages?limit=${LIMITS.historyMax + 1}`, field: 'limit' },
  { name: 'history: limit not a number', method: 'GET', path: '/rooms/:room/messages?limit=abc', field: 'limit' },
  { name: 'history: limit fractional', method: 'GET', path: '/rooms/:room/messages?limit=1.5', field: 'limit' },
  { name: 'history: limit empty', method: 'GET', path: '/rooms/:room/messages?limit=', field: 'limit' },
  { name: 'history: limit repeated', method: 'GET', path: '/rooms/:room/messages?limit=5&limit=6', field: 'limit' },
  { name: 'history: before not an id', method: 'GET', path: '/rooms/:room/messages?before=yesterday', field: 'before' },
  { name: 'history: after not an id', method: 'GET', path: '/rooms/:room/messages?after=end', field: 'after' },
  { name: 'history: before and after together', method: 'GET', path: '/rooms/:room/messages?before=:msg&after=start' },
  { name: 'history: unknown parameter', method: 'GET', path: '/rooms/:room/messages?sort=desc' },
  { name: 'history: non-hex room id', method: 'GET', path: '/rooms/nope/messages' },
];

describe('malformed HTTP requests', () => {
  it.each(httpCases)('$name', async (c) => {
    const before = await snapshot();
    const body = typeof c.body === 'object' && c.body !== null ? JSON.parse(fill(JSON.stringify(c.body))) : c.body;
    const res = await server.request(c.method, fill(c.path), {
      token: c.authed === false ? undefined : ownerToken,
      body,
      rawBody: c.rawBody,
      headers: c.headers,
    });
    const fields = expectErrorResponse(res, c.status ?? 400, c.code ?? 'validation_failed');
    if ((c.code ?? 'validation_failed') === 'validation_failed') expect(fields).toBeDefined();
    if (c.field) expect(Object.keys(fields ?? {})).toContain(c.field);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a body that is not valid JSON with invalid_json', async () => {
    const before = await snapshot();
    for (const [path, token] of [
      ['/auth/register', undefined],
      ['/rooms', ownerToken],
      [`/rooms/${roomId}/messages`, ownerToken],
    ] as const) {
      for (const rawBody of ['{"name": ', "{'name': 'single quotes'}", '{"name": "x",}', 'not json at all']) {
        const res = await server.request('POST', path, { token, rawBody });
        expectErrorResponse(res, 400, 'invalid_json');
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a body over 64 kB with payload_too_large', async () => {
    const before = await snapshot();
    const huge = JSON.stringify({ clientId: 'huge', text: long(70 * 1024) });
    const send = await server.request('POST', `/rooms/${roomId}/messages`, { token: ownerToken, rawBody: huge });
    expectErrorResponse(send, 413, 'payload_too_large');
    const register = await server.request('POST', '/auth/register', { rawBody: JSON.stringify({ ...validRegister, password: long(70 * 1024) }) });
    expectErrorResponse(register, 413, 'payload_too_large');
    expect(await snapshot()).toEqual(before);
  });

  it('answers unknown routes with a JSON not_found', async () => {
    for (const [method, path] of [
      ['GET', '/nope'],
      ['POST', '/rooms/nope/nope/nope'],
      ['GET', `/rooms/${roomId}/nothing-here`],
      ['DELETE', '/auth'],
    ] as const) {
      const res = await server.request(method, path, { token: ownerToken });
      expectErrorResponse(res, 404, 'not_found');
    }
    const outsideApi = await fetch(`${server.url}/definitely-not-here`);
    expect(outsideApi.status).toBe(404);
    const body: unknown = await outsideApi.json();
    expect(Object.keys(body as object)).toEqual(['error']);
    expectApiError((body as { error: unknown }).error, 'not_found');
  });

  it('answers a known route with the wrong method with a JSON method_not_allowed', async () => {
    const before = await snapshot();
    for (const [method, path] of [
      ['GET', '/auth/login'],
      ['DELETE', '/health'],
      ['PUT', `/rooms/${roomId}/messages`],
      ['POST', `/rooms/${roomId}/members/${memberId}/role`],
      ['GET', `/rooms/${roomId}/members`],
      ['PROPFIND', '/rooms'],
    ] as const) {
      const res = await server.request(method, path, { token: ownerToken });
      expectErrorResponse(res, 405, 'method_not_allowed');
    }
    expect(await snapshot()).toEqual(before);
  });
});

// ---------- Socket.IO ----------

interface SocketCase {
  name: string;
  event: 'room:enter' | 'room:leave' | 'message:send' | 'room:read';
  /** Arguments before the ack; a function so ids known only at run time can be used. */
  args: () => unknown[];
  code?: ErrorCode;
  field?: string;
}

const send = (patch: Record<string, unknown>) => () => [{ roomId, clientId: 's-1', text: 'hello', ...patch }];

const socketCases: SocketCase[] = [
  ...(['room:enter', 'room:leave'] as const).flatMap((event): SocketCase[] => [
    { name: `${event}: missing payload`, event, args: () => [] },
    { name: `${event}: null payload`, event, args: () => [null] },
    { name: `${event}: string payload`, event, args: () => [roomId] },
    { name: `${event}: array payload`, event, args: () => [[roomId]] },
    { name: `${event}: empty object`, event, args: () => [{}], field: 'roomId' },
    { name: `${event}: roomId a number`, event, args: () => [{ roomId: 42 }], field: 'roomId' },
    { name: `${event}: roomId not hex`, event, args: () => [{ roomId: 'not-a-room-id' }], field: 'roomId' },
    { name: `${event}: roomId an operator object`, event, args: () => [{ roomId: { $ne: null } }], field: 'roomId' },
    { name: `${event}: extra field`, event, args: () => [{ roomId, as: memberId }] },
  ]),
  { name: 'message:send: missing payload', event: 'message:send', args: () => [] },
  { name: 'message:send: null payload', event: 'message:send', args: () => [null] },
  { name: 'message:send: number payload', event: 'message:send', args: () => [42] },
  { name: 'message:send: string payload', event: 'message:send', args: () => ['hello'] },
  { name: 'message:send: empty object', event: 'message:send', args: () => [{}], field: 'text' },
  { name: 'message:send: missing roomId', event: 'message:send', args: () => [{ clientId: 's-2', text: 'hello' }], field: 'roomId' },
  { name: 'message:send: roomId not hex', event: 'message:send', args: send({ roomId: 'zzzzzzzzzzzzzzzzzzzzzzzz' }), field: 'roomId' },
  { name: 'message:send: text a number', event: 'message:send', args: send({ text: 12 }), field: 'text' },
  { name: 'message:send: text an array', event: 'message:send', args: send({ text: ['hello'] }), field: 'text' },
  { name: 'message:send: empty text', event: 'message:send', args: send({ text: '' }), field: 'text' },
  { name: 'message:send: blank text', event: 'message:send', args: send({ text: '   \n ' }), field: 'text' },
  { name: 'message:send: text over 4000 characters', event: 'message:send', args: send({ text: long(LIMITS.messageMax + 1) }), field: 'text' },
  { name: 'message:send: missing clientId', event: 'message:send', args: () => [{ roomId, text: 'hello' }], field: 'clientId' },
  { name: 'message:send: empty clientId', event: 'message:send', args: send({ clientId: '' }), field: 'clientId' },
  { name: 'message:send: clientId with a space', event: 'message:send', args: send({ clientId: 'two words' }), field: 'clientId' },
  { name: 'message:send: clientId with a dot', event: 'message:send', args: send({ clientId: 'a.b' }), field: 'clientId' },
  { name: 'message:send: clientId with unicode', event: 'message:send', args: send({ clientId: 'ключ' }), field: 'clientId' },
  { name: 'message:send: clientId too long', event: 'message:send', args: send({ clientId: long(LIMITS.clientIdMax + 1, 'c') }), field: 'clientId' },
  { name: 'message:send: clientId a number', event: 'message:send', args: send({ clientId: 1 }), field: 'clientId' },
  { name: 'message:send: extra field', event: 'message:send', args: send({ authorId: UNKNOWN_ID }) },
  { name: 'room:read: missing payload', event: 'room:read', args: () => [] },
  { name: 'room:read: missing seq', event: 'room:read', args: () => [{ roomId }], field: 'seq' },
  { name: 'room:read: seq zero', event: 'room:read', args: () => [{ roomId, seq: 0 }], field: 'seq' },
  { name: 'room:read: seq negative', event: 'room:read', args: () => [{ roomId, seq: -3 }], field: 'seq' },
  { name: 'room:read: seq a fraction', event: 'room:read', args: () => [{ roomId, seq: 2.5 }], field: 'seq' },
  { name: 'room:read: seq a string', event: 'room:read', args: () => [{ roomId, seq: '3' }], field: 'seq' },
  { name: 'room:read: seq too large', event: 'room:read', args: () => [{ roomId, seq: 2 ** 60 }], field: 'seq' },
  { name: 'room:read: seq an operator object', event: 'room:read', args: () => [{ roomId, seq: { $gt: 0 } }], field: 'seq' },
  { name: 'room:read: roomId not hex', event: 'room:read', args: () => [{ roomId: 'nope', seq: 1 }], field: 'roomId' },
  { name: 'room:read: extra field', event: 'room:read', args: () => [{ roomId, seq: 1, userId: memberId }] },
];

describe('malformed socket events', () => {
  it.each(socketCases)('$name', async (c) => {
    const before = await snapshot();
    const answer = await ask<Record<string, unknown>>(sock, c.event, ...c.args());
    expect(Object.keys(answer).sort()).toEqual(['error', 'ok']);
    expect(answer.ok).toBe(false);
    const fields = expectApiError(answer.error, c.code ?? 'validation_failed');
    expect(fields).toBeDefined();
    if (c.field) expect(Object.keys(fields ?? {})).toContain(c.field);
    expect(sock.connected).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses well-formed ids that name no room the sender belongs to', async () => {
    const before = await snapshot();
    for (const [event, payload] of [
      ['room:enter', { roomId: UNKNOWN_ID }],
      ['room:read', { roomId: UNKNOWN_ID, seq: 1 }],
      ['message:send', { roomId: UNKNOWN_ID, clientId: 's-unknown', text: 'hello' }],
    ] as const) {
      const answer = await ask<Record<string, unknown>>(sock, event, payload);
      expect(Object.keys(answer).sort()).toEqual(['error', 'ok']);
      expect(answer.ok).toBe(false);
      expectApiError(answer.error, 'room_not_found');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('survives bad payloads sent without an ack', async () => {
    const before = await snapshot();
    const raw = sock as unknown as { emit(event: string, ...args: unknown[]): void };
    raw.emit('message:send');
    raw.emit('message:send', { roomId, clientId: 'no-ack', text: '' });
    raw.emit('message:send', 'just a string');
    raw.emit('room:enter', null);
    raw.emit('room:enter', { roomId: 'nope' });
    raw.emit('room:leave');
    raw.emit('room:leave', 17);
    raw.emit('no:such:event', { roomId });
    // Events on one socket are handled in order, so this answer comes after all of the above.
    const answer = await ask<Record<string, unknown>>(sock, 'message:send', { roomId, clientId: 'x y', text: 'still here' });
    expect(answer.ok).toBe(false);
    expectApiError(answer.error, 'validation_failed');
    expect(sock.connected).toBe(true);
    expect(await snapshot()).toEqual(before);
    expect((await server.request('GET', '/health')).status).toBe(200);
  });

  it('closes a connection whose frame exceeds 64 kB, and only that one', async () => {
    const victim = await server.socket(ownerToken);
    const closed = new Promise<string>((resolve) => victim.once('disconnect', (reason) => resolve(reason)));
    (victim as unknown as { emit(event: string, ...args: unknown[]): void }).emit('message:send', {
      roomId,
      clientId: 'huge',
      text: long(100 * 1024),
    });
    expect(await closed).toBe('transport close');
    const stillFine = await ask<Record<string, unknown>>(sock, 'room:leave', {});
    expect(stillFine.ok).toBe(false);
    expect(sock.connected).toBe(true);
  });

  it('emitted nothing to other members for any refused event', async () => {
    // The watcher's socket receives pushes in order: if a refused event had produced a
    // message or a presence change, it would arrive before these.
    const entered = nextEvent(watcher, 'room:presence', (e) => e.action === 'entered');
    const enter = await ask<{ ok: boolean }>(sock, 'room:enter', { roomId });
    expect(enter.ok).toBe(true);
    await entered;
    const arrived = nextEvent(watcher, 'message:new', (e) => e.message.clientId === 'final-1');
    const sent = await ask<{ ok: boolean; message: Message }>(sock, 'message:send', { roomId, clientId: 'final-1', text: 'final' });
    expect(sent.ok).toBe(true);
    await arrived;
    expect(watched.presence.items.map((e) => [e.roomId, e.action, e.user.userId])).toEqual([[roomId, 'entered', sent.message.authorId]]);
    expect(watched.messages.items.map((e) => e.message.clientId)).toEqual(['final-1']);
  });
});

// ---------- the limits themselves are not off by one ----------

describe('boundary values are accepted', () => {
  it('takes a 4000-character message over HTTP and over the socket, and an 80-character room name', async () => {
    const http = await server.request('POST', `/rooms/${roomId}/messages`, {
      token: ownerToken,
      body: { clientId: 'max-http', text: long(LIMITS.messageMax, 'h') },
    });
    expect(http.status).toBe(201);
    expect(http.body.message.text).toHaveLength(LIMITS.messageMax);
    const viaSocket = await ask<{ ok: boolean; message: Message }>(sock, 'message:send', {
      roomId,
      clientId: long(LIMITS.clientIdMax, 'k'),
      text: long(LIMITS.messageMax, 's'),
    });
    expect(viaSocket.ok).toBe(true);
    expect(viaSocket.message.text).toHaveLength(LIMITS.messageMax);
    const room = await server.request('POST', '/rooms', { token: ownerToken, body: { name: long(LIMITS.roomNameMax, 'r') } });
    expect(room.status).toBe(201);
    const page = await server.request('GET', `/rooms/${roomId}/messages?limit=${LIMITS.historyMax}`, { token: ownerToken });
    expect(page.status).toBe(200);
  });
});

describe('after all of it', () => {
  it('the process is still serving', async () => {
    const res = await server.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true });
  });
});
