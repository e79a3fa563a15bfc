// Backpressure: with the bound on database work in flight set tiny, a burst is answered
// at once, some of it `503 overloaded` with a retry-after, instead of queueing into
// timeouts; the health check is not counted and keeps answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, ApiError, RoomEnterAnswer } from '../../../src/shared/contract.js';
import { ask } from '../../support/events.js';
import { startTestServer, type TestServer, type TestUser } from '../../support/server.js';

const BOUND = 2;
const BURST = 60;
/** Every answer, refused or not, comes well before any client would time out. */
const ANSWER_WITHIN_MS = 5000;

let server: TestServer;
let user: TestUser;
let roomId: string;
beforeAll(async () => {
  server = await startTestServer({ maxDatabaseWork: BOUND });
  user = await server.register('busy');
  roomId = await server.createRoom(user, 'busy');
});
afterAll(() => server?.close());

const timed = async <T>(work: () => Promise<T>) => {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
};

describe('a burst beyond the bound', () => {
  it('over HTTP: 200 or 503 overloaded with retryAfterMs and Retry-After, nothing else, all answered quickly; health stays 200', async () => {
    const health = server.request('GET', '/health');
    const answers = await Promise.all(
      Array.from({ length: BURST }, () => timed(() => server.request('GET', `/rooms/${roomId}/messages`, { token: user.token }))),
    );
    const statuses = answers.map((a) => a.result.status);
    const overloaded = answers.filter((a) => a.result.status === 503).map((a) => a.result);

    expect(new Set(statuses)).toEqual(new Set([200, 503]));
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(BOUND);
    for (const res of overloaded) {
      const error = res.body.error as ApiError;
      expect(error.code).toBe('overloaded');
      expect(error.retryAfterMs).toBeGreaterThan(0);
      expect(res.headers.get('retry-after')).toBe(String(Math.ceil(error.retryAfterMs! / 1000)));
    }
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(ANSWER_WITHIN_MS);
    expect((await health).status).toBe(200);

    // Nothing stays counted: once the burst is over, requests go through again.
    expect((await server.request('GET', `/rooms/${roomId}/messages`, { token: user.token })).status).toBe(200);
  });

  it('over the socket: acks are ok or overloaded with retryAfterMs, all answered quickly', async () => {
    const socket = await server.socket(user.token);
    const answers = await Promise.all(Array.from({ length: BURST }, () => timed(() => ask<Ack<RoomEnterAnswer>>(socket, 'room:enter', { roomId }))));
    const refusals = answers.flatMap((a) => (a.result.ok ? [] : [a.result.error]));
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.length).toBeLessThan(BURST);
    expect(new Set(refusals.map((e) => e.code))).toEqual(new Set(['overloaded']));
    expect(refusals.every((e) => (e.retryAfterMs ?? 0) > 0)).toBe(true);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(ANSWER_WITHIN_MS);
  });

  it('sends refused as overloaded are not stored', async () => {
    const socket = await server.socket(user.token);
    const answers = await Promise.all(
      Array.from({ length: BURST }, (_, i) => ask<Ack>(socket, 'message:send', { roomId, clientId: `overload-${i}`, text: `n ${i}` })),
    );
    const acked = answers.flatMap((a, i) => (a.ok ? [`overload-${i}`] : []));
    expect(acked.length).toBeLessThan(BURST);
    const stored = await server.database.db
      .collection<{ clientId: string }>('messages')
      .find({ clientId: { $regex: '^overload-' } }, { projection: { clientId: 1 } })
      .toArray();
    expect(stored.map((d) => d.clientId).sort()).toEqual(acked.sort());
  });
});
