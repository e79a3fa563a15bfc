// A room change that has committed is answered as success and pushed, whatever its
// follow-up work meets; the follow-up (a deleted room's history, head and markers, a
// removed member's read marker) is retried until done, or finished by the sweep of
// the next process to start. The failures are injected through createServer's
// repositories; the database is real.
import { ObjectId } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';
import { failingFirst } from '../support/faultyRepositories.js';
import { nextEvent } from '../support/events.js';
import { startTestServer, type TestServer, type TestUser } from '../support/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});
async function start(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

async function send(server: TestServer, user: TestUser, roomId: string, text: string): Promise<void> {
  const res = await server.request('POST', `/rooms/${roomId}/messages`, {
    token: user.token,
    body: { clientId: `c${Math.random().toString(36).slice(2)}`, text },
  });
  expect(res.status).toBe(201);
}

const count = (server: TestServer, collection: string, filter: object) => server.database.db.collection(collection).countDocuments(filter);

describe('a committed delete', () => {
  it('is answered 204 and pushed although removing its history fails twice; the history goes on a retry', async () => {
    let messagesDeletes: () => number = () => 0;
    const server = await start({
      cleanupTiming: { retryDelaysMs: [50, 50, 50], settleMs: 100 },
      repositories: (real) => {
        const failing = failingFirst(real.messages, 'deleteForRoom', 2);
        messagesDeletes = failing.calls;
        return { ...real, messages: failing.repository };
      },
    });
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const roomId = await server.createRoom(ann, 'Doomed', bob);
    await send(server, ann, roomId, 'one');
    await send(server, bob, roomId, 'two');
    const bobSocket = await server.socket(bob.token);
    const removed = nextEvent(bobSocket, 'room:removed', (e) => e.roomId === roomId);

    const res = await server.request('DELETE', `/rooms/${roomId}`, { token: ann.token });
    expect(res.status).toBe(204);
    expect(await removed).toMatchObject({ roomId, reason: 'deleted' });
    expect((await server.request('GET', `/rooms/${roomId}`, { token: ann.token })).status).toBe(404);

    const roomOid = new ObjectId(roomId);
    await expect.poll(() => count(server, 'messages', { roomId: roomOid }), { timeout: 5000 }).toBe(0);
    await expect.poll(() => count(server, 'readMarkers', { roomId: roomOid })).toBe(0);
    await expect.poll(() => count(server, 'roomHeads', { _id: roomOid })).toBe(0);
    await expect.poll(() => count(server, 'roomCleanups', {})).toBe(0);
    // Two failures, the pass that removed them, and the second pass (which drops the note).
    expect(messagesDeletes()).toBe(4);
  });

  it('left unfinished by a process (its retries ran out) is finished by the next process to start', async () => {
    const first = await start({
      cleanupTiming: { retryDelaysMs: [] },
      repositories: (real) => ({ ...real, messages: failingFirst(real.messages, 'deleteForRoom', 1_000).repository }),
    });
    const ann = await first.register('ann');
    const roomId = await first.createRoom(ann, 'Doomed');
    await send(first, ann, roomId, 'one');
    expect((await first.request('DELETE', `/rooms/${roomId}`, { token: ann.token })).status).toBe(204);
    const roomOid = new ObjectId(roomId);
    expect(await count(first, 'messages', { roomId: roomOid })).toBe(1);

    const second = await start({ dbName: first.database.db.databaseName, cleanupTiming: { settleMs: 0 } });
    await second.app.swept;
    expect(await count(second, 'messages', { roomId: roomOid })).toBe(0);
    expect(await count(second, 'roomCleanups', {})).toBe(0);
  });
});

describe('a committed removal', () => {
  it("is answered 204 and pushed although removing the member's read marker fails; the marker goes on a retry", async () => {
    const server = await start({
      cleanupTiming: { retryDelaysMs: [50, 50], settleMs: 100 },
      readMarkerIntervalMs: 10,
      repositories: (real) => ({ ...real, readMarkers: failingFirst(real.readMarkers, 'deleteFor', 1).repository }),
    });
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const roomId = await server.createRoom(ann, 'Room', bob);
    // Sending marks the room read for bob: his marker exists.
    await send(server, bob, roomId, 'hello');
    const marker = { _id: `${roomId}:${bob.user.id}` } as never;
    await expect.poll(() => count(server, 'readMarkers', marker)).toBe(1);
    const [annSocket, bobSocket] = await Promise.all([server.socket(ann.token), server.socket(bob.token)]);
    const removed = nextEvent(bobSocket, 'room:removed', (e) => e.roomId === roomId);
    const updated = nextEvent(annSocket, 'room:updated', (e) => e.room.id === roomId);

    const res = await server.request('DELETE', `/rooms/${roomId}/members/${bob.user.id}`, { token: ann.token });
    expect(res.status).toBe(204);
    expect(await removed).toMatchObject({ roomId, reason: 'removed' });
    expect((await updated).room.members.map((m) => m.userId)).toEqual([ann.user.id]);
    await expect.poll(() => count(server, 'readMarkers', marker), { timeout: 5000 }).toBe(0);
    await expect.poll(() => count(server, 'roomCleanups', {})).toBe(0);
  });

  it('is not undone by the sweep when the member was added back before it ran', async () => {
    const first = await start({
      cleanupTiming: { retryDelaysMs: [] },
      readMarkerIntervalMs: 10,
      repositories: (real) => ({ ...real, readMarkers: failingFirst(real.readMarkers, 'deleteFor', 1_000).repository }),
    });
    const [ann, bob] = await Promise.all([first.register('ann'), first.register('bob')]);
    const roomId = await first.createRoom(ann, 'Room', bob);
    await send(first, bob, roomId, 'hello');
    const marker = { _id: `${roomId}:${bob.user.id}` } as never;
    await expect.poll(() => count(first, 'readMarkers', marker)).toBe(1);
    expect((await first.request('DELETE', `/rooms/${roomId}/members/${bob.user.id}`, { token: ann.token })).status).toBe(204);
    expect((await first.request('POST', `/rooms/${roomId}/members`, { token: ann.token, body: { username: bob.user.username } })).status).toBe(201);

    const second = await start({ dbName: first.database.db.databaseName, cleanupTiming: { settleMs: 0 } });
    await second.app.swept;
    // Still a member: the marker stays, and the note waits (it is dropped once old).
    expect(await count(second, 'readMarkers', marker)).toBe(1);
    expect(await count(second, 'roomCleanups', {})).toBe(1);
  });
});
