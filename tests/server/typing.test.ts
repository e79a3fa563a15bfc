// Typing indicators over real Socket.IO clients: who hears them (the room's viewers,
// never the typist's own windows, never a member who is not viewing, on another
// process too), when they end (stop, send, leave, disconnect, ~5 s of silence), and the
// per-connection budget. "Did not arrive" checks first wait for a later push on the same
// socket (Socket.IO keeps per-connection order).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TYPING, type Ack, type Message, type RoomEnterAnswer, type TypingEvent } from '../../src/shared/contract.js';
import { ask, collect, nextEvent } from '../support/events.js';
import { startTestServer, type ClientSocket, type TestServer, type TestUser } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function enter(socket: ClientSocket, roomId: string): Promise<void> {
  const answer = await ask<Ack<RoomEnterAnswer>>(socket, 'room:enter', { roomId });
  if (!answer.ok) throw new Error(`room:enter failed: ${JSON.stringify(answer.error)}`);
}

const typingOf = (roomId: string, user: TestUser, typing: boolean) => (e: TypingEvent) =>
  e.roomId === roomId && e.user.userId === user.user.id && e.typing === typing;

let clientIds = 0;
/** Sends a message and waits until every observer has it: everything pushed to them before has arrived. */
async function marker(sender: ClientSocket, observers: ClientSocket[], roomId: string): Promise<Message> {
  const clientId = `typing-marker-${clientIds++}`;
  const seen = Promise.all(observers.map((o) => nextEvent(o, 'message:new', (e) => e.message.clientId === clientId)));
  const ack = await ask<Ack<{ message: Message }>>(sender, 'message:send', { roomId, clientId, text: 'marker' });
  if (!ack.ok) throw new Error(`send failed: ${JSON.stringify(ack.error)}`);
  await seen;
  return ack.message;
}

describe('typing indicators in one process', () => {
  it("reach the room's viewers only: not the typist's other windows, not members elsewhere, with the typist named", async () => {
    const [ann, bob, cat] = await Promise.all([server.register('ann'), server.register('bob'), server.register('cat')]);
    const roomId = await server.createRoom(ann, 'Typing', bob, cat);
    const [annA, annB, bobView, catAway] = await Promise.all([
      server.socket(ann.token),
      server.socket(ann.token),
      server.socket(bob.token),
      server.socket(cat.token),
    ]);
    await Promise.all([enter(annA, roomId), enter(annB, roomId), enter(bobView, roomId)]);
    const annOther = collect(annB, 'room:typing');
    const annSame = collect(annA, 'room:typing');
    const cats = collect(catAway, 'room:typing');

    const heard = nextEvent(bobView, 'room:typing', typingOf(roomId, ann, true));
    expect(await ask<Ack>(annA, 'typing:start', { roomId })).toEqual({ ok: true });
    expect(await heard).toEqual({ roomId, user: { userId: ann.user.id, username: ann.user.username }, typing: true });

    // A later push to each of them has arrived, so a typing push would have too.
    await marker(bobView, [annA, annB, catAway], roomId);
    expect(annOther.items).toEqual([]);
    expect(annSame.items).toEqual([]);
    expect(cats.items).toEqual([]);
  });

  it('is refused for a room the connection is not viewing, and for a non-member', async () => {
    const [ann, bob, eve] = await Promise.all([server.register('ann'), server.register('bob'), server.register('eve')]);
    const roomId = await server.createRoom(ann, 'Closed', bob);
    const [a, b, e] = await Promise.all([server.socket(ann.token), server.socket(bob.token), server.socket(eve.token)]);
    await enter(b, roomId);
    const bobs = collect(b, 'room:typing');
    const notViewing = await ask<Ack>(a, 'typing:start', { roomId });
    expect(notViewing).toMatchObject({ ok: false, error: { code: 'room_not_found' } });
    const stranger = await ask<Ack>(e, 'typing:start', { roomId });
    expect(stranger).toMatchObject({ ok: false, error: { code: 'room_not_found' } });
    expect(await ask<Ack>(e, 'room:enter', { roomId })).toMatchObject({ ok: false, error: { code: 'room_not_found' } });
    expect(await ask<Ack>(e, 'typing:start', { roomId })).toMatchObject({ ok: false, error: { code: 'room_not_found' } });
    expect(await ask<Ack>(a, 'typing:start', { roomId: 'not-an-id' })).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    await enter(a, roomId);
    await marker(a, [b], roomId);
    expect(bobs.items).toEqual([]);
  });

  it('ends on typing:stop, on sending, on leaving the room and on disconnecting', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const roomId = await server.createRoom(ann, 'Ends', bob);
    const b = await server.socket(bob.token);
    await enter(b, roomId);
    const startTyping = async (socket: ClientSocket) => {
      const started = nextEvent(b, 'room:typing', typingOf(roomId, ann, true));
      expect(await ask<Ack>(socket, 'typing:start', { roomId })).toEqual({ ok: true });
      await started;
    };

    const a = await server.socket(ann.token);
    await enter(a, roomId);
    await startTyping(a);
    let stopped = nextEvent(b, 'room:typing', typingOf(roomId, ann, false));
    expect(await ask<Ack>(a, 'typing:stop', { roomId })).toEqual({ ok: true });
    await stopped;

    await startTyping(a);
    stopped = nextEvent(b, 'room:typing', typingOf(roomId, ann, false));
    const sent = nextEvent(b, 'message:new', (e) => e.message.authorId === ann.user.id);
    await ask(a, 'message:send', { roomId, clientId: `t-${randomBytes(4).toString('hex')}`, text: 'done typing' });
    await Promise.all([stopped, sent]);

    await startTyping(a);
    stopped = nextEvent(b, 'room:typing', typingOf(roomId, ann, false));
    await ask(a, 'room:leave', { roomId });
    await stopped;

    await enter(a, roomId);
    await startTyping(a);
    stopped = nextEvent(b, 'room:typing', typingOf(roomId, ann, false));
    a.disconnect();
    await stopped;
  });

  it('ends by itself after about 5 s without a refresh, and a refresh keeps it going', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const roomId = await server.createRoom(ann, 'Silence', bob);
    const [a, b] = await Promise.all([server.socket(ann.token), server.socket(bob.token)]);
    await Promise.all([enter(a, roomId), enter(b, roomId)]);
    const events = collect(b, 'room:typing');
    const started = performance.now();
    await ask(a, 'typing:start', { roomId });
    // A refresh 3 s in (as the client sends while typing) pushes again and restarts the 5 s.
    await new Promise((resolve) => setTimeout(resolve, TYPING.sendEveryMs));
    await ask(a, 'typing:start', { roomId });
    const refreshed = performance.now();
    await nextEvent(b, 'room:typing', typingOf(roomId, ann, false), 10_000);
    const endedAfter = performance.now() - refreshed;
    expect(endedAfter).toBeGreaterThanOrEqual(TYPING.expireAfterMs - 100);
    expect(endedAfter).toBeLessThan(TYPING.expireAfterMs + 1_500);
    expect(events.items.map((e) => e.typing)).toEqual([true, true, false]);
    expect(performance.now() - started).toBeGreaterThan(TYPING.sendEveryMs + TYPING.expireAfterMs - 200);
  }, 20_000);

  it('a removed member stops being able to type in the room', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const roomId = await server.createRoom(ann, 'Removal', bob);
    const b = await server.socket(bob.token);
    await enter(b, roomId);
    expect(await ask<Ack>(b, 'typing:start', { roomId })).toEqual({ ok: true });
    const removed = nextEvent(b, 'room:removed', (e) => e.roomId === roomId);
    expect((await server.request('DELETE', `/rooms/${roomId}/members/${bob.user.id}`, { token: ann.token })).status).toBe(204);
    await removed;
    expect(await ask<Ack>(b, 'typing:start', { roomId })).toMatchObject({ ok: false, error: { code: 'room_not_found' } });
  });
});

