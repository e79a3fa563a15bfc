// Scenario 3: data growth. What a user does all day -- load the room list, enter a
// room, scroll to an older page, jump to the first message -- with 300 messages in 30
// rooms (10 each) and with 300,000 (one room of 100k, the other 29 sharing 200k), for
// one user who belongs to all 30 rooms and has a read marker in each. Each size is its
// own database, seeded straight in the server's own shapes (messages with seq, room
// heads, read markers, schema version: lib/seed.ts), with its own server process; the
// cheap requests alternate between the two servers, so a busy machine slows both alike.
// Entering (`room:enter`, timed to its ack) is measured cold, the first enter after the
// process started (the room tail is empty and is filled from the database), and warm
// (the tail is held), with the tail in process memory (no REDIS_URL) and then in Redis.
// Every measured request's database commands are counted from the database's counters.
import { Redis } from 'ioredis';
import { ObjectId, type Db } from 'mongodb';
import type { Ack, HistoryPage, RoomEnterAnswer, RoomsResponse } from '../../src/shared/contract.js';
import { TAIL_SIZE } from '../../server/cache/roomTail.js';
import { parleySocket, type ParleyClientSocket } from '../lib/clients.js';
import type { BackendScenario, BenchContext } from '../lib/context.js';
import { ParleyApi } from '../../tests/support/apiClient.js';
import { countCommands } from '../lib/dbCommands.js';
import { startParley, type ServerProcess } from '../lib/procs.js';
import { row, type ScenarioResult } from '../lib/result.js';
import { seedMessages, seedReadMarkers, seedRoomsOf, seedUsers, type SeededRoom, type SeededUser } from '../lib/seed.js';
import { median, round, sleep } from '../lib/stats.js';

const NAME = '3. data growth';
const ROOMS = 30;
const SIZES = [300, 300_000];
/** At the larger size one room holds a third of all messages (100k of 300k). */
const BIG_ROOM_SHARE = 1 / 3;
/** Issue 8: Dendrite (SQLite) on this machine at 30k messages in 30 rooms. */
const DENDRITE_MS = { roomList: 37, enter: 19, olderPage: 16 };
/** Repetitions of the cheap requests (the median is reported), alternating between the sizes. */
const REPS = 15;
/** Warm enters take well under a millisecond: more samples. */
const WARM_REPS = 40;
/** Requests per database-command count (the counts do not vary). */
const COUNTED = 5;
const PAGE = 50;

/** Messages per room for `total`: even for small totals, else one big room and the rest shared. */
export function roomSizes(total: number): number[] {
  const spread = (n: number, rooms: number) => Array.from({ length: rooms }, (_, r) => Math.floor(n / rooms) + (r < n % rooms ? 1 : 0));
  if (total <= ROOMS * 1000) return spread(total, ROOMS);
  const big = Math.round(total * BIG_ROOM_SHARE);
  return [big, ...spread(total - big, ROOMS - 1)];
}

/** Messages the reader has not read in room r: none in the big room, a few elsewhere, and past the display cap in every sixth. */
const unreadIn = (r: number, size: number) => Math.min(size, r % 6 === 5 ? 2_000 : r % 6);

interface Reader {
  server: ServerProcess;
  socket: ParleyClientSocket;
  token: string;
}

async function getJson<T>(reader: Reader, path: string): Promise<{ ms: number; body: T }> {
  const { status, body, ms } = await new ParleyApi(reader.server.url).raw('GET', path, { token: reader.token });
  if (status !== 200) throw new Error(`GET ${path}: HTTP ${status} ${JSON.stringify(body).slice(0, 300)}`);
  return { ms, body: body as T };
}

/** Enters the room (timed to the ack, as the renderer waits for it) and leaves it again (not timed). */
async function enter(reader: Reader, roomId: string): Promise<{ ms: number; answer: RoomEnterAnswer }> {
  const t0 = performance.now();
  const ack: Ack<RoomEnterAnswer> = await reader.socket.timeout(180_000).emitWithAck('room:enter', { roomId });
  const ms = performance.now() - t0;
  if (!ack.ok) throw new Error(`room:enter: ${ack.error.code} ${ack.error.message}`);
  const left: Ack = await reader.socket.timeout(30_000).emitWithAck('room:leave', { roomId });
  if (!left.ok) throw new Error(`room:leave: ${left.error.code}`);
  return { ms, answer: ack };
}

