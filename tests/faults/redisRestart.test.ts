// Redis goes away during traffic (killed; it keeps nothing) and comes back on the same
// port. While it is down, /api/health says redis is down (503), sends are refused at
// once with service_unavailable (socket ack or HTTP 503; no hang, no crash); when it
// returns the backends recover by themselves, nothing acknowledged is lost, and
// retried messages are stored once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, RoomEnterAnswer } from '../../src/shared/contract.js';
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
  type OutageRig,
} from './support/outage.js';
import { sleep } from './support/processes.js';
import { max, printSummary, tallyFields, scenario } from './support/report.js';

let rig: OutageRig;
let failed = false;
beforeAll(async () => {
  rig = await startOutageRig('redis');
});
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') failed = true;
});
afterAll(() => rig?.stop({ keepLogs: failed }));

describe('Redis restart during traffic', () => {
  it('health says redis is down, sends are refused cleanly, then everything recovers and nothing is lost', async () => {
    await scenario('Redis restart', rig.backends, async () => {
      const { cluster, backends, senders, onA, onB, roomId } = rig;
      const load = startLoad(senders, LOAD);
      rig.http.start(100);
      await sleep(800);

      const downAt = performance.now();
      await cluster.redis.crash();
      const detectMs = await healthOnAll(
        rig,
        '503 with redis down',
        (s, b) => s === 503 && b?.ok === false && b?.redis === 'down' && b?.database === 'up',
        5000,
      );
      // Entering a room needs Redis (presence): it should be refused the same clean way.
      const enterStarted = performance.now();
      const enter = (await onA[0]!
        .socket!.timeout(ANSWER_WITHIN_MS)
        .emitWithAck('room:enter', { roomId })
        .catch((e: Error) => ({ ok: false, error: { code: e.message } }))) as Ack<RoomEnterAnswer>;
      const enterMs = Math.round(performance.now() - enterStarted);
      await sleep(OUTAGE_MS);

      const backAt = performance.now();
      await cluster.redis.restart();
      const recoverMs = await healthOnAll(rig, '200 ok', (s, b) => s === 200 && b?.ok === true && b?.redis === 'up', 15_000);
      const recoveredAt = performance.now();
      const acrossMs = await sendsWorkAcross(rig);
      // Presence after the restart: the users still viewing the room are listed again.
      const viewers = (await onB[0]!.enter(roomId)).map((v) => v.userId).sort();

      await sleep(500);
      load.stop();
      await rig.http.stop();
      const { result, http } = await settleAndCheck(rig);
      const sock = outcomes(socketTries(rig), 'service_unavailable', downAt, recoveredAt);
      const post = outcomes(httpTries(rig), '503 service_unavailable', downAt, recoveredAt);
      printSummary('Redis restart', {
        detectMs: max(detectMs),
        recoverMs: max(recoverMs),
        redisRestartMs: Math.round(recoveredAt - backAt - max(recoverMs)),
        outageMs: Math.round(recoveredAt - downAt),
        socketSends: sock.tries,
        acked: sock.ok,
        refused503: sock.refused,
        unclean: JSON.stringify(sock.unclean),
        ackMsMax: sock.maxMs,
        httpPosts: post.tries,
        http201: post.ok,
        http503: post.refused,
        httpUnclean: JSON.stringify(post.unclean),
        httpMsMax: post.maxMs,
        roomEnter: enter.ok ? 'ok' : `${enter.error.code}(${enterMs}ms)`,
        sendAcrossAfterMs: acrossMs,
        viewersListedAfter: `${viewers.length}/${senders.length}`,
      });
      printSummary('Redis restart, history', { ...tallyFields(result), httpSent: http.sent, httpAcked: http.acked, httpInHistoryOnce: http.inHistoryOnce });

      expect(backends.map((b) => b.alive())).toEqual([true, true]);
      expect.soft(max(detectMs)).toBeLessThan(DETECT_WITHIN_MS);
      expect.soft(sock.refused).toBeGreaterThan(0);
      expect.soft(sock.unclean).toEqual({});
      expect.soft(post.unclean).toEqual({});
      expect.soft(sock.maxMs).toBeLessThan(ANSWER_WITHIN_MS);
      expect.soft(enter.ok ? 'ok' : enter.error.code).toBe('service_unavailable');
      expect.soft(result.lostAcked).toEqual([]);
      expect.soft(result.duplicates).toBe(0);
      expect.soft(result.inHistory).toBe(result.sent);
      expect.soft(http.inHistoryOnce).toBe(http.sent);
      // Every stored message reached every client (live, since none of them reconnected).
      expect.soft(result.gaps, 'stored messages some client never received').toEqual({});
      expect.soft(viewers).toEqual(
        rig.users
          .slice(0, 4)
          .map((u) => u.id)
          .sort(),
      );
    });
  });
});