describe('typing budget', () => {
  it('refuses typing events beyond the per-connection budget with rate_limited and retryAfterMs', async () => {
    const limited = await startTestServer({ limits: { typingPer10Seconds: 3 } });
    try {
      const [ann, bob] = await Promise.all([limited.register('ann'), limited.register('bob')]);
      const roomId = await limited.createRoom(ann, 'Budget', bob);
      const a = await limited.socket(ann.token);
      await enter(a, roomId);
      for (let i = 0; i < 3; i++) expect(await ask<Ack>(a, 'typing:start', { roomId })).toEqual({ ok: true });
      const refused = await ask<Ack>(a, 'typing:stop', { roomId });
      expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited', retryAfterMs: expect.any(Number) } });
      // Another connection has a budget of its own.
      const a2 = await limited.socket(ann.token);
      await enter(a2, roomId);
      expect(await ask<Ack>(a2, 'typing:start', { roomId })).toEqual({ ok: true });
    } finally {
      await limited.close();
    }
  });
});

describe('typing across two processes (Redis adapter)', () => {
  it("reaches viewers on the other process, not the typist's own window there, and ends there on a send", async () => {
    const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const first = await startTestServer({ redisUrl, instanceId: `typing-a-${randomBytes(3).toString('hex')}` });
    const second = await startTestServer({ redisUrl, dbName: first.database.db.databaseName, instanceId: `typing-b-${randomBytes(3).toString('hex')}` });
    try {
      const [ann, bob] = await Promise.all([first.register('ann'), first.register('bob')]);
      const roomId = await first.createRoom(ann, 'Across', bob);
      const [annOnFirst, annOnSecond, bobOnSecond] = await Promise.all([first.socket(ann.token), second.socket(ann.token), second.socket(bob.token)]);
      await Promise.all([enter(annOnFirst, roomId), enter(annOnSecond, roomId), enter(bobOnSecond, roomId)]);
      const annElsewhere = collect(annOnSecond, 'room:typing');

      const heard = nextEvent(bobOnSecond, 'room:typing', typingOf(roomId, ann, true));
      expect(await ask<Ack>(annOnFirst, 'typing:start', { roomId })).toEqual({ ok: true });
      await heard;
      const stopped = nextEvent(bobOnSecond, 'room:typing', typingOf(roomId, ann, false));
      await marker(annOnFirst, [bobOnSecond, annOnSecond], roomId);
      await stopped;
      expect(annElsewhere.items).toEqual([]);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