async function connectReader(ctx: BenchContext, dbName: string, token: string, redisUrl?: string): Promise<Reader> {
  const server = await startParley({
    mongoUri: ctx.mongoUri,
    dbName,
    redisUrl,
    instanceId: redisUrl ? `bench-${dbName}-growth` : undefined,
    nodeFlags: ctx.serverNodeFlags,
  });
  const socket = parleySocket(server.url, token);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  // The server checks the session once more after the handshake; let that finish so it is not counted in the first enter.
  await sleep(250);
  return { server, socket, token };
}

async function closeReader(reader: Reader | undefined): Promise<void> {
  reader?.socket.disconnect();
  await reader?.server.stop();
}

async function times(reps: number, fn: () => Promise<{ ms: number }>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) samples.push((await fn()).ms);
  return samples;
}

/** One size's database, its reader and rooms, and the server being measured on it. */
interface World {
  total: number;
  dbName: string;
  db: Db;
  user: SeededUser;
  rooms: SeededRoom[];
  /** Messages per room (= the room's last seq). */
  held: number[];
  reader?: Reader | undefined;
}

/** Everything measured at one size; times in ms, commands per request. */
interface Measures {
  total: number;
  bigRoom: number;
  smallRoom: number;
  coldEnterBig: number;
  coldEnterSmall: number;
  coldEnterCommands: Record<string, number>;
  listFirstAfterStart: number;
  list: number[];
  listCommands: Record<string, number>;
  listCommandsPerRequest: number;
  warmEnterBig: number[];
  warmEnterSmall: number[];
  warmEnterCommandsPerRequest: number;
  /** Messages in the answer to entering the big room, and the first seq among them. */
  enterPageSize: number;
  firstShown: number;
  olderPage: number[];
  olderPageSize: number;
  olderPageCommandsPerRequest: number;
  beyondTail: number[] | null;
  beyondTailCommands: Record<string, number> | null;
  firstPage: number[];
  firstPageRequests: number;
  firstPageCommands: Record<string, number>;
  redis?: { coldEnterBig: number; warmEnterBig: number[]; warmEnterCommandsPerRequest: number } | undefined;
}

/** Seeds one database to `total` messages in ROOMS rooms, with the reader's markers. */
async function seedWorld(ctx: BenchContext, total: number): Promise<World> {
  const database = await ctx.newDatabase(`growth${total}`);
  const db = database.db;
  const [reader, peer] = await seedUsers(db, 2, 'growth');
  // The reader is in every room; the peer (the rooms' admin) wrote every message.
  const rooms = await seedRoomsOf(
    db,
    [reader!, peer!],
    Array.from({ length: ROOMS }, () => [1, 0]),
  );
  const sizes = roomSizes(total);
  const t0 = performance.now();
  for (let r = 0; r < ROOMS; r++) await seedMessages(db, rooms[r]!, peer!, sizes[r]!);
  await seedReadMarkers(
    db,
    reader!,
    rooms.map((room, r) => ({ roomId: room.roomId, lastReadSeq: sizes[r]! - unreadIn(r, sizes[r]!) })),
  );
  const seconds = (performance.now() - t0) / 1000;
  ctx.log(
    `${total} messages in ${ROOMS} rooms (largest ${sizes[0]}, smallest ${Math.min(...sizes)}), seeded in ${round(seconds)} s (${round(total / seconds, 0)}/s)`,
  );
  return { total, dbName: database.name, db, user: reader!, rooms, held: sizes };
}

