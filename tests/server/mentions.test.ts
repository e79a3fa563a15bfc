// @mentions: the server finds them in the text among the room's members and stores them
// on the message (clients cannot add any), and the room list counts each user's unread
// mentions per room, exactly, apart from unread, until their read marker passes them.
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, HistoryPage, Message, RoomSummary } from '../../src/shared/contract.js';
import { ask, nextEvent } from '../support/events.js';
import { startTestServer, type ClientSocket, type TestServer, type TestUser } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  // Read markers written at once, so a read is visible to the next list without waiting.
  server = await startTestServer({ readMarkerIntervalMs: 0 });
});
afterAll(() => server.close());

let clientIds = 0;
async function send(socket: ClientSocket, roomId: string, text: string): Promise<Message> {
  const ack = await ask<Ack<{ message: Message }>>(socket, 'message:send', { roomId, clientId: `mention-${clientIds++}`, text });
  if (!ack.ok) throw new Error(`send refused: ${JSON.stringify(ack.error)}`);
  return ack.message;
}

async function listed(user: TestUser, roomId: string): Promise<RoomSummary> {
  const res = await server.request('GET', '/rooms', { token: user.token });
  expect(res.status).toBe(200);
  return (res.body.rooms as RoomSummary[]).find((r) => r.id === roomId)!;
}

async function markRead(user: TestUser, roomId: string, seq: number): Promise<void> {
  expect((await server.request('POST', `/rooms/${roomId}/read`, { token: user.token, body: { seq } })).status).toBe(204);
}

describe('mentions on messages', () => {
  it('are found by the server among the members and stored: in the ack, the push and history', async () => {
    const [ann, bob, cat, eve] = await Promise.all([server.register('ann'), server.register('bob'), server.register('cat'), server.register('eve')]);
    const roomId = await server.createRoom(ann, 'Mentions', bob, cat);
    const [a, b] = await Promise.all([server.socket(ann.token), server.socket(bob.token)]);
    const pushed = nextEvent(b, 'message:new', (e) => e.message.roomId === roomId);
    const text = `hi @${bob.user.username.toUpperCase()} and @${cat.user.username}, not @${eve.user.username} nor me @${ann.user.username} nor ${bob.user.username}@example.com`;
    const message = await send(a, roomId, text);
    expect(message.mentions).toEqual([bob.user.id, cat.user.id]);
    expect((await pushed).message).toEqual(message);
    const history = await server.request('GET', `/rooms/${roomId}/messages`, { token: bob.token });
    expect((history.body as HistoryPage).messages.at(-1)).toEqual(message);
    const stored = await server.database.db.collection('messages').findOne({ _id: new ObjectId(message.id) });
    expect(stored?.mentions?.map(String)).toEqual([bob.user.id, cat.user.id]);
  });

  it('a message without mentions has no mentions field, and a client cannot send one', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const roomId = await server.createRoom(ann, 'Plain', bob);
    const a = await server.socket(ann.token);
    expect(await send(a, roomId, 'nobody here')).not.toHaveProperty('mentions');
    const faked = await ask<Ack>(a, 'message:send', { roomId, clientId: 'fake-1', text: 'hello', mentions: [bob.user.id] });
    expect(faked).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    const overHttp = await server.request('POST', `/rooms/${roomId}/messages`, {
      token: ann.token,
      body: { clientId: 'fake-2', text: 'hello', mentions: [bob.user.id] },
    });
    expect(overHttp.status).toBe(400);
    expect((await listed(bob, roomId)).mentionCount).toBe(0);
  });

  it('a retried send (same clientId) is counted once', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const roomId = await server.createRoom(ann, 'Retry', bob);
    const a = await server.socket(ann.token);
    const body = { roomId, clientId: 'retry-mention', text: `@${bob.user.username} once` };
    const [first, second] = await Promise.all([
      ask<Ack<{ message: Message }>>(a, 'message:send', body),
      ask<Ack<{ message: Message }>>(a, 'message:send', body),
    ]);
    expect(first.ok && second.ok && first.message.id === second.message.id).toBe(true);
    await ask(a, 'message:send', body);
    expect((await listed(bob, roomId)).mentionCount).toBe(1);
  });
});

describe('mention counts in the room list', () => {
  it('count unread mentions exactly, apart from unread, until the read marker passes them', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const roomId = await server.createRoom(ann, 'Counts', bob);
    const a = await server.socket(ann.token);
    const sent: Message[] = [];
    for (let i = 0; i < 12; i++) sent.push(await send(a, roomId, i % 3 === 0 ? `@${bob.user.username} number ${i}` : `chatter ${i}`));
    expect(await listed(bob, roomId)).toMatchObject({ unreadCount: 12, mentionCount: 4 });
    expect((await listed(ann, roomId)).mentionCount).toBe(0);

    // Reading up to the second mention leaves the two after it.
    await markRead(bob, roomId, sent[3]!.seq);
    expect(await listed(bob, roomId)).toMatchObject({ unreadCount: 8, mentionCount: 2 });
    // The list removed what it found read.
    await expect
      .poll(() => server.database.db.collection('mentions').countDocuments({ userId: new ObjectId(bob.user.id), roomId: new ObjectId(roomId) }))
      .toBe(2);
    await markRead(bob, roomId, sent.at(-1)!.seq);
    expect(await listed(bob, roomId)).toMatchObject({ unreadCount: 0, mentionCount: 0 });
  });

  it('mentioning someone who is not a member does nothing, also once they join later', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const roomId = await server.createRoom(ann, 'Outsiders');
    const a = await server.socket(ann.token);
    const message = await send(a, roomId, `@${bob.user.username} are you there?`);
    expect(message).not.toHaveProperty('mentions');
    expect((await server.request('POST', `/rooms/${roomId}/members`, { token: ann.token, body: { username: bob.user.username } })).status).toBe(201);
    expect(await listed(bob, roomId)).toMatchObject({ mentionCount: 0 });
    expect(await server.database.db.collection('mentions').countDocuments({ userId: new ObjectId(bob.user.id) })).toBe(0);
  });

  it("a removed member's and a deleted room's mentions stop counting and are removed", async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const kept = await server.createRoom(ann, 'Kept', bob);
    const left = await server.createRoom(ann, 'Left', bob);
    const gone = await server.createRoom(ann, 'Gone', bob);
    const a = await server.socket(ann.token);
    for (const roomId of [kept, left, gone]) await send(a, roomId, `@${bob.user.username} hi`);
    expect((await listed(bob, left)).mentionCount).toBe(1);
    expect((await server.request('DELETE', `/rooms/${left}/members/${bob.user.id}`, { token: bob.token })).status).toBe(204);
    expect((await server.request('DELETE', `/rooms/${gone}`, { token: ann.token })).status).toBe(204);
    const res = await server.request('GET', '/rooms', { token: bob.token });
    expect((res.body.rooms as RoomSummary[]).map((r) => [r.name, r.mentionCount])).toEqual([['Kept', 1]]);
    await expect.poll(() => server.database.db.collection('mentions').countDocuments({ userId: new ObjectId(bob.user.id) })).toBe(1);
  });
});
