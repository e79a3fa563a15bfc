// Seeds the room of scenario 7 through the real REST API: two users, one room, N messages
// in parallel batches. Every text starts with a marker "[m00042]" (its place in the room,
// from 1) so the page can recognise a message after the list has re-rendered; lengths
// vary (one line to a long paragraph, some with a second line and a link) so rows differ
// in height as they do in a real room. Authors change in runs of 1–4 messages, so grouped
// (compact) and full rows both occur.
//
// Users and the room go through the REST API. The messages go straight into the
// database's messages collection, in the document shape server/persistence/messages.ts
// writes (seq 1..N, ObjectId order = creation order, createdAt spread over the last 14
// days so day separators appear), with the room's head, when the database is known:
// tests/e2e/stack.ts logs its URI, and its fresh database is the only e2e_* one on that
// server. Otherwise (or with RENDERER_BENCH_SEED=api) they are sent through the API in
// parallel batches, which on FerretDB runs at only ~100 messages/s.
import { MongoClient, ObjectId } from 'mongodb';
import { ParleyApi, type ApiUser } from '../../tests/support/apiClient.js';
import type { AuthResponse, RoomSummary } from '../../src/shared/contract.js';

type TestUser = ApiUser;

const WORDS =
  'the build went out this morning and the desktop client picked it up on restart while the web client reloaded itself ' +
  'we still need to look at the room list ordering and the unread badge after a reconnect but nothing is blocking ' +
  'review notes are in the shared folder please add yours before the stand-up so we can close the milestone today';
const words = WORDS.split(' ');

export interface SeededRoom {
  viewer: TestUser;
  viewerAuth: AuthResponse;
  other: TestUser;
  room: RoomSummary;
  count: number;
  seedMs: number;
}

/** Deterministic pseudo-random numbers (so every run seeds the same texts). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function messageText(i: number, rand: () => number): string {
  const marker = `[m${String(i).padStart(6, '0')}]`;
  const r = rand();
  const length = r < 0.55 ? 4 + Math.floor(rand() * 10) : r < 0.9 ? 15 + Math.floor(rand() * 30) : 50 + Math.floor(rand() * 60);
  const start = Math.floor(rand() * words.length);
  const body: string[] = [];
  for (let k = 0; k < length; k++) body.push(words[(start + k) % words.length]!);
  let text = `${marker} ${body.join(' ')}`;
  if (rand() < 0.08) text += `\nsee https://example.test/notes/${i}`;
  return text;
}

export async function seedRoom(apiUrl: string, count: number, log: (m: string) => void, databaseUri: string | null, parallel = 48): Promise<SeededRoom> {
  const api = new ParleyApi(apiUrl);
  const t0 = performance.now();
  const viewer = await api.registerAs({ username: `bench_${Date.now().toString(36)}`, password: 'bench-only-password' });
  const viewerAuth = viewer.auth;
  const other = await api.register('benchpeer');
  const room = await api.createRoom(viewer, 'bench-10k');
  await api.addMember(viewer, room.id, other.username);

  const rand = rng(7);
  const plan: Array<{ author: TestUser; text: string }> = [];
  let author = viewer;
  let run = 0;
  for (let i = 1; i <= count; i++) {
    if (run <= 0) {
      author = author === viewer ? other : viewer;
      run = 1 + Math.floor(rand() * 4);
    }
    run--;
    plan.push({ author, text: messageText(i, rand) });
  }
  let how = 'the REST API';
  if (databaseUri && process.env.RENDERER_BENCH_SEED !== 'api') {
    await insertDirectly(databaseUri, room.id, plan);
    how = 'the messages collection';
  } else {
    // Batches in order: createdAt/ids follow batch order (within a batch they may interleave,
    // which only reorders neighbouring markers and changes nothing measured here).
    for (let i = 0; i < plan.length; i += parallel) {
      await Promise.all(plan.slice(i, i + parallel).map((p) => api.send(p.author, room.id, p.text)));
      if ((i / parallel) % 50 === 0 && i > 0) log(`renderer: seeded ${i} / ${count} messages`);
    }
  }
  // The viewer has read the room, as a returning user has: it opens at its newest messages
  // (a room with unread messages opens at the first of them instead).
  await api.request('POST /rooms/:roomId/read', { token: viewer.token, params: { roomId: room.id }, body: { seq: count } });
  const seedMs = performance.now() - t0;
  log(`renderer: seeded ${count} messages through ${how} in ${(seedMs / 1000).toFixed(1)} s`);
  return { viewer, viewerAuth, other, room, count, seedMs };
}

async function insertDirectly(uri: string, roomId: string, plan: Array<{ author: TestUser; text: string }>): Promise<void> {
  const client = new MongoClient(uri);
  try {
    await client.connect();
    const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
    const names = databases.map((d) => d.name).filter((n) => n.startsWith('e2e_'));
    if (names.length !== 1) throw new Error(`expected one e2e_* database on ${uri}, found ${JSON.stringify(names)}`);
    const db = client.db(names[0]);
    const end = Math.floor(Date.now() / 1000) - 60;
    const span = 14 * 86_400;
    const docs = plan.map((p, i) => {
      const seconds = end - Math.round(span * (1 - i / plan.length));
      // ObjectId: 4 bytes of time, then a per-run counter, so ids sort in creation order.
      const id = new ObjectId(seconds.toString(16).padStart(8, '0') + 'be0c' + i.toString(16).padStart(12, '0'));
      return {
        _id: id,
        roomId: new ObjectId(roomId),
        seq: i + 1,
        authorId: new ObjectId(p.author.id),
        authorUsername: p.author.username,
        text: p.text,
        clientId: `bench-${i}`,
        createdAt: new Date(seconds * 1000),
      };
    });
    for (let i = 0; i < docs.length; i += 1000) await db.collection('messages').insertMany(docs.slice(i, i + 1000), { ordered: true });
    // The room's head, as the send path leaves it: the room list reads it (persistence/roomHeads.ts).
    const last = docs.at(-1);
    if (last)
      await db.collection<{ _id: ObjectId }>('roomHeads').updateOne({ _id: last.roomId }, { $set: { lastSeq: last.seq, lastMessage: last } }, { upsert: true });
    const stored = await db.collection('messages').countDocuments({ roomId: new ObjectId(roomId) });
    if (stored !== plan.length) throw new Error(`inserted ${plan.length} messages but the room holds ${stored}`);
  } finally {
    await client.close();
  }
}
