// Each fairness budget, one at a time, with small limits so the edges are reached in a
// few requests: refused as rate_limited with retryAfterMs (and Retry-After over HTTP),
// nothing stored by a refused request, other users and connections unaffected, and the
// wait that was given is enough.
import { ObjectId } from 'mongodb';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, ApiError, Message, RoomEnterAnswer } from '../../../src/shared/contract.js';
import type { LimitSettings } from '../../../server/infra/limits.js';
import { ask } from '../../support/events.js';
import { startTestServer, type ClientSocket, type TestServer } from '../../support/server.js';

const LIMITS: LimitSettings = {
  sendsPerSecond: 2,
  sendBurst: 2,
  sendsInFlightPerUser: 2,
  roomsCreatedPerMinute: 3,
  roomChangesPerMinute: 4,
  roomViewsPer10Seconds: 4,
  readMarksPer10Seconds: 3,
  typingPer10Seconds: 3,
  eventsInFlightPerConnection: 50,
  socketsPerUser: 3,
  socketOpensPerMinute: 1000,
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ limits: LIMITS });
});
afterAll(() => server?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let sends = 0;
const send = (socket: ClientSocket, roomId: string) =>
  ask<Ack<{ message: Message }>>(socket, 'message:send', { roomId, clientId: `limits-${sends++}`, text: 'hello' });

/** A refusal as the contract describes it: rate_limited, a wait in the body, the same wait in Retry-After. */
function expectHttpRefusal(res: { status: number; body: { error: ApiError }; headers: Headers }, maxWaitMs: number) {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe('rate_limited');
  const waitMs = res.body.error.retryAfterMs!;
  expect(waitMs).toBeGreaterThan(0);
  expect(waitMs).toBeLessThanOrEqual(maxWaitMs);
  expect(res.headers.get('retry-after')).toBe(String(Math.max(1, Math.ceil(waitMs / 1000))));
}

function expectAckRefusal(answer: Ack<object>, maxWaitMs: number): number {
  expect(answer.ok).toBe(false);
  const error = (answer as { error: ApiError }).error;
  expect(error.code).toBe('rate_limited');
  expect(error.retryAfterMs).toBeGreaterThan(0);
  expect(error.retryAfterMs).toBeLessThanOrEqual(maxWaitMs);
  return error.retryAfterMs!;
}

describe('room creation', () => {
  it('allows roomsCreatedPerMinute per user, then refuses with a wait and creates nothing', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const results = await Promise.all(
      Array.from({ length: LIMITS.roomsCreatedPerMinute + 2 }, (_, i) => server.request('POST', '/rooms', { token: ann.token, body: { name: `room ${i}` } })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(LIMITS.roomsCreatedPerMinute);
    for (const refused of results.filter((r) => r.status !== 201)) expectHttpRefusal(refused, 60_000);
    expect((await server.request('GET', '/rooms', { token: ann.token })).body.rooms).toHaveLength(LIMITS.roomsCreatedPerMinute);
    // Per user: someone else creates as usual.
    expect((await server.request('POST', '/rooms', { token: bob.token, body: { name: 'mine' } })).status).toBe(201);
  });
});

describe('room changes', () => {
  it('counts renames, member additions, role changes and removals together, and a refused change changes nothing', async () => {
    const [owner, cat, dan] = await Promise.all([server.register('owner'), server.register('cat'), server.register('dan')]);
    const roomId = (await server.request('POST', '/rooms', { token: owner.token, body: { name: 'before' } })).body.room.id as string;
    const path = `/rooms/${roomId}`;
    expect((await server.request('POST', `${path}/members`, { token: owner.token, body: { username: cat.user.username } })).status).toBe(201);
    expect((await server.request('PUT', `${path}/members/${cat.user.id}/role`, { token: owner.token, body: { role: 'admin' } })).status).toBe(200);
    expect((await server.request('PATCH', path, { token: owner.token, body: { name: 'renamed' } })).status).toBe(200);
    expect((await server.request('DELETE', `${path}/members/${cat.user.id}`, { token: owner.token })).status).toBe(204);

    expectHttpRefusal(await server.request('POST', `${path}/members`, { token: owner.token, body: { username: dan.user.username } }), 60_000);
    expectHttpRefusal(await server.request('PATCH', path, { token: owner.token, body: { name: 'again' } }), 60_000);
    expectHttpRefusal(await server.request('DELETE', path, { token: owner.token }), 60_000);
    const detail = (await server.request('GET', path, { token: owner.token })).body.room;
    expect(detail.name).toBe('renamed');
    expect(detail.members.map((m: { userId: string }) => m.userId)).toEqual([owner.user.id]);
  });
});

describe('message sends', () => {
  it('share one budget between socket and HTTP; the wait given is enough; others are not affected', async () => {
    const [eve, fay] = await Promise.all([server.register('eve'), server.register('fay')]);
    const roomId = await server.createRoom(eve, 'sends', fay);
    const [eveSocket, faySocket] = await Promise.all([server.socket(eve.token), server.socket(fay.token)]);

    // sendsPerSecond + sendBurst at once, half over each transport.
    const allowed = LIMITS.sendsPerSecond + LIMITS.sendBurst;
    const first = await Promise.all(
      Array.from({ length: allowed }, (_, i) =>
        i % 2
          ? send(eveSocket, roomId)
          : server.request('POST', `/rooms/${roomId}/messages`, { token: eve.token, body: { clientId: `http-${i}`, text: 'hi' } }),
      ),
    );
    expect(first.map((r) => ('status' in r ? r.status : r.ok))).toEqual(Array.from({ length: allowed }, (_, i) => (i % 2 ? true : 201)));

    expectHttpRefusal(await server.request('POST', `/rooms/${roomId}/messages`, { token: eve.token, body: { clientId: 'http-refused', text: 'no' } }), 1000);
    const waitMs = expectAckRefusal(await send(eveSocket, roomId), 1000);
    // Fay shares the room, not the budget.
    expect((await send(faySocket, roomId)).ok).toBe(true);

    const stored = await server.database.db.collection('messages').countDocuments({ roomId: new ObjectId(roomId), authorId: new ObjectId(eve.user.id) });
    expect(stored).toBe(allowed);

    await sleep(waitMs + 20);
    expect((await send(eveSocket, roomId)).ok).toBe(true);
  });

  it('closes a connection that keeps sending into a refusal, after answering the first ones', async () => {
    const gus = await server.register('gus');
    const roomId = await server.createRoom(gus, 'flood');
    const socket = await server.socket(gus.token);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const answers = await Promise.all(Array.from({ length: 300 }, () => send(socket, roomId).catch(() => null)));
    expect(await closed).toBe('transport close');
    const refused = answers.filter((a) => a && !a.ok) as Array<{ ok: false; error: ApiError }>;
    expect(refused.length).toBeGreaterThanOrEqual(100);
    expect(new Set(refused.map((a) => a.error.code))).toEqual(new Set(['rate_limited']));
    expect(answers.filter((a) => a?.ok).length).toBeLessThanOrEqual(LIMITS.sendsPerSecond + LIMITS.sendBurst);
  });
});

describe('room views and read reports', () => {
  it('limit room:enter and room:leave per connection; another connection of the same user has its own budget', async () => {
    const hal = await server.register('hal');
    const roomId = await server.createRoom(hal, 'views');
    const [one, two] = await Promise.all([server.socket(hal.token), server.socket(hal.token)]);
    for (let i = 0; i < LIMITS.roomViewsPer10Seconds / 2; i++) {
      expect((await ask<Ack<RoomEnterAnswer>>(one, 'room:enter', { roomId })).ok).toBe(true);
      expect((await ask<Ack>(one, 'room:leave', { roomId })).ok).toBe(true);
    }
    expectAckRefusal(await ask<Ack<RoomEnterAnswer>>(one, 'room:enter', { roomId }), 10_000);
    expectAckRefusal(await ask<Ack>(one, 'room:leave', { roomId }), 10_000);
    expect((await ask<Ack<RoomEnterAnswer>>(two, 'room:enter', { roomId })).ok).toBe(true);
  });

  it('limit room:read per connection', async () => {
    const ida = await server.register('ida');
    const roomId = await server.createRoom(ida, 'reads');
    const socket = await server.socket(ida.token);
    const sent = await send(socket, roomId);
    expect(sent.ok).toBe(true);
    const seq = (sent as { message: Message }).message.seq;
    for (let i = 0; i < LIMITS.readMarksPer10Seconds; i++) expect((await ask<Ack>(socket, 'room:read', { roomId, seq })).ok).toBe(true);
    expectAckRefusal(await ask<Ack>(socket, 'room:read', { roomId, seq }), 10_000);
  });
});

describe('sockets per user', () => {
  it('refuses the handshake beyond socketsPerUser with rate_limited in connect_error data, and frees a slot when a socket closes', async () => {
    const jon = await server.register('jon');
    const open = await Promise.all(Array.from({ length: LIMITS.socketsPerUser }, () => server.socket(jon.token)));
    const refusal = await server.socket(jon.token).then(
      () => null,
      (error: Error & { data?: ApiError }) => error.data,
    );
    expect(refusal).toMatchObject({ code: 'rate_limited' });
    expect(refusal!.retryAfterMs).toBeGreaterThan(0);
    // Another user is not affected.
    await server.socket((await server.register('kim')).token);

    open[0]!.disconnect();
    let reopened: ClientSocket | undefined;
    for (let attempt = 0; attempt < 40 && !reopened; attempt++) {
      reopened = await server.socket(jon.token).catch(async () => {
        await sleep(50);
        return undefined;
      });
    }
    expect(reopened?.connected).toBe(true);
  });

  it('counts a user\u2019s sockets across tokens (sessions) too', async () => {
    const lee = await server.register('lee');
    const second = (await server.request('POST', '/auth/login', { body: { login: lee.user.username, password: lee.password } })).body.token as string;
    await Promise.all(Array.from({ length: LIMITS.socketsPerUser }, (_, i) => server.socket(i % 2 ? second : lee.token)));
    // Not the concurrency check per token (which is 3 for each token): the per-user count.
    const raw = connect(server.url, { auth: { token: second }, transports: ['websocket'], reconnection: false, forceNew: true });
    const data = await new Promise<ApiError | undefined>((resolve) => {
      raw.once('connect', () => resolve(undefined));
      raw.once('connect_error', (error: Error & { data?: ApiError }) => resolve(error.data));
    });
    raw.disconnect();
    expect(data).toMatchObject({ code: 'rate_limited' });
  });
});

describe('events awaiting an answer on one connection', () => {
  it('beyond eventsInFlightPerConnection, the next ones are refused at once; the others are all stored', async () => {
    // Sends of one user are stored one at a time, so a burst stays unanswered for a while.
    const MAX_EVENTS_IN_FLIGHT = 50;
    const own = await startTestServer({ limits: { sendsInFlightPerUser: 1, eventsInFlightPerConnection: MAX_EVENTS_IN_FLIGHT } });
    try {
      const user = await own.register('eager');
      const roomId = await own.createRoom(user, 'eager');
      const socket = await own.socket(user.token);
      const answers = await Promise.all(
        Array.from({ length: MAX_EVENTS_IN_FLIGHT + 30 }, (_, i) =>
          ask<Ack<{ message: Message }>>(socket, 'message:send', { roomId, clientId: `eager-${i}`, text: 'x' }),
        ),
      );
      const acked = answers.flatMap((a, i) => (a.ok ? [`eager-${i}`] : []));
      const refused = answers.flatMap((a) => (a.ok ? [] : [a.error]));
      expect(acked.length).toBeGreaterThanOrEqual(MAX_EVENTS_IN_FLIGHT);
      expect(refused.length).toBeGreaterThan(0);
      for (const error of refused) expectAckRefusal({ ok: false, error }, 1000);
      const stored = await own.database.db
        .collection<{ clientId: string }>('messages')
        .find({ roomId: new ObjectId(roomId) })
        .toArray();
      expect(stored.map((d) => d.clientId).sort()).toEqual(acked.sort());
      expect(socket.connected).toBe(true);
    } finally {
      await own.close();
    }
  });
});
