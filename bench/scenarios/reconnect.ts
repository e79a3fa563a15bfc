// Scenario 4: reconnect storm. N clients connected to server/main.ts; the process is
// restarted (SIGTERM, then started again on the same port). Each client reconnects by
// itself (socket.io-client back-off as in the renderer: 500 ms .. 5 s) and resumes its
// room as the renderer does: `room:enter` again, then GET ?after=<catchUpCursor(newest
// seq held)> pages if the entered page does not reach back that far. Messages are sent
// just before the restart and while the clients are reconnecting; afterwards every
// client must hold every message of its room. Baseline: the same clients against a
// bare Socket.IO server that is killed and restarted (reconnect only, nothing to fetch).
import { catchUpCursor, type Ack, type Message, type RoomEnterAnswer } from '../../src/shared/contract.js';
import { ParleyApi } from '../../tests/support/apiClient.js';
import { connectAll, parleySocket, type ParleyClientSocket } from '../lib/clients.js';
import type { BackendScenario } from '../lib/context.js';
import { startBare, startParley } from '../lib/procs.js';
import { row } from '../lib/result.js';
import { seedRooms, seedUsers } from '../lib/seed.js';
import { mapLimit, percentile, round, sleep, waitFor } from '../lib/stats.js';

const NAME = '4. reconnect storm';
const TARGET_MS = 10_000;

interface Tracked {
  socket: ParleyClientSocket;
  roomId: string;
  port: number;
  held: Map<string, string>; // message id -> clientId
  /** The highest seq held (0: none yet). */
  newest: number;
  caughtUpAt: number | null;
}

/** Every message after `from`, page by page (GET ?after=), as the renderer catches up. */
async function catchUpOverHttp(token: string, t: Tracked, from: number | 'start', hold: (m: Message) => void): Promise<void> {
  const api = new ParleyApi(`http://127.0.0.1:${t.port}`);
  let cursor = from;
  for (;;) {
    const page = await api.history({ token }, t.roomId, { after: cursor, limit: 200 });
    for (const m of page.messages) hold(m);
    const last = page.messages.at(-1);
    if (!page.hasNewer || !last) return;
    cursor = last.seq;
  }
}

