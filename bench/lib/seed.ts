// Seeds users, sessions, rooms, messages (with their per-room seq and the room's head)
// and read markers straight into the database, in the exact shapes the repositories
// write (server/persistence/*.ts), so a seeded database looks like one the server
// wrote. Registering through the API would hash a password per user with argon2 (slow
// by design) and add nothing to measure.
import { createHash, randomBytes } from 'node:crypto';
import { ObjectId, type Db } from 'mongodb';
import { SCHEMA_VERSION } from '../../server/persistence/migrations.js';

export interface SeededUser {
  userId: string;
  username: string;
  token: string;
}

export interface SeededRoom {
  roomId: string;
  /** Indexes into the users array. */
  members: number[];
}

const BATCH = 1000;
/** Seeded message n of a room was sent at this second + n: ~23 days ago, room for 2M messages before now. */
const SEED_EPOCH = Math.floor(Date.now() / 1000) - 2_000_000;

async function insertInBatches(db: Db, collection: string, docs: object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH) {
    await db.collection(collection).insertMany(docs.slice(i, i + BATCH), { ordered: false });
  }
}

export async function seedUsers(db: Db, count: number, prefix = 'bench'): Promise<SeededUser[]> {
  const now = new Date();
  const expiresAt = new Date(Date.now() + 24 * 60 * 60 * 1000);
  const users: SeededUser[] = [];
  const userDocs: object[] = [];
  const sessionDocs: object[] = [];
  const tag = randomBytes(3).toString('hex');
  for (let i = 0; i < count; i++) {
    const _id = new ObjectId();
    const username = `${prefix}${tag}_${i}`;
    const token = randomBytes(32).toString('base64url');
    users.push({ userId: _id.toHexString(), username, token });
    userDocs.push({
      _id,
      username,
      usernameLower: username.toLowerCase(),
      email: `${username}@bench.test`,
      emailLower: `${username}@bench.test`.toLowerCase(),
      // Never verified: the bench signs in with seeded sessions, not passwords.
      passwordHash: 'bench-no-password',
      createdAt: now,
    });
    sessionDocs.push({ _id: createHash('sha256').update(token).digest('hex'), userId: _id, createdAt: now, expiresAt });
  }
  await insertInBatches(db, 'users', userDocs);
  await insertInBatches(db, 'sessions', sessionDocs);
  return users;
}

/** Consecutive users in rooms of `roomSize`; the first member is the admin. */
export async function seedRooms(db: Db, users: SeededUser[], roomSize: number): Promise<SeededRoom[]> {
  const memberSets: number[][] = [];
  for (let start = 0; start + roomSize <= users.length; start += roomSize) memberSets.push(Array.from({ length: roomSize }, (_, k) => start + k));
  return seedRoomsOf(db, users, memberSets);
}

/** One room per member list (indexes into `users`); the first member of each is the admin. */
export async function seedRoomsOf(db: Db, users: SeededUser[], memberSets: number[][]): Promise<SeededRoom[]> {
  const now = new Date();
  const rooms: SeededRoom[] = [];
  const docs: object[] = [];
  for (const members of memberSets) {
    const _id = new ObjectId();
    rooms.push({ roomId: _id.toHexString(), members });
    docs.push({
      _id,
      name: `bench room ${rooms.length}`,
      members: members.map((m, k) => ({
        userId: new ObjectId(users[m]!.userId),
        username: users[m]!.username,
        role: k === 0 ? 'admin' : 'member',
        joinedAt: now,
      })),
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
  }
  await insertInBatches(db, 'rooms', docs);
  return rooms;
}

/**
 * Says the database is at the current schema, as a server that wrote it would have, so
 * a server starting on seeded data does not migrate it (server/persistence/migrations.ts).
 */
export async function markSchemaCurrent(db: Db): Promise<void> {
  await db.collection<{ _id: string; version: number }>('schemaMeta').updateOne({ _id: 'schema' }, { $set: { version: SCHEMA_VERSION } }, { upsert: true });
}

export interface SeededMessages {
  /** Ids of the messages inserted by this call, oldest first (ascending). */
  ids: ObjectId[];
  /** The room's highest seq after this call. */
  lastSeq: number;
  perSecond: number;
}

/**
 * `count` more messages in one room, oldest first, continuing after the room's
 * `afterSeq` (0 for an empty room): seq afterSeq+1 .. afterSeq+count, then the room's
 * head moved to the newest, exactly as the server's send path leaves them
 * (persistence/messages.ts, persistence/roomHeads.ts). A server holding this room's
 * tail or seq counter in memory must be restarted after seeding more.
 */
export async function seedMessages(
  db: Db,
  room: SeededRoom,
  author: SeededUser,
  count: number,
  options: { afterSeq?: number; onProgress?: (done: number, perSecond: number) => void } = {},
): Promise<SeededMessages> {
  await markSchemaCurrent(db);
  const afterSeq = options.afterSeq ?? 0;
  const ids: ObjectId[] = [];
  const text = 'x'.repeat(200);
  const roomId = new ObjectId(room.roomId);
  const authorId = new ObjectId(author.userId);
  const started = performance.now();
  // Message `seq` was sent at second SEED_EPOCH + seq: ids and createdAt ascend with seq
  // in every room, also when a room is grown by a later call, as live sends would be.
  let last: object | undefined;
  for (let i = 0; i < count; i += BATCH) {
    const docs = [];
    for (let k = i; k < Math.min(count, i + BATCH); k++) {
      const seq = afterSeq + k + 1;
      // createFromTime zeroes the rest of the id; make each unique and still ordered.
      const second = SEED_EPOCH + seq;
      const hex = ObjectId.createFromTime(second).toHexString().slice(0, 8) + randomBytes(4).toString('hex') + seq.toString(16).padStart(8, '0');
      const id = new ObjectId(hex);
      ids.push(id);
      last = {
        _id: id,
        roomId,
        seq,
        authorId,
        authorUsername: author.username,
        text,
        clientId: `seed-${room.roomId}-${seq}`,
        createdAt: new Date(second * 1000),
      };
      docs.push(last);
    }
    await db.collection('messages').insertMany(docs, { ordered: false });
    const done = Math.min(count, i + BATCH);
    if (options.onProgress && (done % 10_000 === 0 || done === count)) options.onProgress(done, done / ((performance.now() - started) / 1000));
  }
  const lastSeq = afterSeq + count;
  if (last) await db.collection<{ _id: ObjectId }>('roomHeads').updateOne({ _id: roomId }, { $set: { lastSeq, lastMessage: last } }, { upsert: true });
  return { ids, lastSeq, perSecond: count / ((performance.now() - started) / 1000) };
}

/** The user has read each room up to `lastReadSeq` (persistence/readMarkers.ts's shape; replaces an older marker). */
export async function seedReadMarkers(db: Db, user: SeededUser, marks: Array<{ roomId: string; lastReadSeq: number }>): Promise<void> {
  const userId = new ObjectId(user.userId);
  await db.collection<{ _id: string }>('readMarkers').bulkWrite(
    marks.map((m) => ({
      updateOne: {
        filter: { _id: `${m.roomId}:${user.userId}` },
        update: { $set: { roomId: new ObjectId(m.roomId), userId, lastReadSeq: m.lastReadSeq } },
        upsert: true,
      },
    })),
    { ordered: false },
  );
}
