// The database goes away during traffic (stopped) and comes back on the same port and
// data folder. While it is down, /api/health says the database is down (503), sends
// are refused at once with service_unavailable (socket ack or HTTP 503; no hang, no
// crash); when it returns the backends recover by themselves, nothing acknowledged is
// lost, and retried messages are stored once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { request } from './support/api.js';
import { startLoad } from './support/chatClient.js';
import {
  ANSWER_WITHIN_MS,
  DETECT_WITHIN_MS,
  LOAD,
  OUTAGE_MS,
  healthOnAll,
  httpTries,
  outcomes,
  sendsWorkAcross,
  settleAndCheck,
  socketTries,
  startOutageRig,
  startReaders,
  type OutageRig,
} from './support/outage.js';
import { sleep } from './support/processes.js';
import { max, median, printSummary, tallyFields, scenario } from './support/report.js';

let rig: OutageRig;
let failed = false;
beforeAll(async () => {
  rig = await startOutageRig('database');
});
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') failed = true;
});
afterAll(() => rig?.stop({ keepLogs: failed }));

describe('database restart during traffic', () => {
  it('health says the database is down, sends are refused cleanly, then everything recovers and nothing is lost', async () => {
    await scenario('database restart', rig.backends, async () => {
      const { cluster, backends, senders, users, roomId } = rig;
      const load = startLoad(senders, LOAD);
      rig.http.start(100);
      const readers = startReaders(rig, 2);
      await sleep(800);

      const downAt = performance.now();
      await cluster.database.stop();
      const stopMs = Math.round(performance.now() - downAt);
      const detectMs = await healthOnAll(rig, '503 with database down', (s, b) => s === 503 && b?.ok === false && b?.database === 'down', 20_000);
      // A read while the database is down: how long until it is answered, and how.
      const reading = request(cluster.urls[0]!, 'GET', `/rooms/${roomId}/messages`, { token: users[0]!.token, timeoutMs: 20_000 }).catch((e: Error) => ({
        status: 0,
        ms: -1,
        body: e.message,
      }));
      await sleep(OUTAGE_MS);

      const backAt = performance.now();
      await cluster.database.start();
      const recoverMs = await healthOnAll(rig, '200 ok', (s, b) => s === 200 && b?.ok === true && b?.database === 'up', 20_000);
      const recoveredAt = performance.now();
      const acrossMs = await sendsWorkAcross(rig);
      const read = await reading;

      await sleep(500);
      load.stop();
      await rig.http.stop();
      await readers.stop();
      const { result, http } = await settleAndCheck(rig);
      const sock = outcomes(socketTries(rig), 'service_unavailable', downAt, recoveredAt);
      const post = outcomes(httpTries(rig), '503 service_unavailable', downAt, recoveredAt);
      const reads = outcomes(readers.tries, '503 service_unavailable', downAt, recoveredAt);
      const ackMs = socketTries(rig)
        .filter((t) => t.at >= downAt && t.at <= recoveredAt)
        .map((t) => t.ms);
      printSummary('database restart', {
        stopMs,
        detectMs: max(detectMs),
        recoverMs: max(recoverMs),
        databaseRestartMs: Math.round(recoveredAt - backAt - max(recoverMs)),
        outageMs: Math.round(recoveredAt - downAt),
        socketSends: sock.tries,
        acked: sock.ok,
        refused503: sock.refused,
        unclean: JSON.stringify(sock.unclean),
        ackMsMaxMedian: `${sock.maxMs}/${median(ackMs)}`,
        httpPosts: post.tries,
        http201: post.ok,
        http503: post.refused,
        httpUnclean: JSON.stringify(post.unclean),
        httpMsMax: post.maxMs,
        historyReadDuringOutage: `${read.status}(${read.ms}ms)`,
        reads: reads.tries,
        reads503: reads.refused,
        readsUnclean: JSON.stringify(reads.unclean),
        readMsMax: reads.maxMs,
        sendAcrossAfterMs: acrossMs,
      });
      printSummary('database restart, history', { ...tallyFields(result), httpSent: http.sent, httpAcked: http.acked, httpInHistoryOnce: http.inHistoryOnce });

      expect(backends.map((b) => b.alive())).toEqual([true, true]);
      // The health check pings every second with a 1.5 s limit: an outage shows within about 2.5 s.
      expect.soft(max(detectMs)).toBeLessThan(DETECT_WITHIN_MS);
      expect.soft(sock.refused).toBeGreaterThan(0);
      expect.soft(sock.unclean).toEqual({});
      expect.soft(post.unclean).toEqual({});
      expect.soft(sock.maxMs).toBeLessThan(ANSWER_WITHIN_MS);
      expect.soft(post.maxMs).toBeLessThan(ANSWER_WITHIN_MS);
      expect.soft(result.lostAcked).toEqual([]);
      expect.soft(result.duplicates).toBe(0);
      expect.soft(result.inHistory).toBe(result.sent);
      expect.soft(http.inHistoryOnce).toBe(http.sent);
      // Every stored message reached every client (live, since none of them reconnected).
      expect.soft(result.gaps, 'stored messages some client never received').toEqual({});
      expect.soft(senders.every((c) => c.connected)).toBe(true);
    });
  });
});
