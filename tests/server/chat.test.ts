// Chat over real Socket.IO clients: delivery to members only, the message shape and
// limits, idempotent sends, immutability, and history paging over a 2,500-message room.
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type Ack, type HistoryPage, type Message, type RoomEnterAnswer } from '../../src/shared/contract.js';
import { ask, collect, nextEvent } from '../support/events.js';
import { startTestServer, type ApiResult, type ClientSocket, type TestServer } from '../support/server.js';

type User = Awaited<ReturnType<TestServer['register']>>;
type SendAck = Ack<{ message: Message }>;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

// ---------- helpers ----------
/** How long a "nothing more arrives" check waits, always after an event that proves ordering. */
const QUIET_MS = 300;
const quietWindow = () => new Promise((resolve) => setTimeout(resolve, QUIET_MS));

let clientIds = 0;
const nextClientId = () => `cid-${Date.now().toString(36)}-${clientIds++}`;

function send(socket: ClientSocket, roomId: string, text: string, clientId = nextClientId()): Promise<SendAck> {
  return ask<SendAck>(socket, 'message:send', { roomId, clientId, text });
}

async function sent(socket: ClientSocket, roomId: string, text: string, clientId?: string): Promise<Message> {
  const ack = await send(socket, roomId, text, clientId);
  if (!ack.ok) throw new Error(`send failed: ${JSON.stringify(ack.error)}`);
  return ack.message;
}

/**
 * Sends, and waits until `observer` has the message:new for it. The wait is armed before
 * sending because the push can arrive before the sender's ack does.
 */
async function sendAndSee(sender: ClientSocket, observer: ClientSocket, roomId: string, text: string, clientId = nextClientId()): Promise<Message> {
  const seen = nextEvent(observer, 'message:new', (e) => e.message.roomId === roomId && e.message.clientId === clientId);
  const message = await sent(sender, roomId, text, clientId);
  expect((await seen).message).toEqual(message);
  return message;
}

async function history(user: User, roomId: string, query = ''): Promise<ApiResult<HistoryPage>> {
  return server.request('GET', `/rooms/${roomId}/messages${query}`, { token: user.token });
}

async function page(user: User, roomId: string, query = ''): Promise<HistoryPage> {
  const res = await history(user, roomId, query);
  expect(res.status).toBe(200);
  return res.body;
}

const messages = () => server.database.db.collection('messages');

