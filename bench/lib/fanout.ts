// Room fan-out traffic shared by scenarios 1 and 6: each room's sender sends 200-byte
// messages at a fixed rate (one a second unless told; rooms staggered across the
// interval) for a bounded time;
// every member's receipt is timed from the send and counted, so duplicates and
// losses show up.
import type { BenchClient } from './clients.js';
import { percentile, sleep, waitFor } from './stats.js';

export interface FanoutPlanRoom {
  roomId: string;
  sender: number;
  members: number[];
}

export interface FanoutOptions {
  clients: BenchClient[];
  rooms: FanoutPlanRoom[];
  durationS: number;
  /** Receivers whose latencies are also reported separately (e.g. those on the other process). */
  selected?: (clientIndex: number) => boolean;
  tag: string;
  /** Seconds at the start whose sends are checked for delivery but not timed (JIT, pools warming up). */
  warmupS?: number;
  /** Messages each room's sender sends per second (default 1). */
  perRoomPerSecond?: number;
}

export interface FanoutOutcome {
  sent: number;
  sendErrors: number;
  /** The first few send errors' messages, with how often each occurred. */
  sendErrorMessages: Record<string, number>;
  expected: number;
  delivered: number;
  duplicates: number;
  missing: number;
  latencies: number[];
  selectedLatencies: number[];
  p50: number;
  p99: number;
  selectedP99: number;
}

export async function runFanout(options: FanoutOptions): Promise<FanoutOutcome> {
  const { clients, rooms, durationS, tag } = options;
  const sentAt = new Map<string, number>();
  const expectedFor = new Map<string, Set<number>>();
  const seen = new Set<string>();
  let delivered = 0;
  let duplicates = 0;
  const latencies: number[] = [];
  const selectedLatencies: number[] = [];
  const unmeasured = new Set<string>();
  const membersOf = new Map(rooms.map((r) => [r.roomId, r.members]));

  clients.forEach((client, index) => {
    client.onMessage((message) => {
      const t0 = sentAt.get(message.clientId);
      if (t0 === undefined) return;
      const key = `${message.clientId}#${index}`;
      if (seen.has(key)) {
        duplicates++;
        return;
      }
      seen.add(key);
      if (!expectedFor.get(message.clientId)?.has(index)) return;
      delivered++;
      if (unmeasured.has(message.clientId)) return;
      const latency = performance.now() - t0;
      latencies.push(latency);
      if (options.selected?.(index)) selectedLatencies.push(latency);
    });
  });

  let sent = 0;
  let sendErrors = 0;
  const sendErrorMessages: Record<string, number> = {};
  const padding = 'm'.repeat(200);
  const pending: Promise<void>[] = [];
  const started = performance.now();
  const perSecond = options.perRoomPerSecond ?? 1;
  const intervalMs = 1000 / perSecond;
  const perRoom = Math.round(durationS * perSecond);
  const untimed = Math.round((options.warmupS ?? 0) * perSecond);
  const sendOne = (room: FanoutPlanRoom, k: number) => {
    const clientId = `${tag}-${room.roomId.slice(-6)}-${k}`;
    const text = `${clientId} ${padding}`.slice(0, 200);
    expectedFor.set(clientId, new Set(membersOf.get(room.roomId)));
    if (k < untimed) unmeasured.add(clientId);
    sentAt.set(clientId, performance.now());
    sent++;
    pending.push(
      clients[room.sender]!.send(room.roomId, clientId, text).catch((error: unknown) => {
        sendErrors++;
        const message = String((error as Error).message ?? error).slice(0, 120);
        if (message in sendErrorMessages || Object.keys(sendErrorMessages).length < 5) sendErrorMessages[message] = (sendErrorMessages[message] ?? 0) + 1;
      }),
    );
  };
  // Room r sends at r/R of every interval: the load is spread evenly, as real traffic is.
  await Promise.all(
    rooms.map(async (room, r) => {
      await sleep((r / rooms.length) * intervalMs);
      for (let k = 0; k < perRoom; k++) {
        const due = started + (r / rooms.length) * intervalMs + k * intervalMs;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        sendOne(room, k);
      }
    }),
  );
  await Promise.all(pending);
  const expected = [...expectedFor.values()].reduce((n, s) => n + s.size, 0);
  await waitFor(() => delivered >= expected, 10_000, 50);
  await sleep(300); // late duplicates would show here
  return {
    sent,
    sendErrors,
    sendErrorMessages,
    expected,
    delivered,
    duplicates,
    missing: expected - delivered,
    latencies,
    selectedLatencies,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    selectedP99: percentile(selectedLatencies, 99),
  };
}
