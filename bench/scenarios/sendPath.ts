// Scenario 2: the send path. Acknowledged `message:send` at rising offered rates (open
// loop: sends go out on schedule whether or not earlier ones were answered) until the
// ack p99 passes 250 ms. Baseline: the same MongoDB driver, with Parley's client
// options, doing a plain insertOne of the same document into the same database (a
// collection with the same indexes) at the same rates.
import { ObjectId, type Collection } from 'mongodb';
import type { MessageDoc } from '../../server/persistence/messages.js';
import { MARKER_WRITE_INTERVAL_MS } from '../../server/persistence/readMarkers.js';
import { countCommands, type CommandCount } from '../lib/dbCommands.js';
import { connectAll } from '../lib/clients.js';
import type { BackendScenario } from '../lib/context.js';
import { startParley } from '../lib/procs.js';
import { row, type ScenarioResult } from '../lib/result.js';
import { seedRooms, seedUsers } from '../lib/seed.js';
import { percentile, round, sleep } from '../lib/stats.js';

const NAME = '2. send path';
const LIMIT_MS = 250;
/** Sends counted one at a time for the database commands per send. */
const COUNTED_SENDS = 60;

interface Step {
  rate: number;
  offered: number;
  completed: number;
  failed: number;
  achievedPerSecond: number;
  p50: number;
  p99: number;
  saturated: boolean;
}

/** Offers `rate` operations per second for `seconds`; latency of each until it settles (timeouts count as 10 s). */
async function step(rate: number, seconds: number, op: (i: number) => Promise<void>): Promise<Step> {
  const latencies: number[] = [];
  let failed = 0;
  let completed = 0;
  const pending: Promise<void>[] = [];
  const total = Math.round(rate * seconds);
  const started = performance.now();
  let lastDone = started;
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const t0 = performance.now();
    pending.push(
      Promise.race([op(i).then(() => true), sleep(10_000).then(() => false)])
        .then((ok) => {
          if (!ok) failed++;
          else completed++;
          lastDone = performance.now();
          latencies.push(ok ? lastDone - t0 : 10_000);
        })
        .catch(() => {
          failed++;
          latencies.push(10_000);
        }),
    );
  }
  await Promise.all(pending);
  const elapsed = Math.max(seconds, (lastDone - started) / 1000);
  const p99 = percentile(latencies, 99);
  const achievedPerSecond = completed / elapsed;
  return {
    rate,
    offered: total,
    completed,
    failed,
    achievedPerSecond: round(achievedPerSecond),
    p50: round(percentile(latencies, 50)),
    p99: round(p99),
    saturated: p99 > LIMIT_MS || failed > 0 || achievedPerSecond < 0.9 * rate,
  };
}

