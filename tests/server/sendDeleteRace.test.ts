// Sends racing a room's deletion, many at once and many times over: no message may be
// stored after its room is gone (or by a non-member), none may reach anyone after
// they learned the room is gone, every message that was stored reaches every member,
// and nothing of the room is left afterwards. Each insert is slowed a little at
// random (through createServer's repositories) so sends are mid-way when deletes land;
// right after each insert, the room is read to see whether it still held the author.
// Then the same with two backend processes on Redis: the senders on one, the deleting
// admins one on each.
import { randomBytes } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Message } from '../../src/shared/contract.js';
import { ask } from '../support/events.js';
import { withMethod } from '../support/faultyRepositories.js';
import { startTestServer, type ClientSocket, type TestServer, type TestServerOptions, type TestUser } from '../support/server.js';

const ROUNDS = 8;
const ROOMS_PER_ROUND = 3;
const SENDS_PER_SENDER = 8;
/** Many rounds of real races: on a loaded two-core machine they take longer than one default test timeout. */
const RACE_TIMEOUT_MS = 180_000;

const storedOutsideMembership: string[] = [];

/** Each insert slowed at random, and checked right after against the room as stored. */
const slowCheckedInserts: TestServerOptions['repositories'] = (real) => ({
  ...real,
  messages: withMethod(real.messages, 'insertOnce', (insertOnce) => async (input, seqs) => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
    const result = await insertOnce(input, seqs);
    const room = await real.rooms.findById(input.roomId);
    if (result.created && !room?.members.some((m) => m.userId === input.authorId)) storedOutsideMembership.push(result.message.id);
    return result;
  }),
});

/** Queued marker writes wait 100 ms here, head writes 500 ms: the cleanup's second pass comes after both. */
const timing = { readMarkerIntervalMs: 100, cleanupTiming: { settleMs: 1_500 } } satisfies TestServerOptions;

let single: TestServer;
let first: TestServer;
let second: TestServer;
beforeAll(async () => {
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  single = await startTestServer({ ...timing, repositories: slowCheckedInserts });
  first = await startTestServer({ ...timing, repositories: slowCheckedInserts, redisUrl, instanceId: `race-a-${randomBytes(3).toString('hex')}` });
  second = await startTestServer({
    ...timing,
    repositories: slowCheckedInserts,
    redisUrl,
    dbName: first.database.db.databaseName,
    instanceId: `race-b-${randomBytes(3).toString('hex')}`,
  });
});
afterAll(async () => {
  await Promise.all([single.close(), second.close()]);
  await first.close();
});

type Seen = { kind: 'message'; id: string } | { kind: 'removed' };

function watch(socket: ClientSocket, roomId: string): Seen[] {
  const seen: Seen[] = [];
  socket.on('message:new', ({ message }) => message.roomId === roomId && seen.push({ kind: 'message', id: message.id }));
  socket.on('room:removed', (event) => event.roomId === roomId && seen.push({ kind: 'removed' }));
  return seen;
}

/** Where each of ann (admin), bob (admin, sends) and cat (sends) is connected. */
interface Layout {
  ann: TestServer;
  bob: TestServer;
  cat: TestServer;
}

