// Seeds users, sessions and rooms straight into the database, in the exact shapes the
// repositories write (server/persistence/*.ts). Registering through the API would
// hash a password per user with argon2 (slow by design) and add nothing to measure.
import { createHash, randomBytes } from 'node:crypto';
import { ObjectId, type Db } from 'mongodb';

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
  const now = new Date();
  const rooms: SeededRoom[] = [];
  const docs: object[] = [];
  for (let start = 0; start + roomSize <= users.length; start += roomSize) {
    const _id = new ObjectId();
    const members = Array.from({ length: roomSize }, (_, k) => start + k);
    rooms.push({ roomId: _id.toHexString(), members });
    docs.push({
      _id,
      name: `bench room ${rooms.length}`,
      members: members.map((m, k) => ({ userId: new ObjectId(users[m]!.userId), username: users[m]!.username, role: k === 0 ? 'admin' : 'member', joinedAt: now })),
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
  }
  await insertInBatches(db, 'rooms', docs);
  return rooms;
}

/** `count` messages in one room, oldest first; returns their ids (ascending) and the insert rate. */
export async function seedMessages(
  db: Db,
  room: SeededRoom,
  author: SeededUser,
  count: number,
  onProgress?: (done: number, perSecond: number) => void,
): Promise<{ ids: ObjectId[]; perSecond: number }> {
  const ids: ObjectId[] = [];
  const text = 'x'.repeat(200);
  const roomId = new ObjectId(room.roomId);
  const authorId = new ObjectId(author.userId);
  const started = performance.now();
  // ObjectIds made in one second share their timestamp and ascend by counter, so the
  // ids are in insertion order, as live sends would be.
  const base = Math.floor(Date.now() / 1000) - count;
  for (let i = 0; i < count; i += BATCH) {
    const docs = [];
    for (let k = i; k < Math.min(count, i + BATCH); k++) {
      const _id = ObjectId.createFromTime(base + k);
      // createFromTime zeroes the rest of the id; make each unique and still ordered.
      const hex = _id.toHexString().slice(0, 8) + randomBytes(4).toString('hex') + k.toString(16).padStart(8, '0');
      const id = new ObjectId(hex);
      ids.push(id);
      docs.push({ _id: id, roomId, authorId, authorUsername: author.username, text, clientId: `seed-${room.roomId}-${k}`, createdAt: new Date((base + k) * 1000) });
    }
    await db.collection('messages').insertMany(docs, { ordered: false });
    const done = Math.min(count, i + BATCH);
    if (onProgress && (done % 10_000 === 0 || done === count)) onProgress(done, done / ((performance.now() - started) / 1000));
  }
  return { ids, perSecond: count / ((performance.now() - started) / 1000) };
}