export const growthScenario: BackendScenario = async (ctx) => {
  const worlds: World[] = [];
  for (const total of SIZES) worlds.push(await seedWorld(ctx, total));
  const m = new Map<World, Partial<Measures>>(worlds.map((w) => [w, { total: w.total, bigRoom: w.held[0]!, smallRoom: w.held[1]! }]));
  const big = (w: World) => w.rooms[0]!.roomId;
  const other = (w: World) => w.rooms[1]!.roomId;
  const reader = (w: World) => w.reader!;
  /** Runs `fn` on each size in turn, `reps` times, so both see the (shared, busy) machine in the same state. */
  const alternate = async (reps: number, fn: (w: World) => Promise<{ ms: number }>) => {
    const samples = new Map<World, number[]>(worlds.map((w) => [w, []]));
    for (let i = 0; i < reps; i++) for (const w of worlds) samples.get(w)!.push((await fn(w)).ms);
    return samples;
  };
  try {
    // Cold: the first enter of each room after the process started (its tail is empty).
    for (const w of worlds) {
      w.reader = await connectReader(ctx, w.dbName, w.user.token);
      const cold = await countCommands(w.db, 1, () => enter(reader(w), big(w)));
      const coldSmall = await enter(reader(w), other(w));
      Object.assign(m.get(w)!, { coldEnterBig: cold.result.ms, coldEnterCommands: cold.byName, coldEnterSmall: coldSmall.ms });
      ctx.log(`${w.total}: cold enter ${round(cold.result.ms)} ms (${w.held[0]}-message room), ${round(coldSmall.ms)} ms (${w.held[1]}-message room)`);
    }
    for (const w of worlds) m.get(w)!.listFirstAfterStart = (await checkedList(reader(w), w.rooms, w.held)).ms;

    // The cheap requests, alternating between the sizes; their commands counted on each alone.
    const lists = await alternate(REPS, (w) => getJson<RoomsResponse>(reader(w), '/rooms'));
    const warmBig = await alternate(WARM_REPS, (w) => enter(reader(w), big(w)));
    const warmSmall = await alternate(WARM_REPS, (w) => enter(reader(w), other(w)));
    for (const w of worlds) {
      const list = await countCommands(w.db, COUNTED, () => times(COUNTED, () => getJson<RoomsResponse>(reader(w), '/rooms')));
      const warm = await countCommands(w.db, COUNTED, () => times(COUNTED, () => enter(reader(w), big(w))));
      const latest = (await enter(reader(w), big(w))).answer;
      Object.assign(m.get(w)!, {
        list: lists.get(w),
        listCommands: list.byName,
        listCommandsPerRequest: list.perRequest,
        warmEnterBig: warmBig.get(w),
        warmEnterSmall: warmSmall.get(w),
        warmEnterCommandsPerRequest: warm.perRequest,
        enterPageSize: latest.messages.length,
        firstShown: latest.messages[0]!.seq,
      });
    }
    // An older page: ?before= the first seq of the latest page (the next scroll up).
    const olderPath = (w: World) => `/rooms/${big(w)}/messages?before=${m.get(w)!.firstShown}&limit=${PAGE}`;
    const older = await alternate(REPS, (w) => getJson<HistoryPage>(reader(w), olderPath(w)));
    for (const w of worlds) {
      const counted = await countCommands(w.db, COUNTED, () => times(COUNTED, () => getJson<HistoryPage>(reader(w), olderPath(w))));
      const page = await getJson<HistoryPage>(reader(w), olderPath(w));
      Object.assign(m.get(w)!, { olderPage: older.get(w), olderPageCommandsPerRequest: counted.perRequest, olderPageSize: page.body.messages.length });
    }

    // The database's pages: just past what the tail holds, and the room's first page.
    for (const w of worlds) {
      // On FerretDB each of these scans the whole collection (tens of seconds at 300k here): one sample.
      const reps = w.total >= 100_000 ? 1 : REPS;
      const mm = m.get(w)!;
      mm.beyondTail = null;
      mm.beyondTailCommands = null;
      if (w.held[0]! > TAIL_SIZE) {
        const below = w.held[0]! - TAIL_SIZE + 1;
        const beyond = await countCommands(w.db, reps, () =>
          times(reps, () => getJson<HistoryPage>(reader(w), `/rooms/${big(w)}/messages?before=${below}&limit=${PAGE}`)),
        );
        mm.beyondTail = beyond.result;
        mm.beyondTailCommands = beyond.byName;
      }
      // Jump to the first message: one request, whatever the room's size.
      const first = await countCommands(w.db, reps, () =>
        times(reps, async () => {
          const answer = await getJson<HistoryPage>(reader(w), `/rooms/${big(w)}/messages?after=start&limit=${PAGE}`);
          const got = answer.body.messages;
          if (got[0]?.seq !== 1 || got.length !== Math.min(PAGE, w.held[0]!)) throw new Error(`after=start answered seqs ${got[0]?.seq}.. (${got.length})`);
          return answer;
        }),
      );
      mm.firstPage = first.result;
      mm.firstPageRequests = 1;
      mm.firstPageCommands = first.byName;
      ctx.log(
        `${w.total}: GET /rooms ${round(median(mm.list!))} ms (${mm.listCommandsPerRequest} db commands), warm enter ${round(median(mm.warmEnterBig!))} / ${round(median(mm.warmEnterSmall!))} ms, ` +
          `older page ${round(median(mm.olderPage!))} ms, beyond the tail ${mm.beyondTail ? `${round(median(mm.beyondTail))} ms` : '—'}, first page ${round(median(mm.firstPage))} ms`,
      );
    }
    for (const w of worlds) {
      await closeReader(w.reader);
      w.reader = undefined;
    }

    // The tail in Redis (several processes): filled by the first enter, then warm.
    const redis = await measureRedis(ctx, worlds, alternate);
    for (const w of worlds) m.get(w)!.redis = redis?.get(w);
  } finally {
    for (const w of worlds) await closeReader(w.reader);
  }
  const measured = worlds.map((w) => m.get(w) as Measures);
  const large = worlds[worlds.length - 1]!;
  ctx.details.growth = {
    rooms: ROOMS,
    sizes: SIZES,
    roomSizes: SIZES.map(roomSizes).map((s) => ({ largest: s[0], others: `${Math.min(...s.slice(1))}-${Math.max(...s.slice(1))}` })),
    measured: measured.map(summarise),
    explainFerretDB: await explains(large.db, large.rooms, large.user, large.held),
  };
  return rowsFor(measured[0]!, measured[measured.length - 1]!);
};