// ---------- delivery ----------
describe('message:new delivery', () => {
  let ann: User, bob: User, cat: User, dan: User;
  let roomId: string;
  let danRoomId: string;
  let a: ClientSocket, b: ClientSocket, c: ClientSocket, d: ClientSocket;

  beforeAll(async () => {
    [ann, bob, cat, dan] = await Promise.all([server.register('ann'), server.register('bob'), server.register('cat'), server.register('dan')]);
    roomId = await server.createRoom(ann, 'Three', bob, cat);
    danRoomId = await server.createRoom(dan, 'Dan alone');
    [a, b, c, d] = await Promise.all([server.socket(ann.token), server.socket(bob.token), server.socket(cat.token), server.socket(dan.token)]);
  });

  it('reaches every member (the sender too, on every socket) and no one else', async () => {
    const outsider = collect(d, 'message:new');
    const clientId = nextClientId();
    // The push may reach the sender before the ack does, so match on the clientId.
    const received = Promise.all([a, b, c].map((s) => nextEvent(s, 'message:new', (e) => e.message.clientId === clientId)));
    const ack = await send(b, roomId, 'hello all', clientId);
    if (!ack.ok) throw new Error(JSON.stringify(ack.error));
    for (const event of await received) expect(event.message).toEqual(ack.message);

    // Ordering proof for the outsider: a later message in dan's own room reaches him,
    // and nothing of the first room came before it.
    const own = await sendAndSee(d, d, danRoomId, 'just me');
    await quietWindow();
    outsider.stop();
    expect(outsider.items.map((e) => e.message.id)).toEqual([own.id]);
  });

  it('has the contract shape: ids, author, trimmed text, ISO createdAt, clientId', async () => {
    const before = Date.now();
    const ack = await send(a, roomId, '  \n spaced out \t ', 'shape-1');
    expect(ack.ok).toBe(true);
    if (!ack.ok) return;
    expect(ack.message).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      roomId,
      authorId: ann.user.id,
      authorUsername: ann.user.username,
      text: 'spaced out',
      clientId: 'shape-1',
      seq: expect.any(Number),
      createdAt: expect.any(String),
    });
    expect(Number.isInteger(ack.message.seq) && ack.message.seq >= 1).toBe(true);
    const created = new Date(ack.message.createdAt);
    expect(created.toISOString()).toBe(ack.message.createdAt);
    expect(created.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(created.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    // History answers the same object.
    const latest = await page(bob, roomId);
    expect(latest.messages.at(-1)).toEqual(ack.message);
  });

  it('accepts 1 to 4000 characters after trimming and refuses the rest, over the socket and HTTP', async () => {
    const max = 'y'.repeat(LIMITS.messageMax);
    const ok = await sent(a, roomId, `  ${max}  `);
    expect(ok.text).toBe(max);
    expect((await sent(a, roomId, '!')).text).toBe('!');

    const countBefore = await messages().countDocuments({ roomId: new ObjectId(roomId) });
    for (const text of ['', '   ', '\n\t ', 'z'.repeat(LIMITS.messageMax + 1)]) {
      const ack = await send(a, roomId, text);
      expect(ack.ok).toBe(false);
      if (ack.ok) continue;
      expect(ack.error.code).toBe('validation_failed');
      expect(ack.error.fields).toHaveProperty('text');
      const res = await server.request('POST', `/rooms/${roomId}/messages`, { token: ann.token, body: { clientId: nextClientId(), text } });
      expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'validation_failed' });
    }
    // A non-string, a missing clientId and a bad clientId are refused too.
    for (const payload of [
      { roomId, clientId: nextClientId(), text: 42 },
      { roomId, text: 'x' },
      { roomId, clientId: 'has space', text: 'x' },
    ]) {
      const ack = await ask<SendAck>(a, 'message:send', payload);
      expect(ack.ok ? 'ok' : ack.error.code).toBe('validation_failed');
    }
    expect(await messages().countDocuments({ roomId: new ObjectId(roomId) })).toBe(countBefore);
  });

  it('refuses a non-member with room_not_found and stores nothing', async () => {
    const countBefore = await messages().countDocuments({ roomId: new ObjectId(roomId) });
    const ack = await send(d, roomId, 'let me in');
    expect(ack.ok ? 'ok' : ack.error.code).toBe('room_not_found');
    const missing = await send(d, new ObjectId().toHexString(), 'anyone?');
    expect(missing.ok ? 'ok' : missing.error).toEqual(ack.ok ? 'ok' : ack.error);
    expect(await messages().countDocuments({ roomId: new ObjectId(roomId) })).toBe(countBefore);
  });

  it('delivers concurrent sends from several members to everyone, each exactly once, in history order', async () => {
    const seen = collect(c, 'message:new');
    const acks = await Promise.all([a, b, c].flatMap((s, who) => Array.from({ length: 10 }, (_, i) => sent(s, roomId, `burst ${who}.${i}`))));
    const ids = new Set(acks.map((m) => m.id));
    expect(ids.size).toBe(30);
    const marker = await sendAndSee(a, c, roomId, 'after the burst');
    seen.stop();
    const burst = seen.items.map((e) => e.message.id).filter((id) => ids.has(id));
    expect(burst.sort()).toEqual([...ids].sort());

    // Stored with consecutive seqs just before the marker, each once, in the order of the acks' seqs.
    const stored = await page(cat, roomId, `?before=${marker.seq}&limit=30`);
    expect(stored.messages.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => marker.seq - 30 + i));
    expect(stored.messages.map((m) => m.id).sort()).toEqual([...ids].sort());
    expect(stored.messages).toEqual([...acks].sort((x, y) => x.seq - y.seq));
  });
});

