// Scenario 5: idle connections. N authenticated sockets that do nothing; the server's
// heap (after a full GC, via the probe preloaded into server/main.ts) before and with
// them, divided by N; none may drop while they idle. Baseline: the same sockets on a
// bare Socket.IO server.
import { connectAll, type BenchClient, type Transport } from '../lib/clients.js';
import type { BackendScenario } from '../lib/context.js';
import { startBare, startParley, type ServerProcess } from '../lib/procs.js';
import { row } from '../lib/result.js';
import { seedRooms, seedUsers } from '../lib/seed.js';
import { round, sleep } from '../lib/stats.js';

const NAME = '5. idle connections';

export const idleScenario: BackendScenario = async (ctx) => {
  const count = Math.round(1500 * ctx.scale);
  const idleS = 15;
  const database = await ctx.newDatabase('idle');
  const users = await seedUsers(database.db, count);
  const rooms = await seedRooms(database.db, users, 10);
  const roomOf = new Map<number, string>();
  for (const r of rooms) for (const m of r.members) roomOf.set(m, r.roomId);
  const measured: Record<string, { perConnBytes: number; dropped: number; connected: number }> = {};
  for (const transport of ['socketio', 'parley'] as Transport[]) {
    let server: ServerProcess | undefined;
    let clients: BenchClient[] = [];
    try {
      server =
        transport === 'parley'
          ? await startParley({ mongoUri: ctx.mongoUri, dbName: database.name, nodeFlags: ctx.serverNodeFlags })
          : await startBare('socketio');
      // Warm up (code paths, pools), then the empty heap.
      const warm = await connectAll(
        transport,
        users.slice(0, 20).map((u, i) => ({ url: server!.url, token: u.token, rooms: [roomOf.get(i)!] })),
      );
      for (const c of warm) c.close();
      await sleep(500);
      const before = await server.memory();
      clients = await connectAll(
        transport,
        users.map((u, i) => ({ url: server!.url, token: u.token, rooms: [roomOf.get(i)!] })),
      );
      let dropped = 0;
      for (const c of clients) c.onDisconnect(() => dropped++);
      await sleep(idleS * 1000);
      const after = await server.memory();
      const perConnBytes = (after.heapUsed - before.heapUsed) / count;
      measured[transport] = { perConnBytes, dropped, connected: clients.length };
      ctx.log(
        `${transport}: ${clients.length} idle ${idleS} s, heap ${round(before.heapUsed / 2 ** 20)} -> ${round(after.heapUsed / 2 ** 20)} MiB = ${round(perConnBytes / 1024, 2)} KiB/conn, rss ${round(after.rss / 2 ** 20)} MiB, ${dropped} dropped`,
      );
    } finally {
      for (const c of clients) c.close();
      await server?.stop();
    }
  }
  const p = measured.parley!;
  const b = measured.socketio!;
  ctx.details.idle = { count, idleS, measured };
  return [
    row({
      scenario: NAME,
      metric: `heap per connection (${count} sockets)`,
      unit: 'KB',
      parley: round(p.perConnBytes / 1000, 2),
      baselineName: 'bare Socket.IO',
      baseline: round(b.perConnBytes / 1000, 2),
      target: '<= 15 KB per connection',
      met: p.perConnBytes <= 15_000,
      notes: 'heapUsed after a forced full GC, with minus without the sockets',
    }),
    row({
      scenario: NAME,
      metric: `connections dropped while idle ${idleS} s`,
      unit: 'conns',
      parley: p.dropped,
      baselineName: null,
      baseline: null,
      target: 'none dropped',
      met: p.dropped === 0 && p.connected === count,
    }),
  ];
};
