// Presence (who is viewing a room's chat) and live membership pushes, over real
// Socket.IO clients. Every "did not happen" check waits first for a later event on the
// same socket (Socket.IO keeps per-connection order), then a short quiet window.
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Ack, Message, RoomDetail, RoomEnterAnswer, RoomSummary, ServerToClientEvents, Viewer } from '../../src/shared/contract.js';
import { ask, collect, nextEvent } from '../support/events.js';
import { startTestServer, type ClientSocket, type TestServer } from '../support/server.js';

type User = Awaited<ReturnType<TestServer['register']>>;
type Presence = Parameters<ServerToClientEvents['room:presence']>[0];

let server: TestServer;
let ann: User, bob: User, cat: User, dan: User, eve: User;
beforeAll(async () => {
  server = await startTestServer();
  [ann, bob, cat, dan, eve] = await Promise.all([
    server.register('ann'),
    server.register('bob'),
    server.register('cat'),
    server.register('dan'),
    server.register('eve'),
  ]);
});
afterAll(() => server.close());

// ---------- helpers ----------
const QUIET_MS = 300;
const quietWindow = () => new Promise((resolve) => setTimeout(resolve, QUIET_MS));

const viewer = (u: User): Viewer => ({ userId: u.user.id, username: u.user.username });
const byId = (a: Viewer, b: Viewer) => a.userId.localeCompare(b.userId);
const viewersOf = (...users: User[]) => users.map(viewer).sort(byId);

async function enter(socket: ClientSocket, roomId: string): Promise<RoomEnterAnswer> {
  const answer = await ask<Ack<RoomEnterAnswer>>(socket, 'room:enter', { roomId });
  if (!answer.ok) throw new Error(`room:enter failed: ${JSON.stringify(answer.error)}`);
  return answer;
}

async function leave(socket: ClientSocket, roomId: string): Promise<void> {
  expect(await ask<Ack>(socket, 'room:leave', { roomId })).toEqual({ ok: true });
}

const presenceOf = (roomId: string, user: User, action: Presence['action']) => (e: Presence) =>
  e.roomId === roomId && e.user.userId === user.user.id && e.action === action;

let clientIds = 0;
/**
 * Sends a message and waits until `observer` has it: an event that, by Socket.IO's
 * per-connection ordering, comes after everything the server sent that observer before.
 */
async function marker(sender: ClientSocket, observer: ClientSocket | ClientSocket[], roomId: string): Promise<Message> {
  const clientId = `marker-${clientIds++}`;
  const observers = Array.isArray(observer) ? observer : [observer];
  const seen = Promise.all(observers.map((o) => nextEvent(o, 'message:new', (e) => e.message.clientId === clientId && e.message.roomId === roomId)));
  const ack = await ask<Ack<{ message: Message }>>(sender, 'message:send', { roomId, clientId, text: 'marker' });
  if (!ack.ok) throw new Error(`send failed: ${JSON.stringify(ack.error)}`);
  await seen;
  return ack.message;
}

/** Waits until the server has dropped this client's connection (its disconnect handler has run). */
async function serverForgets(socketId: string): Promise<void> {
  await vi.waitFor(() => expect(server.app.io.sockets.sockets.has(socketId)).toBe(false), { timeout: 5000, interval: 20 });
}

async function detail(user: User, roomId: string): Promise<RoomDetail> {
  const res = await server.request('GET', `/rooms/${roomId}`, { token: user.token });
  expect(res.status).toBe(200);
  return res.body.room as RoomDetail;
}

