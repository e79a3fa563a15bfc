// Scenario 3: history pages. A page of 50 (GET /api/rooms/:id/messages, Parley's own
// route) from rooms holding 10k, 100k (and, with --scale >= 10, 1M) messages, seeded
// straight into the database. Also: a keyset page 1,000 pages deep and the same page
// by skip/offset (driver), the explain output, and the 10k room's page again once the
// collection also holds the bigger rooms (FerretDB scans the whole collection).
import { ObjectId } from 'mongodb';
import type { BackendScenario } from '../lib/context.js';
import { startParley, type ServerProcess } from '../lib/procs.js';
import { row, type ScenarioResult } from '../lib/result.js';
import { seedMessages, seedRooms, seedUsers, type SeededRoom, type SeededUser } from '../lib/seed.js';
import { median, round } from '../lib/stats.js';

const NAME = '3. history';

async function timed(reps: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

async function page(server: ServerProcess, user: SeededUser, room: SeededRoom, query = ''): Promise<number> {
  const res = await fetch(`${server.url}/api/rooms/${room.roomId}/messages?limit=50${query}`, { headers: { authorization: `Bearer ${user.token}` } });
  if (res.status !== 200) throw new Error(`history page: HTTP ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { messages: unknown[] };
  if (body.messages.length !== 50) throw new Error(`history page had ${body.messages.length} messages`);
  return body.messages.length;
}

export const historyScenario: BackendScenario = async (ctx) => {
  const sizes = [10_000, 100_000, ...(ctx.scale >= 10 ? [1_000_000] : [])];
  const database = await ctx.newDatabase('history');
  const db = database.db;
  const [user] = await seedUsers(db, 1);
  const rooms = await Promise.all(sizes.map(() => seedRooms(db, [user!], 1).then((r) => r[0]!)));
  const results: ScenarioResult[] = [];
  const pageMs: number[] = [];
  const seedRates: number[] = [];
  const explains: Record<string, unknown> = {};
  let server: ServerProcess | undefined;
  let deepIds: ObjectId[] = [];
  let tenKAlone = 0;
  try {
    for (let s = 0; s < sizes.length; s++) {
      const size = sizes[s]!;
      const room = rooms[s]!;
      const { ids, perSecond } = await seedMessages(db, room, user!, size, (done, rate) => ctx.log(`seeding ${size}: ${done} (${round(rate, 0)}/s)`));
      seedRates.push(round(perSecond, 0));
      if (s === 0) ctx.log(`seeding rate ${round(perSecond, 0)} docs/s: 1M messages would take ~${round(1e6 / perSecond, 0)} s to seed`);
      if (size === 100_000) deepIds = ids;
      server ??= await startParley({ mongoUri: ctx.mongoUri, dbName: database.name, nodeFlags: ctx.serverNodeFlags });
      if (s === 0) await page(server, user!, room); // warm-up (JIT, connections)
      // A 100k page costs seconds on FerretDB: few repetitions keep the run bounded.
      const ms = await timed(size >= 100_000 ? 2 : 5, () => page(server!, user!, room));
      pageMs.push(ms);
      if (s === 0) tenKAlone = ms;
      ctx.log(`latest page, ${size} room: ${round(ms)} ms`);
      explains[String(size)] = await db.command({
        explain: { find: 'messages', filter: { roomId: new ObjectId(room.roomId) }, sort: { _id: -1 }, limit: 51 },
        verbosity: 'executionStats',
      });
    }
    // The same 10k room, now that the collection holds every room.
    const tenKShared = await timed(1, () => page(server!, user!, rooms[0]!));
    ctx.log(`latest page, 10k room with ${sizes.reduce((a, b) => a + b, 0)} messages in the collection: ${round(tenKShared)} ms`);

    // Page 1,000 (50 per page) of the 100k room: keyset (Parley's ?before=) vs skip/offset.
    const depth = 50 * 999;
    const bigRoom = rooms[1]!;
    const cursor = deepIds[deepIds.length - depth]!;
    const keysetHttp = await timed(1, () => page(server!, user!, bigRoom, `&before=${cursor.toHexString()}`));
    const messages = db.collection('messages');
    const roomFilter = { roomId: new ObjectId(bigRoom.roomId) };
    const keysetDriver = await timed(1, () => messages.find({ ...roomFilter, _id: { $lt: cursor } }).sort({ _id: -1 }).limit(51).toArray());
    const skipDriver = await timed(1, () => messages.find(roomFilter).sort({ _id: -1 }).skip(depth).limit(50).toArray());
    ctx.log(`page 1,000 of the 100k room: keyset ${round(keysetHttp)} ms (HTTP), ${round(keysetDriver)} ms (driver); skip ${round(skipDriver)} ms (driver)`);

    const deepest = pageMs[pageMs.length - 1]!;
    results.push(
      row({
        scenario: NAME,
        metric: `latest page of 50, ${sizes[sizes.length - 1]! / 1000}k room`,
        unit: 'ms',
        parley: round(deepest),
        baselineName: '10k room page',
        baseline: round(tenKAlone),
        target: '<= 1.5x the 10k page',
        met: deepest <= 1.5 * tenKAlone,
        notes:
          `pages: ${sizes.map((size, i) => `${size / 1000}k ${round(pageMs[i]!)} ms`).join(', ')}; seeding ${seedRates.join('/')} docs/s` +
          (ctx.scale >= 10 ? '' : `; 1M room skipped at this scale (seeding alone ~${round(1e6 / seedRates[0]!, 0)} s; run --scale 10)`),
      }),
      row({
        scenario: NAME,
        metric: '10k room page, collection shared with 100k room',
        unit: 'ms',
        parley: round(tenKShared),
        baselineName: '10k room page (alone)',
        baseline: round(tenKAlone),
        target: 'informational (FerretDB cost follows collection size)',
        met: null,
      }),
      row({
        scenario: NAME,
        metric: 'page 1,000: keyset ?before= (HTTP) vs skip/offset',
        unit: 'ms',
        parley: round(keysetHttp),
        baselineName: 'skip 49,950 (driver)',
        baseline: round(skipDriver),
        target: 'informational',
        met: null,
        notes: `keyset via driver ${round(keysetDriver)} ms`,
      }),
    );
    const e = explains[String(sizes[sizes.length - 1])] as { queryPlanner?: unknown; executionStats?: { totalKeysExamined?: number }; filterPushdown?: boolean; sortPushdown?: boolean; limitPushdown?: boolean };
    const plan = JSON.stringify(e.queryPlanner ?? {});
    const keys = e.executionStats?.totalKeysExamined;
    const indexScan = plan.includes('IXSCAN') && !plan.includes('"SORT"');
    results.push(
      row({
        scenario: NAME,
        metric: 'explain: keys examined for a page',
        unit: 'keys',
        parley: typeof keys === 'number' ? keys : sizes[sizes.length - 1]!,
        baselineName: 'limit + 1',
        baseline: 51,
        target: 'index scan, no in-memory sort, ~51 keys',
        met: indexScan && typeof keys === 'number' && keys <= 60,
        notes:
          typeof keys === 'number'
            ? `plan ${plan.slice(0, 200)}`
            : `no key counts (FerretDB): plan ${plan}, filterPushdown=${e.filterPushdown} sortPushdown=${e.sortPushdown} limitPushdown=${e.limitPushdown}; value shown = documents in the room, all of which are loaded and sorted`,
      }),
    );
    ctx.details.history = { sizes, pageMs: pageMs.map((m) => round(m)), tenKShared: round(tenKShared), keysetHttp: round(keysetHttp), keysetDriver: round(keysetDriver), skipDriver: round(skipDriver), seedRates, explains };
  } finally {
    await server?.stop();
  }
  return results;
};
