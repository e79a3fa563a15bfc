// Shared by the outage tests (Redis restart, database restart): a deployment of two
// backends with clients sending over sockets and HTTP, health probes on every
// backend, and the tallies of what was answered how while a dependency was down.
import { expect } from 'vitest';
import { createRoom, health, historyForward, register, request, type User } from './api.js';
import { ChatClient, type Try } from './chatClient.js';
import { startCluster, type Cluster } from './cluster.js';
import { HttpSender } from './httpSender.js';
import { sleep, waitFor, type Backend } from './processes.js';
import { max, tally, type Tally } from './report.js';

export const LIVENESS_MS = 1500;
/** An ack or HTTP answer slower than this counts as a hang. */
export const ANSWER_WITHIN_MS = 5000;
/** /api/health must report an outage within this long (a ping a second, 1.5 s ping limit: about 2.5 s, plus slack for a loaded machine). */
export const DETECT_WITHIN_MS = 5000;
/** How long the dependency stays away after every backend has noticed. */
export const OUTAGE_MS = 1500;
export const LOAD = { everyMs: 60, maxInFlight: 2 };

export interface OutageRig {
  cluster: Cluster;
  backends: Backend[];
  users: User[];
  roomId: string;
  /** Socket clients: two on each backend (index 0 = A, 1 = B). */
  onA: ChatClient[];
  onB: ChatClient[];
  senders: ChatClient[];
  /** Posts over HTTP to backend A. */
  http: HttpSender;
  stop(options: { keepLogs: boolean }): Promise<void>;
}

export async function startOutageRig(label: string): Promise<OutageRig> {
  // The load (a send every 60 ms per client, resent while refused) is above the default
  // per-user send budget on purpose: these tests are about outages, the budgets have their own.
  const cluster = await startCluster({
    label,
    backends: ['A', 'B'],
    livenessMs: LIVENESS_MS,
    env: { LIMIT_SENDS_PER_SECOND: '1000', LIMIT_SEND_BURST: '1000' },
  });
  const backends = [cluster.backends.A!, cluster.backends.B!];
  const urls = cluster.urls;
  const users: User[] = [];
  for (let i = 0; i < 5; i++) users.push(await register(urls[i % 2]!, `${label.slice(0, 3)}${i}`));
  const roomId = await createRoom(urls[0]!, users[0]!, 'Outages', users.slice(1));
  const connect = (user: User, start: number) =>
    ChatClient.connect({ name: user.username, urls, start, token: user.token, roomId, ackTimeoutMs: ANSWER_WITHIN_MS });
  const onA = [await connect(users[0]!, 0), await connect(users[2]!, 0)];
  const onB = [await connect(users[1]!, 1), await connect(users[3]!, 1)];
  const senders = [...onA, ...onB];
  const http = new HttpSender(`${label}-http`, urls[0]!, users[4]!.token, roomId, ANSWER_WITHIN_MS);
  return {
    cluster,
    backends,
    users,
    roomId,
    onA,
    onB,
    senders,
    http,
    async stop({ keepLogs }) {
      for (const client of senders) client.close();
      await http.stop();
      await cluster.stop({ keepLogs });
    },
  };
}

export interface Outcomes {
  tries: number;
  ok: number;
  refused: number;
  /** Anything but ok and the clean refusal: other error codes, timeouts, lost connections. */
  unclean: Record<string, number>;
  maxMs: number;
}

/** How the attempts made between `from` and `to` (performance.now()) were answered. */
export function outcomes(tries: Try[], refusal: string, from: number, to: number): Outcomes {
  const window = tries.filter((t) => t.at >= from && t.at <= to);
  const result: Outcomes = { tries: window.length, ok: 0, refused: 0, unclean: {}, maxMs: max(window.map((t) => t.ms)) };
  for (const t of window) {
    if (t.outcome === 'ok') result.ok++;
    else if (t.outcome === refusal) result.refused++;
    else result.unclean[t.outcome] = (result.unclean[t.outcome] ?? 0) + 1;
  }
  return result;
}

export const socketTries = (rig: OutageRig) => rig.senders.flatMap((c) => [...c.outbox.values()].flatMap((e) => e.tries));
export const httpTries = (rig: OutageRig) => [...rig.http.entries.values()].flatMap((e) => e.tries);

