// HTTP hygiene on the real server: nosniff on every answer (Node's and Socket.IO's
// included), no-store on API answers, the Bearer scheme in any letter case, every
// refusal in the contract's JSON shape (431 and 415 too), and the origin policy for
// the API and the Socket.IO handshake.
import { connect as tcpConnect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { io as connectSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../../src/shared/contract.js';
import { APP_ORIGIN } from '../../../src/main/config.js';
import { loadConfig } from '../../../server/config.js';
import { DESKTOP_APP_ORIGIN, DEV_WEB_ORIGINS } from '../../../server/http/origins.js';
import { startTestServer, type TestServer, type TestUser } from '../../support/server.js';

let server: TestServer;
let user: TestUser;
beforeAll(async () => {
  server = await startTestServer();
  user = await server.register('hygiene');
});
afterAll(() => server?.close());

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes raw bytes to the server and reads the answer until the server closes (Connection: close). */
function raw(request: string | Buffer): Promise<RawAnswer> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const at = line.indexOf(':');
        headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.write(request);
  });
}

function expectContractError(body: unknown, code: ErrorCode): void {
  expect(Object.keys(body as object)).toEqual(['error']);
  const error = (body as { error: { code: string; message: string } }).error;
  expect(ERROR_CODES).toContain(error.code);
  expect(error.code).toBe(code);
  expect(error.message.length).toBeGreaterThan(0);
}