export const reconnectScenario: BackendScenario = async (ctx) => {
  const count = Math.round((500 * ctx.scale) / 10) * 10;
  const database = await ctx.newDatabase('reconnect');
  const users = await seedUsers(database.db, count);
  const rooms = await seedRooms(database.db, users, 10);
  const roomOf = new Map<number, string>();
  for (const r of rooms) for (const m of r.members) roomOf.set(m, r.roomId);

  // Baseline: bare Socket.IO restart.
  const bare = await startBare('socketio');
  const bareClients = await connectAll(
    'socketio',
    users.map((_, i) => ({ url: bare.url, rooms: [roomOf.get(i)!], reconnection: true })),
  );
  const bareBack: (number | null)[] = bareClients.map(() => null);
  await bare.kill();
  const bareKilledAt = performance.now();
  const bare2 = await startBare('socketio', bare.port);
  // socket.io-client has no per-client "reconnected" hook on BenchClient; poll by a round trip.
  await Promise.all(
    bareClients.map(async (c, i) => {
      const deadline = performance.now() + 30_000;
      while (performance.now() < deadline) {
        const ok = await Promise.race([c.send(roomOf.get(i)!, `ping-${i}`, 'p').then(() => true), sleep(250).then(() => false)]);
        if (ok) {
          bareBack[i] = performance.now() - bareKilledAt;
          return;
        }
      }
    }),
  );
  for (const c of bareClients) c.close();
  await bare2.kill();
  const bareTimes = bareBack.filter((t): t is number => t !== null);
  ctx.log(`bare Socket.IO: ${bareTimes.length}/${count} back, p95 ${round(percentile(bareTimes, 95))} ms`);

  // Parley.
  let server = await startParley({ mongoUri: ctx.mongoUri, dbName: database.name, nodeFlags: ctx.serverNodeFlags });
  const port = server.port;
  const tracked: Tracked[] = [];
  let restartAt = 0;
  const fetchErrors: string[] = [];
  await mapLimit(users, 50, async (user, i) => {
    const socket = parleySocket(server.url, user.token, true);
    const t: Tracked = { socket, roomId: roomOf.get(i)!, port, held: new Map(), newest: 0, caughtUpAt: null };
    tracked[i] = t;
    const hold = (m: Message) => {
      if (m.roomId !== t.roomId) return;
      t.held.set(m.id, m.clientId);
      if (m.seq > t.newest) t.newest = m.seq;
    };
    socket.on('message:new', ({ message }) => hold(message));
    socket.io.on('reconnect', () => {
      // As the renderer resumes a room (src/renderer/app/history.ts resumeAtTail): enter it
      // again, merge the latest page when it reaches back to what was held, else fetch what
      // came after catchUpCursor(newest held).
      const newestHeld = t.newest;
      const resume = async () => {
        for (let attempt = 0; attempt < 20; attempt++) {
          try {
            const latest: Ack<RoomEnterAnswer> = await socket.timeout(15_000).emitWithAck('room:enter', { roomId: t.roomId });
            if (!latest.ok) throw new Error(`room:enter ${latest.error.code}`);
            for (const m of latest.messages) hold(m);
            const from = catchUpCursor(newestHeld);
            const first = latest.messages[0]?.seq;
            if (latest.hasOlder && first !== undefined && first > (from === 'start' ? 1 : from + 1)) await catchUpOverHttp(user.token, t, from, hold);
            t.caughtUpAt = performance.now() - restartAt;
            return;
          } catch (error) {
            fetchErrors.push((error as Error).message);
          }
          await sleep(250);
        }
      };
      void resume();
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
  });
  ctx.log(`parley: ${count} connected`);
  const senders = rooms.map((r) => tracked[r.members[0]!]!.socket);
  const sendRound = (label: string) =>
    Promise.all(
      rooms.map(
        (r, k) =>
          new Promise<unknown>((resolve) =>
            senders[k]!.timeout(15_000).emit('message:send', { roomId: r.roomId, clientId: `${label}-${k}`, text: `${label} message` }, resolve),
          ),
      ),
    );
  await sendRound('before');
  await waitFor(() => tracked.every((t) => t.held.size >= 1), 10_000);

  restartAt = performance.now();
  await server.stop();
  const downFor = performance.now() - restartAt;
  server = await startParley({ port, mongoUri: ctx.mongoUri, dbName: database.name, nodeFlags: ctx.serverNodeFlags });
  const upAfter = performance.now() - restartAt;
  ctx.log(`restart: old process gone after ${round(downFor)} ms, new one healthy after ${round(upAfter)} ms`);
  // Sent while the storm is going on, by HTTP (the senders' sockets may still be away).
  await mapLimit(rooms, 20, async (r, k) => {
    const author = users[r.members[0]!]!;
    await new ParleyApi(server.url).attempt('POST /rooms/:roomId/messages', {
      token: author.token,
      params: { roomId: r.roomId },
      body: { clientId: `during-${k}`, text: 'sent during the storm' },
    });
  });
  await waitFor(() => tracked.every((t) => t.caughtUpAt !== null), 30_000, 100);
  await sleep(1000);
  // Nothing lost: every client holds every message of its room.
  const inDb = await database.db
    .collection('messages')
    .find({}, { projection: { _id: 1, roomId: 1, clientId: 1 } })
    .toArray();
  const perRoom = new Map<string, Array<{ id: string; clientId: string }>>();
  for (const d of inDb) {
    const key = String(d.roomId);
    perRoom.set(key, [...(perRoom.get(key) ?? []), { id: String(d._id), clientId: String(d.clientId) }]);
  }
  let lost = 0;
  /** Which messages went missing where, and whether that client had resumed (for diagnosis). */
  const lostSamples: Array<{ member: number; clientId: string; resumedMs: number | null }> = [];
  tracked.forEach((t, member) => {
    for (const m of perRoom.get(t.roomId) ?? []) {
      if (t.held.has(m.id)) continue;
      lost++;
      if (lostSamples.length < 20) lostSamples.push({ member, clientId: m.clientId, resumedMs: t.caughtUpAt && round(t.caughtUpAt) });
    }
  });
  const times = tracked.map((t) => t.caughtUpAt).filter((x): x is number => x !== null);
  const within = times.filter((x) => x <= TARGET_MS).length / count;
  for (const t of tracked) t.socket.disconnect();
  await server.stop();
  ctx.details.reconnect = {
    clients: count,
    rooms: rooms.length,
    oldProcessGoneMs: round(downFor),
    newProcessHealthyMs: round(upAfter),
    parleyCaughtUp: times.length,
    parleyP50: round(percentile(times, 50)),
    parleyP95: round(percentile(times, 95)),
    parleyMax: round(Math.max(...times)),
    bareBack: bareTimes.length,
    bareP50: round(percentile(bareTimes, 50)),
    bareP95: round(percentile(bareTimes, 95)),
    messagesInDb: inDb.length,
    lost,
    lostSamples,
    fetchErrors: fetchErrors.slice(0, 10),
    fetchErrorCount: fetchErrors.length,
  };
  ctx.log(`parley: ${times.length}/${count} caught up, p95 ${round(percentile(times, 95))} ms, ${lost} lost, ${fetchErrors.length} fetch retries`);
  return [
    row({
      scenario: NAME,
      metric: `p95 back and caught up (${count} clients)`,
      unit: 'ms',
      parley: round(percentile(times, 95)),
      baselineName: 'bare Socket.IO reconnect',
      baseline: round(percentile(bareTimes, 95)),
      target: '95% within 10 s',
      met: within >= 0.95,
      notes: `${round(within * 100)}% within 10 s; timed from SIGTERM: old process gone ${round(downFor)} ms, new one healthy ${round(upAfter)} ms; p50 ${round(percentile(times, 50))} ms, max ${round(Math.max(...times))} ms`,
    }),
    row({
      scenario: NAME,
      metric: 'messages lost across the restart',
      unit: 'msgs',
      parley: lost,
      baselineName: null,
      baseline: null,
      target: 'none lost',
      met: lost === 0 && times.length === count,
      notes: `${inDb.length} messages (before + during the storm) checked at every member`,
    }),
  ];
};