/** The room list, checked: every room, its newest message and its exact (capped) unread count. */
async function checkedList(reader: Reader, rooms: SeededRoom[], held: number[]): Promise<{ ms: number }> {
  const { ms, body } = await getJson<RoomsResponse>(reader, '/rooms');
  if (body.rooms.length !== rooms.length) throw new Error(`GET /rooms listed ${body.rooms.length} rooms, expected ${rooms.length}`);
  const byId = new Map(body.rooms.map((s) => [s.id, s]));
  rooms.forEach((room, r) => {
    const summary = byId.get(room.roomId);
    const unread = Math.min(unreadIn(r, held[r]!), 999);
    if (!summary || summary.lastMessage?.seq !== held[r] || summary.unreadCount !== unread) {
      throw new Error(`room ${r}: listed last seq ${summary?.lastMessage?.seq} unread ${summary?.unreadCount}, expected ${held[r]} and ${unread}`);
    }
  });
  return { ms };
}

type Alternate = (reps: number, fn: (w: World) => Promise<{ ms: number }>) => Promise<Map<World, number[]>>;

async function measureRedis(ctx: BenchContext, worlds: World[], alternate: Alternate): Promise<Map<World, Measures['redis']> | undefined> {
  const redis = new Redis(ctx.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
  } catch (error) {
    ctx.log(`Redis at ${ctx.redisUrl} unreachable (${(error as Error).message}): the Redis tail is not measured`);
    redis.disconnect();
    return undefined;
  }
  const tailKeys = worlds.flatMap((w) => [`parley:tail:${w.rooms[0]!.roomId}`, `parley:tail-filled:${w.rooms[0]!.roomId}`]);
  const result = new Map<World, Measures['redis']>();
  try {
    await redis.del(...tailKeys);
    const cold = new Map<World, number>();
    for (const w of worlds) {
      w.reader = await connectReader(ctx, w.dbName, w.user.token, ctx.redisUrl);
      cold.set(w, (await enter(w.reader, w.rooms[0]!.roomId)).ms);
    }
    const warm = await alternate(REPS, (w) => enter(w.reader!, w.rooms[0]!.roomId));
    for (const w of worlds) {
      const counted = await countCommands(w.db, COUNTED, () => times(COUNTED, () => enter(w.reader!, w.rooms[0]!.roomId)));
      result.set(w, { coldEnterBig: cold.get(w)!, warmEnterBig: warm.get(w)!, warmEnterCommandsPerRequest: counted.perRequest });
      ctx.log(`${w.total}: Redis tail: cold enter ${round(cold.get(w)!)} ms, warm ${round(median(warm.get(w)!))} ms`);
    }
    return result;
  } finally {
    for (const w of worlds) {
      await closeReader(w.reader);
      w.reader = undefined;
    }
    await redis.del(...tailKeys).catch(() => {});
    redis.disconnect();
  }
}

