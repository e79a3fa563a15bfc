// Scenario 1: room fan-out. N clients in N/10 rooms of 10, one 200-byte message per
// room per second, latency from send to every member, each delivered exactly once.
// Baselines in the same run: bare Socket.IO and bare ws broadcast servers.
import { connectAll, type BenchClient, type Transport } from '../lib/clients.js';
import type { BackendScenario } from '../lib/context.js';
import { runFanout, type FanoutOutcome } from '../lib/fanout.js';
import { startBare, startParley, type ServerProcess } from '../lib/procs.js';
import { row, type ScenarioResult } from '../lib/result.js';
import { seedRooms, seedUsers } from '../lib/seed.js';
import { round } from '../lib/stats.js';

const NAME = '1. room fan-out';

export const fanoutScenario: BackendScenario = async (ctx) => {
  const clientsCount = Math.round(500 * ctx.scale / 10) * 10;
  const durationS = 15;
  const warmupS = 2;
  const roomSize = 10;
  const database = await ctx.newDatabase('fanout');
  const users = await seedUsers(database.db, clientsCount);
  const rooms = await seedRooms(database.db, users, roomSize);
  const plan = rooms.map((r) => ({ roomId: r.roomId, sender: r.members[0]!, members: r.members }));
  const roomOf = new Map<number, string>();
  for (const r of rooms) for (const m of r.members) roomOf.set(m, r.roomId);
  ctx.log(`${clientsCount} clients in ${rooms.length} rooms, ${durationS} s at 1 msg/room/s (first ${warmupS} s not timed)`);

  const outcomes: Record<Transport, FanoutOutcome | undefined> = { parley: undefined, socketio: undefined, ws: undefined };
  const lags: Record<string, number> = {};
  for (const transport of ['ws', 'socketio', 'parley'] as Transport[]) {
    let server: ServerProcess | undefined;
    let clients: BenchClient[] = [];
    try {
      server =
        transport === 'parley'
          ? await startParley({ mongoUri: ctx.mongoUri, dbName: database.name, nodeFlags: ctx.serverNodeFlags })
          : await startBare(transport);
      const t0 = performance.now();
      clients = await connectAll(
        transport,
        users.map((u, i) => ({ url: server!.url, token: u.token, rooms: [roomOf.get(i)!] })),
      );
      ctx.log(`${transport}: ${clients.length} connected in ${round((performance.now() - t0) / 1000)} s`);
      await server.lag();
      outcomes[transport] = await runFanout({ clients, rooms: plan, durationS, warmupS, tag: `s1${transport}` });
      lags[transport] = round((await server.lag()).p99);
      const o = outcomes[transport]!;
      ctx.log(`${transport}: p50 ${round(o.p50)} ms p99 ${round(o.p99)} ms, ${o.delivered}/${o.expected} delivered, ${o.duplicates} dup, loop lag p99 ${lags[transport]} ms`);
    } finally {
      for (const c of clients) c.close();
      await server?.stop();
    }
  }
  const p = outcomes.parley!;
  const sio = outcomes.socketio!;
  const ws = outcomes.ws!;
  ctx.details.fanout = { clientsCount, rooms: rooms.length, durationS, outcomes: strip(outcomes), eventLoopLagP99Ms: lags };
  const results: ScenarioResult[] = [
    row({
      scenario: NAME,
      metric: `p99 latency (${clientsCount} clients)`,
      unit: 'ms',
      parley: round(p.p99),
      baselineName: 'bare Socket.IO',
      baseline: round(sio.p99),
      target: '<= 2x bare Socket.IO p99',
      met: p.p99 <= 2 * sio.p99,
      notes: `bare ws p99 ${round(ws.p99)} ms`,
    }),
    row({
      scenario: NAME,
      metric: 'p50 latency',
      unit: 'ms',
      parley: round(p.p50),
      baselineName: 'bare Socket.IO',
      baseline: round(sio.p50),
      target: 'informational',
      met: null,
      notes: `bare ws p50 ${round(ws.p50)} ms`,
    }),
    row({
      scenario: NAME,
      metric: 'p99 latency vs bare ws',
      unit: 'ms',
      parley: round(p.p99),
      baselineName: 'bare ws',
      baseline: round(ws.p99),
      target: 'informational',
      met: null,
    }),
    row({
      scenario: NAME,
      metric: 'deliveries exactly once',
      unit: 'count',
      parley: p.delivered,
      baselineName: 'expected',
      baseline: p.expected,
      target: 'every message exactly once',
      met: p.delivered === p.expected && p.duplicates === 0 && p.sendErrors === 0,
      notes: `${p.sent} sends, ${p.duplicates} duplicates, ${p.missing} missing, ${p.sendErrors} send errors`,
    }),
  ];
  return results;
};

function strip(outcomes: Record<string, FanoutOutcome | undefined>) {
  return Object.fromEntries(
    Object.entries(outcomes).map(([k, o]) => [k, o && { ...o, latencies: undefined, selectedLatencies: undefined, p50: round(o.p50), p99: round(o.p99), selectedP99: round(o.selectedP99) }]),
  );
}