async function race(layout: Layout, users: { ann: TestUser; bob: TestUser; cat: TestUser }, sockets: ClientSocket[]) {
  const { ann, bob, cat } = users;
  const roomId = await layout.ann.createRoom(ann, 'race', bob, cat);
  expect((await layout.ann.request('PUT', `/rooms/${roomId}/members/${bob.user.id}/role`, { token: ann.token, body: { role: 'admin' } })).status).toBe(200);
  const seen = sockets.map((socket) => watch(socket, roomId));
  const senders = [sockets[1]!, sockets[2]!];
  const sends = senders.flatMap((socket, s) =>
    Array.from({ length: SENDS_PER_SENDER }, (_, i) =>
      ask<Ack<{ message: Message }>>(socket, 'message:send', { roomId, clientId: `r${roomId}s${s}m${i}`, text: `message ${i}` }),
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
  const deletes = [
    layout.ann.request('DELETE', `/rooms/${roomId}`, { token: ann.token }),
    layout.bob.request('DELETE', `/rooms/${roomId}`, { token: bob.token }),
  ];
  const [acks, deleted] = await Promise.all([Promise.all(sends), Promise.all(deletes)]);
  return { roomId, seen, acks, deleted };
}

async function runRounds(layout: Layout, database: TestServer) {
  for (let round = 0; round < ROUNDS; round++) {
    const [ann, bob, cat] = await Promise.all([layout.ann.register('ann'), layout.ann.register('bob'), layout.ann.register('cat')]);
    const sockets = await Promise.all([layout.ann.socket(ann.token), layout.bob.socket(bob.token), layout.cat.socket(cat.token)]);
    const results = await Promise.all(Array.from({ length: ROOMS_PER_ROUND }, () => race(layout, { ann, bob, cat }, sockets)));

    for (const { roomId, seen, acks, deleted } of results) {
      expect(deleted.map((r) => r.status).sort()).toEqual([204, 404]);
      const stored = acks.flatMap((ack) => (ack.ok ? [ack.message.id] : []));
      for (const ack of acks) if (!ack.ok) expect(ack.error.code).toBe('room_not_found');
      // Each member hears of the removal once, of every stored message before it, and of nothing after it.
      for (const events of seen) {
        await expect.poll(() => events.filter((e) => e.kind === 'removed').length).toBe(1);
        const removedAt = events.findIndex((e) => e.kind === 'removed');
        expect(events.slice(removedAt + 1)).toEqual([]);
        expect(new Set(events.slice(0, removedAt).map((e) => (e.kind === 'message' ? e.id : '')))).toEqual(new Set(stored));
      }
      const roomOid = new ObjectId(roomId);
      const { db } = database.database;
      const left = async () =>
        (
          await Promise.all([
            db.collection('messages').countDocuments({ roomId: roomOid }),
            db.collection('roomHeads').countDocuments({ _id: roomOid }),
            db.collection('readMarkers').countDocuments({ roomId: roomOid }),
          ])
        ).reduce((a, b) => a + b, 0);
      await expect.poll(left, { timeout: 10_000 }).toBe(0);
    }
    expect(storedOutsideMembership).toEqual([]);
    for (const socket of sockets) socket.disconnect();
  }
}

describe('sends racing the deletion of their room', () => {
  it(
    'store nothing after the room is gone, deliver stored messages to every member before the removal, and leave nothing behind',
    async () => {
      await runRounds({ ann: single, bob: single, cat: single }, single);
    },
    RACE_TIMEOUT_MS,
  );

  it(
    'hold the same across two processes: senders on one, a deleting admin on each',
    async () => {
      await runRounds({ ann: first, bob: second, cat: second }, first);
    },
    RACE_TIMEOUT_MS,
  );
});

describe("sends racing their author's removal", () => {
  it(
    'are stored only while the author is a member, reach the members of that moment, and the author hears nothing after being removed',
    async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const [ann, bob] = await Promise.all([first.register('ann'), first.register('bob')]);
        const roomId = await first.createRoom(ann, 'race', bob);
        const [annSocket, bobSocket] = await Promise.all([first.socket(ann.token), second.socket(bob.token)]);
        const [annSeen, bobSeen] = [watch(annSocket, roomId), watch(bobSocket, roomId)];
        const sends = Array.from({ length: SENDS_PER_SENDER * 2 }, (_, i) =>
          ask<Ack<{ message: Message }>>(bobSocket, 'message:send', { roomId, clientId: `r${roomId}m${i}`, text: `message ${i}` }),
        );
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
        const removal = first.request('DELETE', `/rooms/${roomId}/members/${bob.user.id}`, { token: ann.token });
        const [acks, removed] = await Promise.all([Promise.all(sends), removal]);
        expect(removed.status).toBe(204);
        const stored = acks.flatMap((ack) => (ack.ok ? [ack.message.id] : []));
        for (const ack of acks) if (!ack.ok) expect(ack.error.code).toBe('room_not_found');
        // bob hears every message he got stored, then his removal, then nothing; ann (still a member) hears them all.
        await expect.poll(() => bobSeen.filter((e) => e.kind === 'removed').length).toBe(1);
        const removedAt = bobSeen.findIndex((e) => e.kind === 'removed');
        expect(bobSeen.slice(removedAt + 1)).toEqual([]);
        expect(new Set(bobSeen.slice(0, removedAt).map((e) => (e.kind === 'message' ? e.id : '')))).toEqual(new Set(stored));
        await expect.poll(() => annSeen.length).toBe(stored.length);
        expect(storedOutsideMembership).toEqual([]);
        annSocket.disconnect();
        bobSocket.disconnect();
      }
    },
    RACE_TIMEOUT_MS,
  );
});