// ---------- presence ----------
describe('presence in a chat view', () => {
  it('announces entering, leaving and disconnecting to viewers; the enter answer lists current viewers', async () => {
    const roomId = await server.createRoom(ann, 'Presence', bob, cat);
    const [a, b, c] = await Promise.all([server.socket(ann.token), server.socket(bob.token), server.socket(cat.token)]);

    expect((await enter(a, roomId)).viewers).toEqual([viewer(ann)]);

    let heard = nextEvent(a, 'room:presence', presenceOf(roomId, bob, 'entered'));
    const bobsAnswer = await enter(b, roomId);
    expect([...bobsAnswer.viewers].sort(byId)).toEqual(viewersOf(ann, bob));
    expect(await heard).toEqual({ roomId, user: viewer(bob), action: 'entered' });

    expect([...(await enter(c, roomId)).viewers].sort(byId)).toEqual(viewersOf(ann, bob, cat));

    heard = nextEvent(a, 'room:presence', presenceOf(roomId, bob, 'left'));
    await leave(b, roomId);
    expect(await heard).toEqual({ roomId, user: viewer(bob), action: 'left' });
    expect([...(await enter(c, roomId)).viewers].sort(byId)).toEqual(viewersOf(ann, cat));

    heard = nextEvent(a, 'room:presence', presenceOf(roomId, bob, 'entered'));
    await enter(b, roomId);
    await heard;
    heard = nextEvent(a, 'room:presence', presenceOf(roomId, bob, 'left'));
    b.disconnect();
    expect(await heard).toEqual({ roomId, user: viewer(bob), action: 'left' });
    expect([...(await enter(c, roomId)).viewers].sort(byId)).toEqual(viewersOf(ann, cat));
  });

  it('tells only viewers: a member who is connected but not viewing hears nothing, nor does the one entering', async () => {
    const roomId = await server.createRoom(ann, 'Viewers only', bob, cat);
    const [a, b, c] = await Promise.all([server.socket(ann.token), server.socket(bob.token), server.socket(cat.token)]);
    const catHears = collect(c, 'room:presence');
    const bobHears = collect(b, 'room:presence');
    await enter(a, roomId);
    const heard = nextEvent(a, 'room:presence', presenceOf(roomId, bob, 'entered'));
    await enter(b, roomId);
    await heard;
    await leave(a, roomId);

    await marker(a, c, roomId);
    await marker(a, b, roomId);
    await quietWindow();
    expect(catHears.items).toEqual([]);
    // Bob hears ann leave (he is viewing), never his own entrance.
    expect(bobHears.items).toEqual([{ roomId, user: viewer(ann), action: 'left' }]);
  });

  it('a user with two windows is announced once on the first enter and once on the last leave', async () => {
    const roomId = await server.createRoom(ann, 'Two windows', bob);
    const [a, b1, b2] = await Promise.all([server.socket(ann.token), server.socket(bob.token), server.socket(bob.token)]);
    await enter(a, roomId);
    const heard = collect(a, 'room:presence');
    const bobs = (action: Presence['action']) => heard.items.filter(presenceOf(roomId, bob, action));

    const first = nextEvent(a, 'room:presence', presenceOf(roomId, bob, 'entered'));
    await enter(b1, roomId);
    await first;
    const second = await enter(b2, roomId);
    expect([...second.viewers].sort(byId)).toEqual(viewersOf(ann, bob)); // bob listed once
    await marker(b1, a, roomId);
    await quietWindow();
    expect(bobs('entered')).toHaveLength(1);

    // One window leaves: bob is still viewing.
    await leave(b1, roomId);
    await marker(b1, a, roomId);
    await quietWindow();
    expect(bobs('left')).toHaveLength(0);

    // The last window leaves: announced once.
    const last = nextEvent(a, 'room:presence', presenceOf(roomId, bob, 'left'));
    await leave(b2, roomId);
    await last;
    await marker(b1, a, roomId);
    await quietWindow();
    expect(bobs('left')).toHaveLength(1);

    // The same with disconnects: the first window closing is silent, the last is announced.
    const again = nextEvent(a, 'room:presence', presenceOf(roomId, bob, 'entered'));
    await enter(b1, roomId);
    await enter(b2, roomId);
    await again;
    const b1Id = b1.id!;
    b1.disconnect();
    await serverForgets(b1Id);
    await marker(b2, a, roomId);
    await quietWindow();
    expect(bobs('entered')).toHaveLength(2);
    expect(bobs('left')).toHaveLength(1);

    const gone = nextEvent(a, 'room:presence', presenceOf(roomId, bob, 'left'));
    b2.disconnect();
    await gone;
    const c = await server.socket(ann.token);
    await marker(c, a, roomId);
    await quietWindow();
    expect(bobs('left')).toHaveLength(2);
    expect(heard.items.every((e) => e.user.userId === bob.user.id)).toBe(true);
    heard.stop();
  });

  it('a disconnect leaves every room the connection was viewing', async () => {
    const room1 = await server.createRoom(ann, 'First', bob);
    const room2 = await server.createRoom(ann, 'Second', bob);
    const [a, b] = await Promise.all([server.socket(ann.token), server.socket(bob.token)]);
    await enter(a, room1);
    await enter(a, room2);
    await enter(b, room1);
    await enter(b, room2);
    const left = Promise.all([room1, room2].map((r) => nextEvent(a, 'room:presence', presenceOf(r, bob, 'left'))));
    b.disconnect();
    expect((await left).map((e) => e.roomId)).toEqual([room1, room2]);
  });

  it('a non-member cannot enter (room_not_found) and nobody hears of them', async () => {
    const roomId = await server.createRoom(ann, 'Closed', bob);
    const [a, e] = await Promise.all([server.socket(ann.token), server.socket(eve.token)]);
    await enter(a, roomId);
    const heard = collect(a, 'room:presence');
    const answer = await ask<Ack<RoomEnterAnswer>>(e, 'room:enter', { roomId });
    expect(answer).toEqual({ ok: false, error: { code: 'room_not_found', message: expect.any(String) } });
    const missing = await ask<Ack<RoomEnterAnswer>>(e, 'room:enter', { roomId: new ObjectId().toHexString() });
    expect(missing).toEqual(answer);
    await marker(a, a, roomId);
    await quietWindow();
    expect(heard.items).toEqual([]);
    expect((await enter(a, roomId)).viewers).toEqual([viewer(ann)]);
  });
});