/** FerretDB's own plan for each query the measured requests make (its explain does not run them). */
async function explains(db: Db, rooms: SeededRoom[], user: SeededUser, held: number[]): Promise<Record<string, unknown>> {
  const roomId = new ObjectId(rooms[0]!.roomId);
  const plan = async (find: Record<string, unknown>) => {
    const answer = (await db.command({ explain: find })) as {
      queryPlanner?: unknown;
      filterPushdown?: boolean;
      sortPushdown?: boolean;
      limitPushdown?: boolean;
    };
    return { queryPlanner: answer.queryPlanner, filterPushdown: answer.filterPushdown, sortPushdown: answer.sortPushdown, limitPushdown: answer.limitPushdown };
  };
  const last = held[0]!;
  return {
    'tail fill / latest page': await plan({ find: 'messages', filter: { roomId }, sort: { seq: -1 }, limit: TAIL_SIZE + 1 }),
    'older page (before)': await plan({ find: 'messages', filter: { roomId, seq: { $lt: last - TAIL_SIZE + 1 } }, sort: { seq: -1 }, limit: PAGE + 1 }),
    'first page (after=start)': await plan({ find: 'messages', filter: { roomId, seq: { $gt: 0 } }, sort: { seq: 1 }, limit: PAGE + 1 }),
    'around: the message by id': await plan({ find: 'messages', filter: { _id: new ObjectId(), roomId }, limit: 1 }),
    'room list: rooms': await plan({ find: 'rooms', filter: { 'members.userId': new ObjectId(user.userId) } }),
    'room list: heads': await plan({ find: 'roomHeads', filter: { _id: { $in: rooms.map((r) => new ObjectId(r.roomId)) } } }),
    'room list: read markers': await plan({ find: 'readMarkers', filter: { userId: new ObjectId(user.userId) } }),
  };
}

function summarise(m: Measures) {
  const med = (xs: number[] | null) => (xs ? round(median(xs)) : null);
  return {
    total: m.total,
    bigRoom: m.bigRoom,
    smallRoom: m.smallRoom,
    coldEnterBig: round(m.coldEnterBig),
    coldEnterSmall: round(m.coldEnterSmall),
    coldEnterCommands: m.coldEnterCommands,
    listFirstAfterStart: round(m.listFirstAfterStart),
    listMedian: med(m.list),
    listMax: round(Math.max(...m.list)),
    listCommands: m.listCommands,
    warmEnterBigMedian: med(m.warmEnterBig),
    warmEnterSmallMedian: med(m.warmEnterSmall),
    warmEnterMax: round(Math.max(...m.warmEnterBig, ...m.warmEnterSmall)),
    warmEnterCommandsPerRequest: m.warmEnterCommandsPerRequest,
    enterPageSize: m.enterPageSize,
    olderPageMedian: med(m.olderPage),
    olderPageSize: m.olderPageSize,
    olderPageCommandsPerRequest: m.olderPageCommandsPerRequest,
    beyondTail: m.beyondTail?.map((x) => round(x)) ?? null,
    beyondTailCommands: m.beyondTailCommands,
    firstPage: m.firstPage.map((x) => round(x)),
    firstPageRequests: m.firstPageRequests,
    firstPageCommands: m.firstPageCommands,
    redis: m.redis && {
      coldEnterBig: round(m.redis.coldEnterBig),
      warmEnterBigMedian: med(m.redis.warmEnterBig),
      warmEnterCommandsPerRequest: m.redis.warmEnterCommandsPerRequest,
    },
  };
}