describe('headers on every answer', () => {
  it('API answers, successes and refusals alike, carry nosniff and no-store', async () => {
    const answers = [
      await server.request('GET', '/health'),
      await server.request('GET', '/me', { token: user.token }),
      await server.request('GET', '/me'),
      await server.request('POST', '/auth/login', { body: { login: user.user.username, password: user.password } }),
      await server.request('POST', '/auth/login', { body: {} }),
      await server.request('GET', '/no-such-route'),
      await server.request('PROPFIND', '/rooms', { token: user.token }),
    ];
    for (const res of answers) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    // The answer that carries a token in particular.
    expect(answers[3]!.body.token).toBeTypeOf('string');
  });

  it("Socket.IO's own HTTP answers carry nosniff, its refusals too", async () => {
    const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('x-content-type-options')).toBe('nosniff');
    const unknownTransport = await fetch(`${server.url}/socket.io/?EIO=4&transport=carrier-pigeon`);
    expect(unknownTransport.status).toBe(400);
    expect(unknownTransport.headers.get('x-content-type-options')).toBe('nosniff');
    const foreign = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('the Bearer scheme', () => {
  it.each(['Bearer', 'bearer', 'BEARER', 'bEaReR', 'Bearer  '])('"%s <token>" is accepted', async (scheme) => {
    const res = await server.request('GET', '/me', { headers: { authorization: `${scheme} ${user.token}` } });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(user.user.id);
  });

  it.each([`Basic ${user?.token ?? 'x'}`, 'Bearer', 'Bearertoken', 'Token abc'])('"%s" is refused with 401 unauthenticated', async (header) => {
    const res = await server.request('GET', '/me', { headers: { authorization: header } });
    expect(res.status).toBe(401);
    expectContractError(res.body, 'unauthenticated');
  });
});

describe("Node's own refusals in the contract's shape", () => {
  it('oversized headers: 431 headers_too_large as JSON, with nosniff', async () => {
    const answer = await raw(`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expectContractError(JSON.parse(answer.body), 'headers_too_large');
  });

  it('oversized headers on the Socket.IO path too', async () => {
    const answer = await raw(`GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nCookie: ${'c'.repeat(20_000)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expectContractError(JSON.parse(answer.body), 'headers_too_large');
  });

  it('a request that is not HTTP: 400 as JSON', async () => {
    const answer = await raw('HELLO THERE\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expectContractError(JSON.parse(answer.body), 'validation_failed');
  });
});

describe('bodies the API cannot read: 415 unsupported_media_type', () => {
  const login = JSON.stringify({ login: 'nobody_here', password: 'whatever-1' });

  it.each([
    ['an unknown Content-Encoding', { 'content-type': 'application/json', 'content-encoding': 'compress' }],
    ['a made-up Content-Encoding', { 'content-type': 'application/json', 'content-encoding': 'x-parley' }],
    ['text/plain', { 'content-type': 'text/plain' }],
    ['a form', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['no Content-Type at all', {}],
    ['JSON in another charset', { 'content-type': 'application/json; charset=iso-8859-1' }],
  ])('%s', async (_label, headers: Record<string, string>) => {
    const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers, body: Buffer.from(login) });
    expect(res.status).toBe(415);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expectContractError(await res.json(), 'unsupported_media_type');
  });

  it('gzip-encoded JSON is read; so is JSON with charset=utf-8', async () => {
    const gzipped = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ login: user.user.username, password: user.password })),
    });
    expect(gzipped.status).toBe(200);
    const utf8 = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: JSON.stringify({ login: user.user.username, password: user.password }),
    });
    expect(utf8.status).toBe(200);
  });

  it.each(['gzip', 'deflate', 'br'])('a body that claims %s but is not: 400 invalid_json, not a 500', async (encoding) => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
      body: Buffer.from(login),
    });
    expect(res.status).toBe(400);
    expectContractError(await res.json(), 'invalid_json');
  });

  it('a POST without a body needs no Content-Type (logout)', async () => {
    const session = await server.request('POST', '/auth/login', { body: { login: user.user.username, password: user.password } });
    const res = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${session.body.token}` } });
    expect(res.status).toBe(204);
  });
});

/** Opens a socket that claims to come from `origin`; resolves true when connected, false when refused. */
function socketFrom(url: string, token: string, origin: string | undefined): Promise<boolean> {
  const socket = connectSocket(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(origin ? { extraHeaders: { origin } } : {}),
  });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.close();
      resolve(true);
    });
    socket.once('connect_error', () => {
      socket.close();
      resolve(false);
    });
  });
}

describe('origins', () => {
  it('the desktop origin here is the one the desktop app uses', () => {
    expect(DESKTOP_APP_ORIGIN).toBe(APP_ORIGIN);
  });

  it('defaults: production allows only the desktop app; development adds the dev web client; CORS_ORIGINS replaces both', () => {
    const base = { MONGODB_URI: 'mongodb://db.example:27017/' };
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).corsOrigins).toEqual([DESKTOP_APP_ORIGIN]);
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).corsOrigins).toEqual([...DEV_WEB_ORIGINS, DESKTOP_APP_ORIGIN]);
    expect(loadConfig(base).corsOrigins).toEqual([...DEV_WEB_ORIGINS, DESKTOP_APP_ORIGIN]);
    expect(loadConfig({ ...base, NODE_ENV: 'production', CORS_ORIGINS: 'https://chat.example.com, app://parley' }).corsOrigins).toEqual([
      'https://chat.example.com',
      'app://parley',
    ]);
    expect(() => loadConfig({ ...base, CORS_ORIGINS: 'https://chat.example.com/' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ ...base, CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
  });

  it('development server: the dev web client and the desktop app are let in with CORS headers; other pages get 403', async () => {
    for (const origin of [...DEV_WEB_ORIGINS, DESKTOP_APP_ORIGIN]) {
      const res = await server.request('GET', '/me', { token: user.token, headers: { origin } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(origin);
      const preflight = await fetch(`${server.url}/api/rooms`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    }
    for (const origin of ['https://evil.example', 'http://127.0.0.1:5174', 'null', 'app://parley.evil']) {
      const res = await server.request('GET', '/me', { token: user.token, headers: { origin } });
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expectContractError(res.body, 'forbidden');
      const login = await server.request('POST', '/auth/login', { body: { login: user.user.username, password: user.password }, headers: { origin } });
      expect(login.status).toBe(403);
      const preflight = await fetch(`${server.url}/api/rooms`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } });
      expect(preflight.status).toBe(403);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    }
    // No Origin at all: a native client or a test, always let in.
    expect((await server.request('GET', '/me', { token: user.token })).status).toBe(200);
  });

  it('development server: the Socket.IO handshake refuses other pages and accepts the listed origins and native clients', async () => {
    expect(await socketFrom(server.url, user.token, 'https://evil.example')).toBe(false);
    expect(await socketFrom(server.url, user.token, 'http://localhost:5174')).toBe(false);
    for (const origin of [...DEV_WEB_ORIGINS, DESKTOP_APP_ORIGIN]) expect(await socketFrom(server.url, user.token, origin)).toBe(true);
    expect(await socketFrom(server.url, user.token, undefined)).toBe(true);
  });

  it('an explicit list (CORS_ORIGINS) is the whole list, for HTTP and sockets', async () => {
    const listed = await startTestServer({ corsOrigins: ['https://chat.example.com', DESKTOP_APP_ORIGIN] });
    try {
      const someone = await listed.register('listed');
      expect((await listed.request('GET', '/me', { token: someone.token, headers: { origin: 'https://chat.example.com' } })).status).toBe(200);
      expect((await listed.request('GET', '/me', { token: someone.token, headers: { origin: DEV_WEB_ORIGINS[0] } })).status).toBe(403);
      expect(await socketFrom(listed.url, someone.token, 'https://chat.example.com')).toBe(true);
      expect(await socketFrom(listed.url, someone.token, DEV_WEB_ORIGINS[1])).toBe(false);
      expect(await socketFrom(listed.url, someone.token, undefined)).toBe(true);
    } finally {
      await listed.close();
    }
  });
});
