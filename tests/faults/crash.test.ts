// kill -9 of one backend process while clients on both processes send: nothing
// acknowledged is lost or doubled, the killed process's clients move to the survivor,
// catch up and resend, and the dead process's viewers are cleared after
// PRESENCE_LIVENESS_MS.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRoom, historyBackward, historyForward, register, type User } from './support/api.js';
import { ChatClient, startLoad } from './support/chatClient.js';
import { startCluster, type Cluster } from './support/cluster.js';
import { sleep, until } from './support/processes.js';
import { explainGaps, max, median, printSummary, tally, tallyFields, timing, scenario } from './support/report.js';

const LIVENESS_MS = 1500;
const SENDERS_PER_PROCESS = 3;
const LOAD = { everyMs: 40, maxInFlight: 4 };
const BEFORE_KILL_MS = 1500;
const AFTER_KILL_MS = 2500;

let cluster: Cluster;
let failed = false;
const clients: ChatClient[] = [];

beforeAll(async () => {
  // The load (a send every 40 ms per client) is above the default per-user send budget on purpose: this test is about crashes.
  cluster = await startCluster({
    label: 'crash',
    backends: ['A', 'B'],
    livenessMs: LIVENESS_MS,
    env: { LIMIT_SENDS_PER_SECOND: '1000', LIMIT_SEND_BURST: '1000', LIMIT_SENDS_IN_FLIGHT_PER_USER: '1000' },
  });
});
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') failed = true;
});
afterAll(async () => {
  for (const client of clients) client.close();
  await cluster?.stop({ keepLogs: failed });
});

describe('kill -9 of one backend under load', () => {
  it('loses and doubles nothing; its clients fail over, catch up and resend; its viewers are cleared', async () => {
    await scenario('kill -9', Object.values(cluster.backends), async () => {
      const { A, B } = cluster.backends as Record<'A' | 'B', (typeof cluster.backends)[string]>;
      const urls = [A.url, B.url];
      const users: User[] = [];
      for (let i = 0; i < SENDERS_PER_PROCESS * 2; i++) users.push(await register(urls[i % 2]!, `s${i}`));
      const ghost = await register(A.url, 'ghost');
      const roomId = await createRoom(A.url, users[0]!, 'Crash', [...users.slice(1), ghost]);

      const onA: ChatClient[] = [];
      const onB: ChatClient[] = [];
      for (const [i, user] of users.entries()) {
        const start = i < SENDERS_PER_PROCESS ? 0 : 1;
        const client = await ChatClient.connect({ name: user.username, urls, start, token: user.token, roomId });
        (start === 0 ? onA : onB).push(client);
        clients.push(client);
      }
      // A user whose only connection is on A and who does not come back.
      const ghostClient = await ChatClient.connect({ name: ghost.username, urls, start: 0, token: ghost.token, roomId, failover: false });
      clients.push(ghostClient);
      const senders = [...onA, ...onB];

      const load = startLoad(senders, LOAD);
      await sleep(BEFORE_KILL_MS);
      const killedAt = performance.now();
      const exit = await A.kill();
      await sleep(AFTER_KILL_MS);
      load.stop();

      // Presence: every survivor sees the ghost leave once A's liveness key has expired.
      const leftMs: number[] = [];
      for (const watcher of onB) {
        const left = await watcher.waitForEvent('room:presence', (e) => e.user.userId === ghost.id && e.action === 'left', LIVENESS_MS + 5000);
        leftMs.push(Math.round(left.at - killedAt));
      }

      // Everything not yet acknowledged is retried until it is; then live delivery settles.
      const flushed = await Promise.all(senders.map((c) => c.flush(15_000)));
      expect(flushed.every(Boolean)).toBe(true);
      await expect.poll(() => onA.map((c) => c.failovers.length), { timeout: 15_000 }).toEqual(onA.map(() => 1));
      const history = await historyForward(B.url, users[0]!.token, roomId);
      await until(() => senders.every((c) => history.every((m) => c.held.has(m.id))), 3000);

      const backward = await historyBackward(B.url, users[0]!.token, roomId);
      const result = tally(senders, history);
      const failovers = onA.flatMap((c) => c.failovers);
      const viewersNow = (await onB[0]!.enter(roomId)).map((v) => v.userId).sort();
      const flickers = onB[0]!.eventsOf('room:presence').filter((e) => e.action === 'left' && e.user.userId !== ghost.id).length;
      const ackLatencies = senders.flatMap((c) => [...c.outbox.values()].flatMap((e) => e.latencies));
      printSummary('kill -9', {
        ...tallyFields(result),
        caughtUp: failovers.reduce((n, f) => n + f.caughtUp, 0),
        resentOnReconnect: failovers.reduce((n, f) => n + f.resent, 0),
        reconnectMsMaxMedian: timing(failovers.map((f) => f.ms)),
        presenceLeftMs: `${max(leftMs)}/${median(leftMs)}`,
        presenceFlickers: flickers,
        ackMsMaxMedian: timing(ackLatencies),
        exit: exit.signal ?? exit.code ?? '?',
      });

      for (const line of explainGaps(result, history, senders)) console.log(line);
      expect.soft(exit.signal).toBe('SIGKILL');
      expect.soft(B.alive()).toBe(true);
      expect.soft(backward.map((m) => m.id)).toEqual(history.map((m) => m.id));
      expect.soft(result.lostAcked).toEqual([]);
      expect.soft(result.duplicates).toBe(0);
      expect.soft(result.acked).toBe(result.sent);
      expect.soft(result.inHistory).toBe(result.sent);
      expect.soft(failovers.map((f) => f.to)).toEqual(onA.map(() => B.url));
      expect.soft(result.phantoms).toEqual({});
      // Clients that moved caught up; clients that stayed on B got every message live.
      const gapsOf = (group: ChatClient[]) => Object.fromEntries(Object.entries(result.gaps).filter(([name]) => group.some((c) => c.name === name)));
      expect.soft(gapsOf(onA), 'messages the failed-over clients never got').toEqual({});
      expect.soft(gapsOf(onB), 'messages the clients that stayed on B never got').toEqual({});
      expect.soft(max(leftMs)).toBeLessThanOrEqual(LIVENESS_MS + 2500);
      expect.soft(viewersNow).toEqual(users.map((u) => u.id).sort());
    });
  });
});
