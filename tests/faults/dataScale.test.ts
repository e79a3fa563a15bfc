// Issue 8's rules where they span processes: two backend processes on one database and
// one Redis. Concurrent sends through both take unique, consecutive seqs and leave
// exact room heads (the room list's newest message and unread counts); entering the
// room on either process gives exactly the database's latest page, also after a
// process restarts and after Redis restarts (the room tail lives in Redis); and a
// member removed through one process cannot post through the other once the removal
// is answered.
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, ClientToServerEvents, Message, RoomEnterAnswer, RoomSummary, ServerToClientEvents } from '../../src/shared/contract.js';
import { createRoom, register, request, type User } from './support/api.js';
import { startCluster, type Cluster } from './support/cluster.js';
import { waitFor } from './support/processes.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let cluster: Cluster;
let client: MongoClient;
let db: Db;
let failed = false;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  // Bursts of 60 concurrent sends per user are the point here, not the fairness limits.
  cluster = await startCluster({
    label: 'data-scale',
    backends: ['A', 'B'],
    livenessMs: 1500,
    env: { LIMIT_SENDS_PER_SECOND: '100000', LIMIT_SEND_BURST: '100000', LIMIT_EVENTS_IN_FLIGHT_PER_CONNECTION: '100000' },
  });
  client = new MongoClient(cluster.database.uri);
  db = client.db(cluster.mongodbDb);
});
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') failed = true;
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await client?.close();
  await cluster?.stop({ keepLogs: failed });
});

const url = (name: 'A' | 'B') => cluster.backends[name]!.url;

