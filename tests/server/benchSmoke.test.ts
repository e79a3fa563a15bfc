// Smoke test of the benchmark harness (bench/): a bare Socket.IO server child, a few
// clients and two seconds of fan-out traffic, every delivery counted once; the insert
// baseline stores what it broadcasts; seeded messages read back through the server's
// own repositories. Keeps `npm run bench` from rotting without running it.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectAll, type BenchClient } from '../../bench/lib/clients.js';
import { runFanout } from '../../bench/lib/fanout.js';
import { startBare, type ServerProcess } from '../../bench/lib/procs.js';
import { row } from '../../bench/lib/result.js';
import { seedMessages, seedRooms, seedUsers } from '../../bench/lib/seed.js';
import { percentile } from '../../bench/lib/stats.js';
import { connectDatabase, type Database } from '../../server/persistence/database.js';
import { MessageRepository } from '../../server/persistence/messages.js';
import { SCHEMA_VERSION } from '../../server/persistence/migrations.js';
import { RoomHeadRepository } from '../../server/persistence/roomHeads.js';

describe('benchmark harness', () => {
  let server: ServerProcess | undefined;
  let clients: BenchClient[] = [];
  let database: Database | undefined;
  const dbName = `bench_smoke_${randomBytes(3).toString('hex')}`;
  const openDatabase = async () => (database ??= await connectDatabase(inject('mongodbUri'), dbName));
  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.kill();
    await database?.db.dropDatabase();
    await database?.close();
  });

  it('computes percentiles and ratios', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    expect(row({ scenario: 's', metric: 'm', unit: 'ms', parley: 6, baselineName: 'b', baseline: 3, target: 't', met: true }).ratio).toBe(2);
  });

  it('runs bounded fan-out traffic against a bare Socket.IO server and counts every delivery once', async () => {
    server = await startBare('socketio');
    const rooms = ['r0', 'r1'];
    clients = await connectAll(
      'socketio',
      Array.from({ length: 10 }, (_, i) => ({ url: server!.url, rooms: [rooms[i % 2]!] })),
    );
    const plan = rooms.map((roomId, r) => ({ roomId, sender: r, members: [0, 2, 4, 6, 8].map((m) => m + r) }));
    const outcome = await runFanout({ clients, rooms: plan, durationS: 2, tag: 'smoke' });
    expect(outcome.sent).toBe(4);
    expect(outcome.expected).toBe(20);
    expect(outcome.delivered).toBe(20);
    expect(outcome.duplicates).toBe(0);
    expect(outcome.p99).toBeGreaterThan(0);
  });

  it('stores every message in the insert baseline before broadcasting it, with a seq per room', async () => {
    const { db } = await openDatabase();
    const users = await seedUsers(db, 4, 'smoke');
    const rooms = await seedRooms(db, users, 4);
    const bare = await startBare('socketio-insert', undefined, { mongoUri: inject('mongodbUri'), dbName });
    const bareClients = await connectAll(
      'socketio-insert',
      users.map((u) => ({ url: bare.url, rooms: [rooms[0]!.roomId], user: { userId: u.userId, username: u.username } })),
    );
    try {
      const outcome = await runFanout({
        clients: bareClients,
        rooms: [{ roomId: rooms[0]!.roomId, sender: 0, members: [0, 1, 2, 3] }],
        durationS: 1,
        perRoomPerSecond: 3,
        tag: 'smokeins',
      });
      expect(outcome.sent).toBe(3);
      expect(outcome.delivered).toBe(12);
      expect(outcome.sendErrors).toBe(0);
      const stored = await db.collection('bareMessages').find({}).sort({ seq: 1 }).toArray();
      expect(stored.map((d) => d.seq)).toEqual([1, 2, 3]);
      expect(stored[0]!.authorId.toHexString()).toBe(users[0]!.userId);
      const indexes = (await db.collection('bareMessages').indexes()).map((i) => i.name);
      expect(indexes).toEqual(expect.arrayContaining(['room_seq', 'send_idempotency']));
    } finally {
      for (const c of bareClients) c.close();
      await bare.kill();
    }
  });

  it('seeds messages the server reads as its own: seq, room head and schema version, also when a room grows', async () => {
    const { db } = await openDatabase();
    const [author] = await seedUsers(db, 1, 'seed');
    const [room] = await seedRooms(db, [author!], 1);
    const first = await seedMessages(db, room!, author!, 120);
    const grown = await seedMessages(db, room!, author!, 30, { afterSeq: first.lastSeq });
    expect(grown.lastSeq).toBe(150);
    expect(grown.ids[0]!.toHexString() > first.ids.at(-1)!.toHexString()).toBe(true);
    expect((await db.collection<{ _id: string; version: number }>('schemaMeta').findOne({ _id: 'schema' }))?.version).toBe(SCHEMA_VERSION);
    const heads = await new RoomHeadRepository(db, false).forRooms([room!.roomId]);
    expect(heads.get(room!.roomId)?.lastSeq).toBe(150);
    expect(heads.get(room!.roomId)?.lastMessage.id).toBe(grown.ids.at(-1)!.toHexString());
    const page = await new MessageRepository(db).range(room!.roomId, { direction: 'older', below: 101, limit: 50 });
    expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 51 + i));
    expect(page.more).toBe(true);
  });
});
