// Logout racing many socket handshakes of the same session. A handshake checks the
// session and then joins the session's channel; a logout landing between the two used
// to miss that socket, which then lived on with a dead token. Every round opens a burst
// of sockets with one token and logs it out while they are still connecting.
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuthResponse } from '../../../src/shared/contract.js';
import { hashSessionToken } from '../../../server/services/secrets.js';
import { startTestServer, type ClientSocket, type TestServer, type TestUser } from '../../support/server.js';

const ROUNDS = 15;
const SOCKETS_PER_ROUND = 60;
/** How long a socket that is still connected after the logout gets to be cut off. */
const SETTLE_MS = 2000;

let server: TestServer;
let user: TestUser;
beforeAll(async () => {
  server = await startTestServer();
  user = await server.register('racer');
});
afterAll(() => server?.close());

type Outcome = 'refused' | 'ended' | 'alive';

/** Opens sockets with one token; each settles as refused (handshake failed) or ended (cut off after connecting). */
function burst(token: string, count: number) {
  const sockets: ClientSocket[] = [];
  const outcomes: Array<Promise<Outcome>> = [];
  let connected = 0;
  const connectedListeners: Array<() => void> = [];
  for (let i = 0; i < count; i++) {
    const socket: ClientSocket = connect(server.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    socket.once('connect', () => {
      connected++;
      for (const listener of connectedListeners) listener();
    });
    outcomes.push(
      new Promise((resolve) => {
        socket.once('connect_error', () => resolve('refused'));
        socket.once('disconnect', () => resolve('ended'));
      }),
    );
  }
  return {
    sockets,
    /** Resolves once `n` sockets of the burst have connected (or at once if already). */
    connectedAtLeast(n: number): Promise<void> {
      return new Promise((resolve) => {
        const check = () => connected >= n && resolve();
        connectedListeners.push(check);
        check();
      });
    },
    /** Every socket's outcome; one still connected SETTLE_MS after the logout counts as alive. */
    async settle(): Promise<Outcome[]> {
      const alive = new Promise<'alive'>((resolve) => setTimeout(() => resolve('alive'), SETTLE_MS));
      return Promise.all(outcomes.map((outcome) => Promise.race([outcome, alive])));
    },
  };
}

it(`logout ends every socket of the session, even ${SOCKETS_PER_ROUND} caught mid-handshake (${ROUNDS} rounds)`, async () => {
  // The same user's other session (another device) must not be touched by any of it.
  const otherDevice = await server.socket(user.token);
  const deadTokens: string[] = [];
  const survivors: Array<{ round: number; alive: number }> = [];
  let caughtMidHandshake = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const login = await server.request('POST', '/auth/login', { body: { login: user.user.username, password: user.password } });
    expect(login.status).toBe(200);
    const { token } = login.body as AuthResponse;
    const sockets = burst(token, SOCKETS_PER_ROUND);
    // Log out once a varying share of the burst is in, so the logout lands among handshakes in flight.
    await sockets.connectedAtLeast(Math.floor((SOCKETS_PER_ROUND * (round % 5)) / 5));
    const logout = await server.request('POST', '/auth/logout', { token });
    expect(logout.status).toBe(204);
    deadTokens.push(token);

    const outcomes = await sockets.settle();
    caughtMidHandshake += outcomes.filter((o) => o === 'refused').length;
    // A survivor is a socket still connected with the dead token, free to send and receive.
    const alive = sockets.sockets.filter((s) => s.connected).length;
    expect(alive).toBe(outcomes.filter((o) => o === 'alive').length);
    if (alive) survivors.push({ round, alive });
    for (const socket of sockets.sockets) socket.close();
  }
  expect(survivors).toEqual([]);
  // The rounds did race: some handshakes were still in flight when the session ended.
  expect(caughtMidHandshake).toBeGreaterThan(0);

  // The server holds no connection of any ended session, and no ended token works anywhere.
  const deadHashes = new Set(deadTokens.map(hashSessionToken));
  const lingering = [...server.app.io.sockets.sockets.values()].filter((s) => deadHashes.has(s.data.tokenHash));
  expect(lingering.map((s) => s.id)).toEqual([]);
  for (const token of deadTokens) expect((await server.request('GET', '/me', { token })).status).toBe(401);
  expect(otherDevice.connected).toBe(true);
  expect((await server.request('GET', '/me', { token: user.token })).status).toBe(200);
});