// ---------- idempotency ----------
describe('idempotent send (clientId)', () => {
  let ann: User, bob: User;
  let roomId: string;
  let a: ClientSocket, b: ClientSocket;

  beforeAll(async () => {
    [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    roomId = await server.createRoom(ann, 'Retries', bob);
    [a, b] = await Promise.all([server.socket(ann.token), server.socket(bob.token)]);
  });

  const storedWith = (clientId: string) => messages().countDocuments({ authorId: new ObjectId(ann.user.id), clientId });

  /** Sends a marker after everything else and returns bob's message:new ids up to it. */
  async function bobsDeliveriesUntilMarker(received: ReturnType<typeof collect<'message:new'>>): Promise<string[]> {
    const marker = await sendAndSee(a, b, roomId, 'marker');
    await quietWindow();
    received.stop();
    return received.items.map((e) => e.message.id).filter((id) => id !== marker.id);
  }

  it('a retry with the same clientId answers the same message, stored and delivered once', async () => {
    const received = collect(b, 'message:new');
    const first = await sendAndSee(a, b, roomId, 'only once', 'retry-1');
    const again = await sent(a, roomId, 'only once', 'retry-1');
    expect(again).toEqual(first);
    // Even with a different text: the clientId names the message, which never changes.
    const changed = await sent(a, roomId, 'something else', 'retry-1');
    expect(changed).toEqual(first);

    expect(await storedWith('retry-1')).toBe(1);
    expect(await bobsDeliveriesUntilMarker(received)).toEqual([first.id]);
  });

  it('the same clientId sent twice at the same instant (socket and HTTP) is stored and delivered once', async () => {
    const received = collect(b, 'message:new');
    const rounds = Array.from({ length: 5 }, (_, i) => `twice-${i}`);
    const results = await Promise.all(
      rounds.map(async (clientId, i) => {
        const http =
          i % 2 === 0
            ? sent(a, roomId, `twice ${i}`, clientId)
            : server.request('POST', `/rooms/${roomId}/messages`, { token: ann.token, body: { clientId, text: `twice ${i}` } }).then((r) => {
                expect(r.status).toBe(201);
                return r.body.message as Message;
              });
        const [x, y] = await Promise.all([sent(a, roomId, `twice ${i}`, clientId), http]);
        return { clientId, x, y };
      }),
    );
    for (const { clientId, x, y } of results) {
      expect(y).toEqual(x);
      expect(await storedWith(clientId)).toBe(1);
    }
    const delivered = await bobsDeliveriesUntilMarker(received);
    expect(delivered.sort()).toEqual(results.map((r) => r.x.id).sort());
  });

  it('is scoped to the author: the same clientId from two people is two messages', async () => {
    const x = await sent(a, roomId, 'from ann', 'shared-cid');
    const y = await sent(b, roomId, 'from bob', 'shared-cid');
    expect(y.id).not.toBe(x.id);
    expect([x.authorId, y.authorId]).toEqual([ann.user.id, bob.user.id]);
  });

  it('refuses reusing a clientId in another room with 409 client_id_reused', async () => {
    const otherRoom = await server.createRoom(ann, 'Elsewhere');
    await sent(a, roomId, 'here', 'moved-cid');
    const ack = await send(a, otherRoom, 'there', 'moved-cid');
    expect(ack.ok ? 'ok' : ack.error.code).toBe('client_id_reused');
    expect(await messages().countDocuments({ roomId: new ObjectId(otherRoom) })).toBe(0);
  });
});

// ---------- immutability ----------
describe('messages are immutable', () => {
  it('has no HTTP route to edit or delete a message (JSON 404/405)', async () => {
    const [ann] = await Promise.all([server.register('ann')]);
    const roomId = await server.createRoom(ann, 'Immutable');
    const a = await server.socket(ann.token);
    const message = await sent(a, roomId, 'carved in stone');

    const onMessage = [
      ['PATCH', `/rooms/${roomId}/messages/${message.id}`],
      ['PUT', `/rooms/${roomId}/messages/${message.id}`],
      ['DELETE', `/rooms/${roomId}/messages/${message.id}`],
      ['GET', `/rooms/${roomId}/messages/${message.id}`],
    ] as const;
    for (const [method, path] of onMessage) {
      const res = await server.request(method, path, { token: ann.token, body: method === 'GET' || method === 'DELETE' ? undefined : { text: 'edited' } });
      expect({ route: `${method} ${path}`, status: res.status, code: res.body?.error?.code }).toEqual({
        route: `${method} ${path}`,
        status: 404,
        code: 'not_found',
      });
    }
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      const res = await server.request(method, `/rooms/${roomId}/messages`, { token: ann.token, body: method === 'DELETE' ? undefined : { text: 'edited' } });
      expect({ method, status: res.status, code: res.body?.error?.code }).toEqual({ method, status: 405, code: 'method_not_allowed' });
    }
    expect(await page(ann, roomId)).toEqual({ messages: [message], hasMore: false, hasOlder: false, hasNewer: false });
  });

  it('ignores unknown socket events such as message:edit and message:delete', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const roomId = await server.createRoom(ann, 'Unknown events', bob);
    const [a, b] = await Promise.all([server.socket(ann.token), server.socket(bob.token)]);
    const message = await sent(a, roomId, 'original');
    const stored = await messages().findOne({ _id: new ObjectId(message.id) });
    const bobsEvents: string[] = [];
    b.onAny((event: string) => bobsEvents.push(event));

    // Events the contract does not have; emitted untyped, as a modified client could.
    const raw = a as unknown as { emit(event: string, payload: unknown): void };
    raw.emit('message:edit', { roomId, messageId: message.id, text: 'edited' });
    raw.emit('message:delete', { roomId, messageId: message.id });
    raw.emit('message:update', { roomId, id: message.id, text: 'edited' });
    // The socket is still served, in order: a later event is answered after them.
    const marker = await sendAndSee(a, b, roomId, 'still here');
    await quietWindow();

    expect(a.connected).toBe(true);
    expect(bobsEvents).toEqual(['message:new']); // the marker only
    expect(await messages().findOne({ _id: new ObjectId(message.id) })).toEqual(stored);
    expect((await page(bob, roomId)).messages).toEqual([message, marker]);
  });
});