/** Waits until /api/health on every backend satisfies `ok`; returns ms per backend. */
export async function healthOnAll(rig: OutageRig, what: string, ok: (status: number, body: any) => boolean, timeoutMs: number): Promise<number[]> {
  const from = performance.now();
  return Promise.all(
    rig.backends.map((b) =>
      waitFor(
        `${b.name} health: ${what}`,
        async () => {
          if (!b.alive()) throw new Error(`backend ${b.name} is dead: ${b.lines.slice(-12).join('\n')}`);
          const res = await health(b.url);
          return ok(res.status, 'body' in res ? res.body : undefined) ? Math.round(performance.now() - from) : undefined;
        },
        timeoutMs,
        100,
      ),
    ),
  );
}

/** After recovery: a send on each backend succeeds and reaches a client on the other; returns ms. */
export async function sendsWorkAcross(rig: OutageRig): Promise<number> {
  const started = performance.now();
  for (const [from, to] of [
    [rig.onA[0]!, rig.onB[0]!],
    [rig.onB[1]!, rig.onA[1]!],
  ] as const) {
    // Within 10 s of health saying up (a few hundred ms is usual). What the last try met
    // goes into the failure, so a miss says why (refused how, unanswered, offline).
    let lastTry = '';
    await waitFor(
      () => `${from.name} can send again (last try: ${lastTry})`,
      async () => {
        const result = await from.sendAndWait();
        lastTry = `${result.ok ? 'ok' : (result.code ?? 'no answer')} after ${result.ms} ms, ${from.connected ? 'connected' : 'not connected'}`;
        return result.ok ? true : undefined;
      },
      10_000,
      200,
    );
    const last = [...from.outbox.values()].filter((e) => e.acked).at(-1)!;
    await to.waitForEvent('message:new', (e) => e.message.id === last.acked!.id, 5000);
  }
  return Math.round(performance.now() - started);
}

export interface Settled {
  result: Tally;
  http: { sent: number; acked: number; inHistoryOnce: number };
}

/** Retries everything unacknowledged (same clientIds) and compares with the stored history. */
export async function settleAndCheck(rig: OutageRig): Promise<Settled> {
  const flushed = await Promise.all([...rig.senders.map((c) => c.flush(15_000)), rig.http.flush(15_000)]);
  expect.soft(flushed.every(Boolean)).toBe(true);
  const history = await historyForward(rig.cluster.urls[1]!, rig.users[1]!.token, rig.roomId);
  const copies = new Map<string, number>();
  for (const m of history) copies.set(m.clientId, (copies.get(m.clientId) ?? 0) + 1);
  const entries = [...rig.http.entries.values()];
  return {
    result: tally(rig.senders, history),
    http: { sent: entries.length, acked: entries.filter((e) => e.acked).length, inHistoryOnce: entries.filter((e) => copies.get(e.clientId) === 1).length },
  };
}

/**
 * Clients loading history: `perBackend` loops on every backend, each fetching the
 * newest page again as soon as the last answer came (or failed). Database reads are
 * then always in flight, as with real users, including at the moment it goes away.
 */
export function startReaders(rig: OutageRig, perBackend: number): { tries: Try[]; stop(): Promise<void> } {
  const tries: Try[] = [];
  let running = true;
  const loops = rig.backends.flatMap((backend, b) =>
    Array.from({ length: perBackend }, async (_, i) => {
      const token = rig.users[(b + i) % rig.users.length]!.token;
      while (running) {
        const attempt: Try = { at: performance.now(), outcome: 'pending', ms: 0 };
        tries.push(attempt);
        try {
          const res = await request(backend.url, 'GET', `/rooms/${rig.roomId}/messages?limit=20`, { token, timeoutMs: 20_000 });
          attempt.outcome = res.status === 200 ? 'ok' : `${res.status} ${(res.body as { error?: { code?: string } } | undefined)?.error?.code ?? ''}`.trim();
        } catch (error) {
          attempt.outcome = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'network error';
        }
        attempt.ms = Math.round(performance.now() - attempt.at);
        await sleep(20);
      }
    }),
  );
  return {
    tries,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