// ---------- live membership ----------
describe('live membership', () => {
  it('an added user gets room:added with their summary on every socket; members get room:updated', async () => {
    const roomId = await server.createRoom(ann, 'Welcome', bob);
    const [a, b, d1, d2] = await Promise.all([server.socket(ann.token), server.socket(bob.token), server.socket(dan.token), server.socket(dan.token)]);
    await marker(a, b, roomId);
    const last = await marker(b, a, roomId);

    const added = Promise.all([d1, d2].map((s) => nextEvent(s, 'room:added', (e) => e.room.id === roomId)));
    const updated = Promise.all([a, b].map((s) => nextEvent(s, 'room:updated', (e) => e.room.id === roomId && e.room.members.length === 3)));
    const res = await server.request('POST', `/rooms/${roomId}/members`, { token: ann.token, body: { username: dan.user.username } });
    expect(res.status).toBe(201);

    const listed = (await server.request('GET', '/rooms', { token: dan.token })).body.rooms.find((r: RoomSummary) => r.id === roomId);
    const expected: RoomSummary = { id: roomId, name: 'Welcome', role: 'member', memberCount: 3, lastMessage: last, unreadCount: 2, mentionCount: 0 };
    expect(listed).toEqual(expected);
    for (const event of await added) expect(event).toEqual({ room: expected });
    for (const event of await updated) expect(event).toEqual({ room: res.body.room });

    // Without reconnecting, the new member now hears the room's messages and may enter it.
    await marker(a, d1, roomId);
    expect((await enter(d2, roomId)).messages.at(-1)?.text).toBe('marker');
  });

  it('a removed user gets room:removed "removed", is put out of the chat view and hears the room no more', async () => {
    const roomId = await server.createRoom(ann, 'Kick', bob, cat);
    const otherRoom = await server.createRoom(ann, 'Still together', bob);
    const [a, b1, b2, b3, c] = await Promise.all([
      server.socket(ann.token),
      server.socket(bob.token),
      server.socket(bob.token),
      server.socket(bob.token),
      server.socket(cat.token),
    ]);
    await enter(a, roomId);
    await enter(c, roomId);
    await enter(b1, roomId);
    await enter(b2, roomId); // two viewing windows and one (b3) not viewing
    const annHears = collect(a, 'room:presence');
    const bobMessages = [b1, b2, b3].map((s) => collect(s, 'message:new'));
    const bobPresence = [b1, b2, b3].map((s) => collect(s, 'room:presence'));

    const removed = Promise.all([b1, b2, b3].map((s) => nextEvent(s, 'room:removed', (e) => e.roomId === roomId)));
    const leftFor = Promise.all([a, c].map((s) => nextEvent(s, 'room:presence', presenceOf(roomId, bob, 'left'))));
    const updated = Promise.all([a, c].map((s) => nextEvent(s, 'room:updated', (e) => e.room.id === roomId)));
    expect((await server.request('DELETE', `/rooms/${roomId}/members/${bob.user.id}`, { token: ann.token })).status).toBe(204);

    for (const event of await removed) expect(event).toEqual({ roomId, reason: 'removed', by: ann.user.username });
    for (const event of await leftFor) expect(event).toEqual({ roomId, user: viewer(bob), action: 'left' });
    for (const event of await updated) expect(event.room.members.map((m) => m.userId)).toEqual([ann.user.id, cat.user.id]);

    // The room goes on without bob: a message and a presence change he must not get.
    await marker(a, c, roomId);
    const catLeft = nextEvent(a, 'room:presence', presenceOf(roomId, cat, 'left'));
    await leave(c, roomId);
    await catLeft;
    const later = await marker(a, [b1, b2, b3], otherRoom);
    await quietWindow();
    for (const got of bobMessages) expect(got.items.map((e) => e.message.id)).toEqual([later.id]);
    for (const got of bobPresence) expect(got.items).toEqual([]);
    expect(annHears.items.filter(presenceOf(roomId, bob, 'left'))).toHaveLength(1);

    // Nor can he get back in.
    const again = await ask<Ack<RoomEnterAnswer>>(b1, 'room:enter', { roomId });
    expect(again.ok ? 'ok' : again.error.code).toBe('room_not_found');
    const send = await ask<Ack<{ message: Message }>>(b1, 'message:send', { roomId, clientId: 'after-kick', text: 'hello?' });
    expect(send.ok ? 'ok' : send.error.code).toBe('room_not_found');
    expect([...(await enter(c, roomId)).viewers].sort(byId)).toEqual(viewersOf(ann, cat));
  });

  it('leaving gives room:removed "left" to the leaver; viewers hear them leave and members get room:updated', async () => {
    const roomId = await server.createRoom(ann, 'Exit', bob, cat);
    const [a, b, c] = await Promise.all([server.socket(ann.token), server.socket(bob.token), server.socket(cat.token)]);
    await enter(a, roomId);
    await enter(b, roomId);

    const removed = nextEvent(b, 'room:removed', (e) => e.roomId === roomId);
    const leftFor = nextEvent(a, 'room:presence', presenceOf(roomId, bob, 'left'));
    const updated = Promise.all([a, c].map((s) => nextEvent(s, 'room:updated', (e) => e.room.id === roomId)));
    expect((await server.request('DELETE', `/rooms/${roomId}/members/${bob.user.id}`, { token: bob.token })).status).toBe(204);

    expect(await removed).toEqual({ roomId, reason: 'left' });
    expect(await leftFor).toEqual({ roomId, user: viewer(bob), action: 'left' });
    for (const event of await updated) expect(event).toEqual({ room: await detail(ann, roomId) });
  });

  it('rename and role changes give room:updated to every member, viewing or not, and to nobody else', async () => {
    const roomId = await server.createRoom(ann, 'Before', bob, cat);
    const eveRoom = await server.createRoom(eve, 'Eve alone');
    const [a, b, c, e] = await Promise.all([server.socket(ann.token), server.socket(bob.token), server.socket(cat.token), server.socket(eve.token)]);
    await enter(b, roomId); // one viewer, two not viewing
    const outsider = collect(e, 'room:updated');

    let updated = Promise.all([a, b, c].map((s) => nextEvent(s, 'room:updated', (ev) => ev.room.id === roomId && ev.room.name === 'After')));
    const renamed = await server.request('PATCH', `/rooms/${roomId}`, { token: ann.token, body: { name: 'After' } });
    expect(renamed.status).toBe(200);
    for (const event of await updated) expect(event).toEqual({ room: renamed.body.room });

    const isBobAdmin = (room: RoomDetail) => room.members.find((m) => m.userId === bob.user.id)?.role === 'admin';
    updated = Promise.all([a, b, c].map((s) => nextEvent(s, 'room:updated', (ev) => ev.room.id === roomId && isBobAdmin(ev.room))));
    const granted = await server.request('PUT', `/rooms/${roomId}/members/${bob.user.id}/role`, { token: ann.token, body: { role: 'admin' } });
    expect(granted.status).toBe(200);
    for (const event of await updated) expect(event).toEqual({ room: granted.body.room });

    updated = Promise.all([a, b, c].map((s) => nextEvent(s, 'room:updated', (ev) => ev.room.id === roomId && !isBobAdmin(ev.room))));
    const revoked = await server.request('PUT', `/rooms/${roomId}/members/${bob.user.id}/role`, { token: bob.token, body: { role: 'member' } });
    expect(revoked.status).toBe(200);
    for (const event of await updated) expect(event).toEqual({ room: await detail(cat, roomId) });

    await marker(e, e, eveRoom);
    await quietWindow();
    expect(outsider.items).toEqual([]);
  });

  it('deleting a room gives room:removed "deleted" to every member on every socket, viewers included', async () => {
    const roomId = await server.createRoom(ann, 'Doomed', bob, cat);
    const sockets = await Promise.all([server.socket(ann.token), server.socket(bob.token), server.socket(cat.token), server.socket(cat.token)]);
    const [a, b, c1] = sockets as [ClientSocket, ClientSocket, ClientSocket, ClientSocket];
    await enter(a, roomId);
    await enter(b, roomId);
    await enter(c1, roomId);

    const removed = Promise.all(sockets.map((s) => nextEvent(s, 'room:removed', (e) => e.roomId === roomId)));
    expect((await server.request('DELETE', `/rooms/${roomId}`, { token: ann.token })).status).toBe(204);
    for (const event of await removed) expect(event).toEqual({ roomId, reason: 'deleted', by: ann.user.username });

    const enterAgain = await ask<Ack<RoomEnterAnswer>>(b, 'room:enter', { roomId });
    expect(enterAgain.ok ? 'ok' : enterAgain.error.code).toBe('room_not_found');
  });
});
