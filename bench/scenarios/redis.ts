// Scenario 6: two backend processes sharing events through the Redis adapter (one
// database, unique INSTANCE_IDs) against one process, same clients and traffic. In
// each room of 10, members 0-4 connect to process A (the sender is member 0) and
// members 5-9 to process B; the figure is the latency at members 5-9, i.e. across
// processes. Baseline: the same clients all on one process without Redis.
import { connectAll, type BenchClient } from '../lib/clients.js';
import type { BackendScenario } from '../lib/context.js';
import { runFanout, type FanoutOutcome } from '../lib/fanout.js';
import { startParley, type ServerProcess } from '../lib/procs.js';
import { row } from '../lib/result.js';
import { seedRooms, seedUsers } from '../lib/seed.js';
import { round } from '../lib/stats.js';

const NAME = '6. two processes (Redis)';

export const redisScenario: BackendScenario = async (ctx) => {
  const count = Math.round((300 * ctx.scale) / 10) * 10;
  const durationS = 12;
  const database = await ctx.newDatabase('redis');
  const users = await seedUsers(database.db, count);
  const rooms = await seedRooms(database.db, users, 10);
  const plan = rooms.map((r) => ({ roomId: r.roomId, sender: r.members[0]!, members: r.members }));
  const onB = (i: number) => i % 10 >= 5;
  const outcomes: Record<string, FanoutOutcome> = {};
  for (const mode of ['one', 'two'] as const) {
    const servers: ServerProcess[] = [];
    let clients: BenchClient[] = [];
    try {
      if (mode === 'one') servers.push(await startParley({ mongoUri: ctx.mongoUri, dbName: database.name, nodeFlags: ctx.serverNodeFlags }));
      else
        for (const id of ['A', 'B'])
          servers.push(
            await startParley({
              mongoUri: ctx.mongoUri,
              dbName: database.name,
              redisUrl: ctx.redisUrl,
              instanceId: `bench-${database.name}-${id}`,
              nodeFlags: ctx.serverNodeFlags,
            }),
          );
      const url = (i: number) => (mode === 'two' && onB(i) ? servers[1]! : servers[0]!).url;
      clients = await connectAll(
        'parley',
        users.map((u, i) => ({ url: url(i), token: u.token })),
      );
      outcomes[mode] = await runFanout({ clients, rooms: plan, durationS, warmupS: 2, selected: onB, tag: `s6${mode}` });
      const o = outcomes[mode]!;
      ctx.log(
        `${mode} process(es): members 5-9 p99 ${round(o.selectedP99)} ms, all p99 ${round(o.p99)} ms, ${o.delivered}/${o.expected} delivered, ${o.duplicates} dup`,
      );
    } finally {
      for (const c of clients) c.close();
      for (const s of servers) await s.stop();
    }
  }
  const one = outcomes.one!;
  const two = outcomes.two!;
  ctx.details.redis = {
    count,
    durationS,
    one: {
      p50: round(one.p50),
      p99: round(one.p99),
      selectedP99: round(one.selectedP99),
      delivered: one.delivered,
      expected: one.expected,
      duplicates: one.duplicates,
    },
    two: {
      p50: round(two.p50),
      p99: round(two.p99),
      selectedP99: round(two.selectedP99),
      delivered: two.delivered,
      expected: two.expected,
      duplicates: two.duplicates,
    },
  };
  return [
    row({
      scenario: NAME,
      metric: `cross-process delivery p99 (${count} clients)`,
      unit: 'ms',
      parley: round(two.selectedP99),
      baselineName: 'one process',
      baseline: round(one.selectedP99),
      target: '<= 1.5x single-process p99',
      met: two.selectedP99 <= 1.5 * one.selectedP99,
      notes: `all receivers p99: ${round(two.p99)} (two) vs ${round(one.p99)} ms (one)`,
    }),
    row({
      scenario: NAME,
      metric: 'deliveries exactly once (two processes)',
      unit: 'count',
      parley: two.delivered,
      baselineName: 'expected',
      baseline: two.expected,
      target: 'every message exactly once',
      met: two.delivered === two.expected && two.duplicates === 0 && two.sendErrors === 0,
      notes: `${two.duplicates} duplicates, ${two.missing} missing`,
    }),
  ];
};