// ---------- history ----------
describe('history', () => {
  const TOTAL = 2500;
  let ann: User, bob: User, eve: User;
  let roomId: string;
  /** The seeded messages, oldest first, as the API presents them. */
  let seeded: Message[];
  let otherRoomId: string;

  beforeAll(async () => {
    [ann, bob, eve] = await Promise.all([server.register('ann'), server.register('bob'), server.register('eve')]);
    roomId = await server.createRoom(ann, 'Long history', bob);
    // Noise in another room, interleaved in time with the start, must never show up here.
    const otherRoom = await server.createRoom(ann, 'Noise', bob);
    otherRoomId = otherRoom;
    const NOISE = 300;

    // Seeded directly, with the document shape server/persistence/messages.ts writes.
    // Ids from explicit, increasing timestamps (one second apart, in the past) are
    // strictly ordered, like ids the server generates one after another.
    const start = Math.floor(Date.now() / 1000) - 2 * TOTAL;
    const authors = [ann, bob];
    const docs = [];
    for (let i = 0; i < TOTAL; i++) {
      const author = authors[i % 2]!;
      for (const [rid, label] of i < NOISE
        ? ([
            [roomId, 'seed'],
            [otherRoom, 'noise'],
          ] as const)
        : ([[roomId, 'seed']] as const)) {
        docs.push({
          _id: ObjectId.createFromTime(start + 2 * i + (label === 'noise' ? 1 : 0)),
          roomId: new ObjectId(rid),
          seq: i + 1,
          authorId: new ObjectId(author.user.id),
          authorUsername: author.user.username,
          text: `${label} ${i}`,
          clientId: `${label}-${i}`,
          createdAt: new Date((start + 2 * i) * 1000),
        });
      }
    }
    for (let i = 0; i < docs.length; i += 1000) await messages().insertMany(docs.slice(i, i + 1000));
    seeded = docs
      .filter((d) => d.roomId.toHexString() === roomId)
      .map((d) => ({
        id: d._id.toHexString(),
        roomId,
        authorId: d.authorId.toHexString(),
        authorUsername: d.authorUsername,
        text: d.text,
        clientId: d.clientId,
        seq: d.seq,
        createdAt: d.createdAt.toISOString(),
      }));
  });

  const texts = (ms: Message[]) => ms.map((m) => m.text);
  const seedTexts = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `seed ${from + i}`);

  it('pages back with ?before= from the newest page to the first message: each message once, in order', async () => {
    const newest = await page(bob, roomId);
    expect(newest.messages).toEqual(seeded.slice(-LIMITS.historyDefault)); // default limit 50
    expect(newest.hasMore).toBe(true);

    const pages: HistoryPage[] = [newest];
    let cursor = newest.messages[0]!.seq;
    for (;;) {
      const older = await page(bob, roomId, `?before=${cursor}&limit=${LIMITS.historyMax}`);
      pages.unshift(older);
      if (!older.hasMore) break;
      expect(older.messages).toHaveLength(LIMITS.historyMax);
      cursor = older.messages[0]!.seq;
      expect(pages.length).toBeLessThan(100); // guard against a cursor that does not move
    }
    for (const p of pages) {
      const seqs = p.messages.map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b)); // oldest to newest within a page
    }
    // hasMore (and hasOlder) is false only on the page that reaches the start.
    expect(pages.map((p) => p.hasMore)).toEqual(pages.map((_, i) => i !== 0));
    expect(pages.map((p) => p.hasOlder)).toEqual(pages.map((_, i) => i !== 0));
    expect(pages.map((p) => p.hasNewer)).toEqual(pages.map((_, i) => i !== pages.length - 1));
    expect(pages.flatMap((p) => p.messages)).toEqual(seeded);
  });

  it('uses 50 by default with a cursor, allows up to 200, and refuses 201 and other bad queries with 400', async () => {
    const cursor = seeded[1000]!.seq;
    expect(texts((await page(bob, roomId, `?before=${cursor}`)).messages)).toEqual(seedTexts(950, 1000));
    expect(texts((await page(bob, roomId, `?after=${cursor}`)).messages)).toEqual(seedTexts(1001, 1051));
    expect((await page(bob, roomId, '?limit=200')).messages).toEqual(seeded.slice(-200));
    expect((await page(bob, roomId, '?limit=1')).messages).toEqual(seeded.slice(-1));

    for (const query of [
      '?limit=201',
      '?limit=0',
      '?limit=-1',
      '?limit=1.5',
      '?limit=many',
      `?before=${cursor}&after=${cursor}`,
      `?before=${cursor}&around=${seeded[0]!.id}`,
      '?before=start',
      '?before=0',
      '?before=1e3',
      '?before=0x10',
      `?before=${seeded[0]!.id}`,
      '?after=end',
      '?after=-1',
      '?around=1',
    ]) {
      const res = await history(bob, roomId, query);
      expect({ query, status: res.status, code: (res.body as unknown as { error: { code: string } }).error?.code }).toEqual({
        query,
        status: 400,
        code: 'validation_failed',
      });
    }
    const res = await history(bob, roomId, '?limit=201');
    expect((res.body as unknown as { error: { fields: Record<string, string> } }).error.fields).toHaveProperty('limit');
  });

  it('?after=start gives the first messages, and ?after= pages forward without gaps or repeats', async () => {
    const first = await page(bob, roomId, '?after=start');
    expect(first).toEqual({ messages: seeded.slice(0, 50), hasMore: true, hasOlder: false, hasNewer: true });

    // Forward from the start for a few pages (the end of the history is checked below).
    const all = [...first.messages];
    for (let i = 0; i < 3; i++) {
      const next = await page(bob, roomId, `?after=${all.at(-1)!.seq}&limit=200`);
      expect(next.hasMore).toBe(true);
      all.push(...next.messages);
    }
    expect(all).toEqual(seeded.slice(0, 650));
  });

  it('?after=<seq> returns exactly the messages after it; the edges report hasMore correctly', async () => {
    const seqOf = (i: number) => seeded[i]!.seq;
    expect(await page(bob, roomId, `?after=${seqOf(TOTAL - 51)}`)).toEqual({
      messages: seeded.slice(TOTAL - 50),
      hasMore: false,
      hasOlder: true,
      hasNewer: false,
    });
    expect(await page(bob, roomId, `?after=${seqOf(TOTAL - 52)}`)).toEqual({
      messages: seeded.slice(TOTAL - 51, TOTAL - 1),
      hasMore: true,
      hasOlder: true,
      hasNewer: true,
    });
    expect(await page(bob, roomId, `?after=${seqOf(TOTAL - 1)}`)).toEqual({ messages: [], hasMore: false, hasOlder: true, hasNewer: false });
    expect(await page(bob, roomId, `?before=${seqOf(200)}&limit=200`)).toEqual({
      messages: seeded.slice(0, 200),
      hasMore: false,
      hasOlder: false,
      hasNewer: true,
    });
    expect(await page(bob, roomId, `?before=${seqOf(0)}`)).toEqual({ messages: [], hasMore: false, hasOlder: false, hasNewer: true });
    expect(await page(bob, roomId, `?after=start&limit=200`)).toEqual({ messages: seeded.slice(0, 200), hasMore: true, hasOlder: false, hasNewer: true });
  });

  it('?around=<id> centres a page on the message, near the start, the middle and the end', async () => {
    const around = (i: number, limit = 50) => page(bob, roomId, `?around=${seeded[i]!.id}&limit=${limit}`);
    // 24 older, the message, 25 newer.
    expect(await around(1000)).toEqual({ messages: seeded.slice(976, 1026), hasMore: true, hasOlder: true, hasNewer: true });
    expect(await around(3, 11)).toEqual({ messages: seeded.slice(0, 9), hasMore: false, hasOlder: false, hasNewer: true });
    expect(await around(TOTAL - 2, 11)).toEqual({ messages: seeded.slice(TOTAL - 7), hasMore: true, hasOlder: true, hasNewer: false });
    expect(await around(TOTAL - 1, 1)).toEqual({ messages: seeded.slice(TOTAL - 1), hasMore: true, hasOlder: true, hasNewer: false });
    // A message of another room is not found here (cursors never cross rooms).
    const noise = (await messages().findOne({ roomId: new ObjectId(otherRoomId) }))!;
    const res = await history(bob, roomId, `?around=${noise._id.toHexString()}`);
    expect([res.status, (res.body as unknown as { error: { code: string } }).error.code]).toEqual([404, 'not_found']);
  });

  it('room:enter answers ok with the viewers, the latest page and hasMore', async () => {
    const b = await server.socket(bob.token);
    const answer = await ask<Ack<RoomEnterAnswer>>(b, 'room:enter', { roomId });
    expect(answer).toEqual({
      ok: true,
      viewers: [{ userId: bob.user.id, username: bob.user.username }],
      messages: seeded.slice(-LIMITS.historyDefault),
      hasMore: true,
      hasOlder: true,
      hasNewer: false,
    });
    b.disconnect();
  });

  it('is 404 room_not_found for a non-member, whatever the query', async () => {
    for (const query of ['', '?after=start', `?before=${seeded[10]!.seq}`, `?after=${seeded[10]!.seq}&limit=200`, `?around=${seeded[10]!.id}`]) {
      const res = await history(eve, roomId, query);
      expect({ status: res.status, code: (res.body as unknown as { error: { code: string } }).error.code }).toEqual({ status: 404, code: 'room_not_found' });
    }
  });
});

