// Smoke test of the benchmark harness (bench/): a bare Socket.IO server child, a few
// clients and two seconds of fan-out traffic, every delivery counted once. Keeps
// `npm run bench` from rotting without running it.
import { afterAll, describe, expect, it } from 'vitest';
import { connectAll, type BenchClient } from '../../bench/lib/clients.js';
import { runFanout } from '../../bench/lib/fanout.js';
import { startBare, type ServerProcess } from '../../bench/lib/procs.js';
import { row } from '../../bench/lib/result.js';
import { percentile } from '../../bench/lib/stats.js';

describe('benchmark harness', () => {
  let server: ServerProcess | undefined;
  let clients: BenchClient[] = [];
  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.kill();
  });

  it('computes percentiles and ratios', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    expect(row({ scenario: 's', metric: 'm', unit: 'ms', parley: 6, baselineName: 'b', baseline: 3, target: 't', met: true }).ratio).toBe(2);
  });

  it('runs bounded fan-out traffic against a bare Socket.IO server and counts every delivery once', async () => {
    server = await startBare('socketio');
    const rooms = ['r0', 'r1'];
    clients = await connectAll('socketio', Array.from({ length: 10 }, (_, i) => ({ url: server!.url, rooms: [rooms[i % 2]!] })));
    const plan = rooms.map((roomId, r) => ({ roomId, sender: r, members: [0, 2, 4, 6, 8].map((m) => m + r) }));
    const outcome = await runFanout({ clients, rooms: plan, durationS: 2, tag: 'smoke' });
    expect(outcome.sent).toBe(4);
    expect(outcome.expected).toBe(20);
    expect(outcome.delivered).toBe(20);
    expect(outcome.duplicates).toBe(0);
    expect(outcome.p99).toBeGreaterThan(0);
  });
});
