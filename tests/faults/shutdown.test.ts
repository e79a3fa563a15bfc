// Graceful shutdown: SIGTERM to one backend while its clients send. They are told
// (server:shutdown), move to the other process and lose nothing; the process drains
// its writes and exits 0; its viewers leave at once rather than after the liveness
// timeout.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRoom, historyForward, register, type User } from './support/api.js';
import { ChatClient, startLoad } from './support/chatClient.js';
import { startCluster, type Cluster } from './support/cluster.js';
import { sleep, until } from './support/processes.js';
import { explainGaps, max, printSummary, tally, tallyFields, timing, scenario } from './support/report.js';

const LIVENESS_MS = 1500;
const GRACE_MS = 2000;
const LOAD = { everyMs: 5, maxInFlight: 3 };

let cluster: Cluster;
let failed = false;
const clients: ChatClient[] = [];

beforeAll(async () => {
  // The load (a send every 5 ms per client) is far above the default per-user send budget on purpose: this test is about shutdowns.
  cluster = await startCluster({
    label: 'shutdown',
    backends: ['A', 'B'],
    livenessMs: LIVENESS_MS,
    shutdownGraceMs: GRACE_MS,
    env: { LIMIT_SENDS_PER_SECOND: '10000', LIMIT_SEND_BURST: '10000', LIMIT_SENDS_IN_FLIGHT_PER_USER: '10000' },
  });
});
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') failed = true;
});
afterAll(async () => {
  for (const client of clients) client.close();
  await cluster?.stop({ keepLogs: failed });
});

describe('SIGTERM to one backend while clients send', () => {
  it('tells its clients, who move to the other process and lose nothing; it exits 0', async () => {
    await scenario('SIGTERM', Object.values(cluster.backends), async () => {
      const { A, B } = cluster.backends as Record<'A' | 'B', (typeof cluster.backends)[string]>;
      const urls = [A.url, B.url];
      const users: User[] = [];
      for (let i = 0; i < 4; i++) users.push(await register(urls[i % 2]!, `t${i}`));
      const ghost = await register(A.url, 'ghost');
      const roomId = await createRoom(A.url, users[0]!, 'Shutdown', [...users.slice(1), ghost]);

      // Three senders on A, one on B; a viewer on A that does not come back.
      const onA = await Promise.all(users.slice(0, 3).map((u) => ChatClient.connect({ name: u.username, urls, start: 0, token: u.token, roomId })));
      const onB = [await ChatClient.connect({ name: users[3]!.username, urls, start: 1, token: users[3]!.token, roomId })];
      const ghostClient = await ChatClient.connect({ name: ghost.username, urls, start: 0, token: ghost.token, roomId, failover: false });
      clients.push(...onA, ...onB, ghostClient);
      const senders = [...onA, ...onB];

      const load = startLoad(senders, LOAD);
      await sleep(1000);
      const termAt = performance.now();
      A.signal('SIGTERM');
      const exit = await Promise.race([A.exited, sleep(GRACE_MS + 10_000).then(() => undefined)]);
      const exitMs = Math.round(performance.now() - termAt);
      await sleep(1500);
      load.stop();

      const flushed = await Promise.all(senders.map((c) => c.flush(15_000)));
      expect(flushed.every(Boolean)).toBe(true);
      await expect.poll(() => onA.map((c) => c.failovers.length), { timeout: 10_000 }).toEqual(onA.map(() => 1));
      const history = await historyForward(B.url, users[3]!.token, roomId);
      await until(() => senders.every((c) => history.every((m) => c.held.has(m.id))), 3000);
      const result = tally(senders, history);
      const failovers = onA.flatMap((c) => c.failovers);
      const notices = [...onA, ghostClient].map((c) => c.events.find((e) => e.event === 'server:shutdown'));
      const left = onB[0]!.events.find((e) => e.event === 'room:presence' && e.payload.user.userId === ghost.id && e.payload.action === 'left');
      const errorsLogged = A.lines.filter((l) => l.startsWith('[stderr]') || /"level":(50|60)/.test(l)).map(describeLogLine);
      printSummary('SIGTERM', {
        ...tallyFields(result),
        exit: exit ? (exit.code ?? exit.signal ?? '?') : 'none',
        exitMs,
        noticesReceived: `${notices.filter(Boolean).length}/${notices.length}`,
        noticeMsMax: max(notices.filter((n) => n !== undefined).map((n) => Math.round(n.at - termAt))),
        reconnectMsMaxMedian: timing(failovers.map((f) => f.ms)),
        resentOnReconnect: failovers.reduce((n, f) => n + f.resent, 0),
        presenceLeftMs: left ? Math.round(left.at - termAt) : 'none',
        errorsLogged: errorsLogged.length,
      });
      for (const line of explainGaps(result, history, senders)) console.log(line);

      expect.soft(exit).toEqual({ code: 0, signal: null });
      expect.soft(exitMs).toBeLessThan(GRACE_MS + 5000);
      expect.soft(notices.every(Boolean)).toBe(true);
      // The notice comes before the connection closes.
      for (const client of onA) {
        const notice = client.events.find((e) => e.event === 'server:shutdown');
        expect.soft(notice?.at ?? Infinity).toBeLessThanOrEqual(client.disconnects[0]?.at ?? 0);
      }
      expect.soft(failovers.map((f) => f.to)).toEqual(onA.map(() => B.url));
      expect.soft(result.lostAcked).toEqual([]);
      expect.soft(result.duplicates).toBe(0);
      expect.soft(result.acked).toBe(result.sent);
      expect.soft(result.inHistory).toBe(result.sent);
      expect.soft(result.phantoms).toEqual({});
      const gapsOf = (group: ChatClient[]) => Object.fromEntries(Object.entries(result.gaps).filter(([name]) => group.some((c) => c.name === name)));
      expect.soft(gapsOf(onA), 'messages the failed-over clients never got').toEqual({});
      expect.soft(gapsOf(onB), 'messages the client that stayed on B never got').toEqual({});
      // A graceful stop clears its viewers itself, well before the liveness timeout would.
      expect.soft(left).toBeDefined();
      expect.soft(left ? left.at - termAt : Infinity).toBeLessThan(GRACE_MS + LIVENESS_MS);
      // Writes cut off by closing the database or Redis under them show up as errors in the log.
      expect.soft(errorsLogged).toEqual([]);
      expect.soft(B.alive()).toBe(true);
    });
  });
});

/** "message (ErrorType: error message)" for a JSON log line; other lines as they are. */
function describeLogLine(line: string): string {
  try {
    const entry = JSON.parse(line) as { msg?: string; err?: { type?: string; message?: string } | string };
    const err = typeof entry.err === 'string' ? entry.err : entry.err && `${entry.err.type}: ${entry.err.message}`;
    return `${entry.msg ?? ''}${err ? ` (${err})` : ''}`;
  } catch {
    return line.slice(0, 200);
  }
}