async function socketOn(name: 'A' | 'B', user: User): Promise<ClientSocket> {
  const socket: ClientSocket = connect(url(name), { auth: { token: user.token }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

let clientIds = 0;
async function send(socket: ClientSocket, roomId: string, text: string): Promise<Ack<{ message: Message }>> {
  return socket.timeout(10_000).emitWithAck('message:send', { roomId, clientId: `dsf-${clientIds++}`, text });
}

async function enter(socket: ClientSocket, roomId: string): Promise<Message[]> {
  const answer = (await socket.timeout(10_000).emitWithAck('room:enter', { roomId })) as Ack<RoomEnterAnswer>;
  if (!answer.ok) throw new Error(`enter refused: ${answer.error.code}`);
  await socket.timeout(10_000).emitWithAck('room:leave', { roomId });
  return answer.messages;
}

/** The latest page straight from the database, oldest first. */
async function storedLatest(roomId: string, limit = 50): Promise<string[]> {
  const docs = await db
    .collection('messages')
    .find({ roomId: new ObjectId(roomId) })
    .sort({ seq: -1 })
    .limit(limit)
    .toArray();
  return docs.reverse().map((d) => d._id.toHexString());
}

/** Every seq stored in the room, in order. */
async function storedSeqs(roomId: string): Promise<number[]> {
  const docs = await db
    .collection('messages')
    .find({ roomId: new ObjectId(roomId) })
    .project({ seq: 1 })
    .toArray();
  return docs.map((d) => d.seq as number).sort((x, y) => x - y);
}

async function summaryOn(name: 'A' | 'B', user: User, roomId: string): Promise<RoomSummary | undefined> {
  const res = await request(url(name), 'GET', '/rooms', { token: user.token });
  return (res.body.rooms as RoomSummary[]).find((r) => r.id === roomId);
}

describe('two processes, one database, one Redis: seqs, heads, tails and membership', () => {
  it('concurrent sends through both processes get unique consecutive seqs, exact heads, and one tail', async () => {
    const [ann, bob, cat] = await Promise.all([register(url('A'), 'ann'), register(url('B'), 'bob'), register(url('A'), 'cat')]);
    const roomId = await createRoom(url('A'), ann, 'Both', [bob, cat]);
    const [annOnA, bobOnB, catOnB] = await Promise.all([socketOn('A', ann), socketOn('B', bob), socketOn('B', cat)]);
    await enter(catOnB, roomId); // the tail exists before the sends, so they append to it

    for (let round = 0; round < 3; round++) {
      const acks = await Promise.all([
        ...Array.from({ length: 60 }, (_, i) => send(annOnA, roomId, `a${round}.${i}`)),
        ...Array.from({ length: 60 }, (_, i) => send(bobOnB, roomId, `b${round}.${i}`)),
      ]);
      expect(acks.filter((a) => !a.ok)).toEqual([]);
    }
    const seqs = await storedSeqs(roomId);
    expect(seqs).toEqual(Array.from({ length: 360 }, (_, i) => i + 1));

    // The room list on either process: the newest message and exact unread counts (a
    // process writes a room's head at most every 500 ms, and on FerretDB checks it again after 1 s).
    const newest = await storedLatest(roomId, 1);
    for (const name of ['A', 'B'] as const) {
      await expect
        .poll(
          async () => {
            const forCat = await summaryOn(name, cat, roomId);
            return [forCat?.lastMessage?.id, forCat?.lastMessage?.seq, forCat?.unreadCount];
          },
          { timeout: 5000 },
        )
        .toEqual([newest[0], 360, 360]);
    }
    const head = await db.collection('roomHeads').findOne({ _id: new ObjectId(roomId) });
    expect(head?.lastSeq).toBe(360);

    // Entering on either process gives exactly the database's latest page.
    const latest = await storedLatest(roomId);
    for (const socket of [annOnA, catOnB]) expect((await enter(socket, roomId)).map((m) => m.id)).toEqual(latest);

    // A viewer on B reports a message sent through A the moment it is pushed, before any head
    // says so: the report is not held back, and nothing is left unread on either process.
    for (let i = 0; i < 5; i++) {
      const pushed = new Promise<Message>((resolve) => catOnB.once('message:new', ({ message }) => resolve(message)));
      expect((await send(annOnA, roomId, `read at once ${i}`)).ok).toBe(true);
      const message = await pushed;
      await catOnB.timeout(10_000).emitWithAck('room:read', { roomId, seq: message.seq });
      expect((await summaryOn('B', cat, roomId))?.unreadCount).toBe(0);
    }
    await expect.poll(async () => (await summaryOn('A', cat, roomId))?.unreadCount, { timeout: 8000 }).toBe(0);
  });

  it('entering gives the database latest page after a process restarts and after Redis restarts', async () => {
    const [ann, bob] = await Promise.all([register(url('A'), 'ann'), register(url('B'), 'bob')]);
    const roomId = await createRoom(url('A'), ann, 'Restarts', [bob]);
    let annOnA = await socketOn('A', ann);
    let bobOnB = await socketOn('B', bob);
    const sendBoth = async (text: string) => {
      const acks = await Promise.all([send(annOnA, roomId, `${text} a`), send(bobOnB, roomId, `${text} b`)]);
      expect(acks.map((a) => (a.ok ? 'ok' : a.error.code))).toEqual(['ok', 'ok']);
    };
    for (let i = 0; i < 30; i++) await sendBoth(`before ${i}`);
    expect((await enter(bobOnB, roomId)).map((m) => m.id)).toEqual(await storedLatest(roomId));

    // Process A dies and comes back: its first sends go on from the right seq.
    await cluster.backends.A!.kill();
    cluster.backends.A = await cluster.spawn('A2');
    annOnA = await socketOn('A', ann);
    for (let i = 0; i < 10; i++) await sendBoth(`after restart ${i}`);
    for (const socket of [annOnA, bobOnB]) expect((await enter(socket, roomId)).map((m) => m.id)).toEqual(await storedLatest(roomId));

    // Redis loses everything (tails included); both processes recover and refill.
    await cluster.redis.crash();
    await cluster.redis.restart();
    for (const name of ['A', 'B'] as const) {
      await waitFor(`${name} healthy`, async () => ((await request(url(name), 'GET', '/health')).status === 200 ? true : undefined), 15_000, 100);
    }
    for (const s of [annOnA, bobOnB]) s.disconnect();
    annOnA = await socketOn('A', ann);
    bobOnB = await socketOn('B', bob);
    for (const socket of [annOnA, bobOnB]) expect((await enter(socket, roomId)).map((m) => m.id)).toEqual(await storedLatest(roomId));
    for (let i = 0; i < 10; i++) await sendBoth(`after redis ${i}`);
    for (const socket of [annOnA, bobOnB]) expect((await enter(socket, roomId)).map((m) => m.id)).toEqual(await storedLatest(roomId));
    const seqs = await storedSeqs(roomId);
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('a member removed through one process cannot post through the other once the removal is answered (10 rounds)', async () => {
    const admin = await register(url('A'), 'admin');
    const adminOnA = await socketOn('A', admin);
    for (let round = 0; round < 10; round++) {
      const victim = await register(url('B'), 'victim');
      const roomId = await createRoom(url('A'), admin, `Race ${round}`, [victim]);
      const victimOnB = await socketOn('B', victim);
      expect((await send(victimOnB, roomId, 'warm the cache on B')).ok).toBe(true);
      let answered = false;
      let refused = 0;
      const acceptedAfterAnswer: string[] = [];
      const posting = (async () => {
        for (let i = 0; i < 300 && refused < 3; i++) {
          const ack = await send(victimOnB, roomId, `still here ${i}`);
          const wasAnswered = answered;
          if (ack.ok && wasAnswered) acceptedAfterAnswer.push(ack.message.id);
          if (!ack.ok) {
            expect(ack.error.code).toBe('room_not_found');
            refused++;
          }
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 10 + round * 4));
      const res = await request(url('A'), 'DELETE', `/rooms/${roomId}/members/${victim.id}`, { token: admin.token });
      expect(res.status).toBe(204);
      answered = true;
      const marker = await send(adminOnA, roomId, 'after the removal');
      await posting;
      expect(acceptedAfterAnswer).toEqual([]);
      expect(marker.ok).toBe(true);
      const last = await db
        .collection('messages')
        .find({ roomId: new ObjectId(roomId), authorId: new ObjectId(victim.id) })
        .sort({ seq: -1 })
        .limit(1)
        .next();
      expect(last!.seq).toBeLessThan(marker.ok ? marker.message.seq : 0);
      victimOnB.disconnect();
    }
  });
});