export const sendPathScenario: BackendScenario = async (ctx) => {
  const seconds = 4;
  const rates = [25, 50, 100, 200, 400, 800, 1600].map((r) => Math.round(r * Math.max(1, ctx.scale)));
  const senders = 20;
  const database = await ctx.newDatabase('send');
  const users = await seedUsers(database.db, senders);
  // Rooms of one: the ack path is what is measured, not the fan-out.
  const rooms = await seedRooms(database.db, users, 1);
  const text = 't'.repeat(200);

  // Baseline first: plain insertOne from this process, same driver options as Parley.
  const bare: Collection<MessageDoc> = database.db.collection<MessageDoc>('bench_inserts');
  await bare.createIndex({ roomId: 1, seq: 1 }, { unique: true, name: 'room_seq' });
  await bare.createIndex({ authorId: 1, clientId: 1 }, { unique: true, name: 'send_idempotency' });
  const baseline: Step[] = [];
  const seqs = new Map<number, number>();
  const nextSeq = (room: number) => {
    const seq = (seqs.get(room) ?? 0) + 1;
    seqs.set(room, seq);
    return seq;
  };
  const insertAt = (i: number, label: string) =>
    bare
      .insertOne({
        _id: new ObjectId(),
        roomId: new ObjectId(rooms[i % senders]!.roomId),
        seq: nextSeq(i % senders),
        authorId: new ObjectId(users[i % senders]!.userId),
        authorUsername: users[i % senders]!.username,
        text,
        clientId: `${label}-${i}`,
        createdAt: new Date(),
      })
      .then(() => undefined);
  await step(25, 1, (i) => insertAt(i, 'warm')); // warm-up, not reported
  for (const rate of rates) {
    const s = await step(rate, seconds, (i) => insertAt(i, `b${rate}`));
    baseline.push(s);
    ctx.log(`insertOne @${rate}/s: p50 ${s.p50} p99 ${s.p99} ms, ${s.achievedPerSecond}/s${s.saturated ? ' (saturated)' : ''}`);
    if (s.saturated) break;
    await sleep(500);
  }

  let perSend: CommandCount<void> | undefined;
  const server = await startParley({ mongoUri: ctx.mongoUri, dbName: database.name, nodeFlags: ctx.serverNodeFlags });
  const clients = await connectAll(
    'parley',
    users.map((u) => ({ url: server.url, token: u.token })),
  );
  const parley: Step[] = [];
  try {
    await step(25, 1, (i) => clients[i % senders]!.send(rooms[i % senders]!.roomId, `warm-${i}`, text)); // warm-up
    for (const rate of rates) {
      const s = await step(rate, seconds, (i) => clients[i % senders]!.send(rooms[i % senders]!.roomId, `p${rate}-${i}`, text));
      parley.push(s);
      ctx.log(`message:send @${rate}/s: p50 ${s.p50} p99 ${s.p99} ms, ${s.achievedPerSecond}/s${s.saturated ? ' (saturated)' : ''}`);
      if (s.saturated) break;
      await sleep(500);
    }
    // What one send costs the database: sends one at a time, then the paced writes they leave behind.
    await sleep(3000);
    perSend = await countCommands(database.db, COUNTED_SENDS, async () => {
      for (let i = 0; i < COUNTED_SENDS; i++) await clients[i % senders]!.send(rooms[i % senders]!.roomId, `counted-${i}`, text);
      await sleep(MARKER_WRITE_INTERVAL_MS + 500);
    });
    ctx.log(`database commands per send (one at a time): ${perSend.perRequest} (${JSON.stringify(perSend.byName)})`);
  } finally {
    for (const c of clients) c.close();
    await server.stop();
  }
  ctx.details.sendPath = { senders, secondsPerStep: seconds, limitMs: LIMIT_MS, baseline, parley, commandsPerSend: perSend?.byName };

  const results: ScenarioResult[] = [];
  for (const p of parley) {
    const b = baseline.find((x) => x.rate === p.rate);
    if (!b || b.saturated) continue; // above the baseline's own saturation there is nothing fair to compare
    results.push(
      row({
        scenario: NAME,
        metric: `ack p99 @ ${p.rate}/s`,
        unit: 'ms',
        parley: p.p99,
        baselineName: 'bare insertOne',
        baseline: b.p99,
        target: p.saturated ? 'informational (Parley saturated)' : '<= 3x bare insert p99',
        met: p.saturated ? false : p.p99 <= 3 * b.p99,
        notes: `p50 ${p.p50} vs ${b.p50} ms; achieved ${p.achievedPerSecond}/s vs ${b.achievedPerSecond}/s`,
      }),
    );
  }
  const ceiling = (steps: Step[]) => Math.max(0, ...steps.filter((s) => !s.saturated).map((s) => s.achievedPerSecond));
  const pc = ceiling(parley);
  const bc = ceiling(baseline);
  const capped = !baseline.some((s) => s.saturated);
  results.push(
    row({
      scenario: NAME,
      metric: 'sustained rate (p99 <= 250 ms)',
      unit: 'msg/s',
      parley: pc,
      baselineName: 'bare insertOne',
      baseline: bc,
      target: '>= 50% of bare insert ceiling',
      met: pc >= 0.5 * bc,
      notes: `rates tried ${rates.join(', ')}/s, ${seconds} s each${capped ? '; bare insert never saturated, so its ceiling is at least this' : ''}`,
    }),
  );
  if (perSend) {
    results.push(
      row({
        scenario: NAME,
        metric: 'database commands per send (one at a time)',
        unit: 'cmds',
        parley: perSend.perRequest,
        baselineName: 'bare insertOne',
        baseline: 1,
        target: 'informational',
        met: null,
        notes: `${Object.entries(perSend.byName)
          .map(([name, n]) => `${n} ${name}`)
          .join(' + ')} (insert; room head: update + check; read marker: paced update)`,
      }),
    );
  }
  return results;
};