const commandsText = (c: Record<string, number> | null | undefined) =>
  c && Object.keys(c).length > 0
    ? Object.entries(c)
        .map(([name, n]) => `${n} ${name}`)
        .join(' + ')
    : 'none';

function rowsFor(small: Measures, large: Measures): ScenarioResult[] {
  const med = (xs: number[]) => round(median(xs));
  const k = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
  const at = `${k(large.total)} vs ${k(small.total)} msgs`;
  const list = med(large.list);
  const listSmall = med(small.list);
  const warm = med(large.warmEnterBig);
  const warmSmall = med(small.warmEnterBig);
  const older = med(large.olderPage);
  const beyond = large.beyondTail ? med(large.beyondTail) : NaN;
  const firstLarge = med(large.firstPage);
  const coldLarge = round(large.coldEnterBig);
  const rows: ScenarioResult[] = [
    row({
      scenario: NAME,
      metric: `GET /rooms, median of ${REPS} (${at})`,
      unit: 'ms',
      parley: list,
      baselineName: `${k(small.total)} messages`,
      baseline: listSmall,
      target: '<= 1.5x the 300-message figure',
      met: list <= 1.5 * listSmall,
      notes: `first after start ${round(large.listFirstAfterStart)} / ${round(small.listFirstAfterStart)} ms; max ${round(Math.max(...large.list))} / ${round(Math.max(...small.list))} ms`,
    }),
    row({
      scenario: NAME,
      metric: `GET /rooms at ${k(large.total)} vs Dendrite at 30k`,
      unit: 'ms',
      parley: list,
      baselineName: 'Dendrite (issue 8)',
      baseline: DENDRITE_MS.roomList,
      target: 'faster than Dendrite',
      met: list < DENDRITE_MS.roomList,
    }),
    row({
      scenario: NAME,
      metric: `database commands per GET /rooms (${at})`,
      unit: 'cmds',
      parley: large.listCommandsPerRequest,
      baselineName: `${k(small.total)} messages`,
      baseline: small.listCommandsPerRequest,
      target: 'fixed, independent of rooms and messages',
      met: large.listCommandsPerRequest === small.listCommandsPerRequest && large.listCommandsPerRequest <= 6,
      notes: `${commandsText(large.listCommands)} (session, rooms by member, read markers by user, heads by _id $in)`,
    }),
    row({
      scenario: NAME,
      metric: `enter a room, warm tail, ${k(large.bigRoom)}-msg room, median of ${WARM_REPS} (${at})`,
      unit: 'ms',
      parley: warm,
      baselineName: `${k(small.total)} messages`,
      baseline: warmSmall,
      target: '<= 1.5x the 300-message figure',
      met: warm <= 1.5 * warmSmall,
      notes:
        `answers carry ${large.enterPageSize} vs ${small.enterPageSize} messages (the small rooms hold ${small.bigRoom}); ` +
        `${k(large.smallRoom)}-msg room ${med(large.warmEnterSmall)} vs ${med(small.warmEnterSmall)} ms; ${large.warmEnterCommandsPerRequest} db commands per enter`,
    }),
    row({
      scenario: NAME,
      metric: `enter a room (warm) at ${k(large.total)} vs Dendrite at 30k`,
      unit: 'ms',
      parley: warm,
      baselineName: 'Dendrite (issue 8)',
      baseline: DENDRITE_MS.enter,
      target: 'faster than Dendrite',
      met: warm < DENDRITE_MS.enter,
    }),
    row({
      scenario: NAME,
      metric: `enter a room, cold (first after a restart), ${k(large.bigRoom)}-msg room (${at})`,
      unit: 'ms',
      parley: coldLarge,
      baselineName: `${k(small.total)} messages`,
      baseline: round(small.coldEnterBig),
      target: 'informational (fills the tail from the database: FerretDB scans the collection)',
      met: null,
      notes:
        `${k(large.smallRoom)}-msg room ${round(large.coldEnterSmall)} ms` +
        (large.redis ? `; with the tail in Redis ${round(large.redis.coldEnterBig)} ms` : '') +
        `; db commands ${commandsText(large.coldEnterCommands)}`,
    }),
    row({
      scenario: NAME,
      metric: `older page (?before= first seq shown), ${k(large.bigRoom)}-msg room (${at})`,
      unit: 'ms',
      parley: older,
      baselineName: 'Dendrite (issue 8)',
      baseline: DENDRITE_MS.olderPage,
      target: 'faster than Dendrite (answered from the tail)',
      met: older < DENDRITE_MS.olderPage,
      notes: `${large.olderPageSize} messages, ${large.olderPageCommandsPerRequest} db commands per page; at ${k(small.total)} ${med(small.olderPage)} ms (${small.olderPageSize} messages: the room holds ${small.bigRoom})`,
    }),
    row({
      scenario: NAME,
      metric: `older page beyond the tail (?before=${large.bigRoom - TAIL_SIZE + 1}), ${k(large.total)} msgs`,
      unit: 'ms',
      parley: beyond,
      baselineName: 'Dendrite (issue 8)',
      baseline: DENDRITE_MS.olderPage,
      target: 'faster than Dendrite (FerretDB scans; MongoDB: room_seq, 51 keys)',
      met: beyond < DENDRITE_MS.olderPage,
      notes: `samples ${(large.beyondTail ?? []).map((x) => round(x)).join(', ')} ms; db commands ${commandsText(large.beyondTailCommands)}`,
    }),
    row({
      scenario: NAME,
      metric: 'jump to first message (?after=start): requests',
      unit: 'reqs',
      parley: large.firstPageRequests,
      baselineName: null,
      baseline: null,
      target: '<= 2 requests',
      met: large.firstPageRequests <= 2,
      notes: `seq 1-${PAGE} in one answer at both sizes; db commands ${commandsText(large.firstPageCommands)}`,
    }),
    row({
      scenario: NAME,
      metric: `jump to first message, ${k(large.bigRoom)}-msg room (${at})`,
      unit: 'ms',
      parley: firstLarge,
      baselineName: `${k(small.total)} messages`,
      baseline: med(small.firstPage),
      target: 'informational (FerretDB scans the collection; MongoDB: room_seq, 51 keys)',
      met: null,
      notes: `samples ${large.firstPage.map((x) => round(x)).join(', ')} ms`,
    }),
  ];
  if (large.redis && small.redis) {
    const redisWarm = med(large.redis.warmEnterBig);
    const redisWarmSmall = med(small.redis.warmEnterBig);
    rows.push(
      row({
        scenario: NAME,
        metric: `enter a room, warm tail in Redis, ${k(large.bigRoom)}-msg room, median of ${REPS} (${at})`,
        unit: 'ms',
        parley: redisWarm,
        baselineName: `${k(small.total)} messages`,
        baseline: redisWarmSmall,
        target: '<= 1.5x the 300-message figure',
        met: redisWarm <= 1.5 * redisWarmSmall,
        notes: `memory tail ${warm} ms; cold (tail filled from the database) ${round(large.redis.coldEnterBig)} vs ${round(small.redis.coldEnterBig)} ms; ${large.redis.warmEnterCommandsPerRequest} db commands per enter`,
      }),
    );
  }
  return rows;
}