// ---------- catch-up ----------
describe('catch-up after a reconnect', () => {
  it('?after=<last seen seq> returns exactly what was missed: no gap, no duplicate', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const roomId = await server.createRoom(ann, 'Flaky network', bob);
    const a = await server.socket(ann.token);
    const b1 = await server.socket(bob.token);

    const seen = collect(b1, 'message:new');
    const before: Message[] = [];
    for (let i = 0; i < 3; i++) {
      before.push(await sendAndSee(a, b1, roomId, `before ${i}`));
    }
    seen.stop();
    expect(seen.items.map((e) => e.message)).toEqual(before);
    const lastSeen = seen.items.at(-1)!.message.seq;

    const gone = new Promise<void>((resolve) => b1.once('disconnect', () => resolve()));
    b1.disconnect();
    await gone;

    const missed: Message[] = [];
    for (let i = 0; i < 5; i++) missed.push(await sent(a, roomId, `while away ${i}`));

    const b2 = await server.socket(bob.token);
    const live = collect(b2, 'message:new');
    const afterReconnect = await sendAndSee(a, b2, roomId, 'after reconnect');

    const catchUp = await page(bob, roomId, `?after=${lastSeen}`);
    expect(catchUp).toEqual({ messages: [...missed, afterReconnect], hasMore: false, hasOlder: true, hasNewer: false });

    // What the client shows: seen + caught up + live, merged by id.
    const merged = new Map<string, Message>();
    for (const m of [...before, ...catchUp.messages, ...live.items.map((e) => e.message)]) merged.set(m.id, m);
    expect([...merged.values()].sort((x, y) => x.seq - y.seq)).toEqual([...before, ...missed, afterReconnect]);
    live.stop();
  });
});
