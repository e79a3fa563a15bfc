// Typing indicators between two real backend processes sharing Redis: a typist on one
// process is seen by viewers on the other, never by the typist's own window there nor by
// a member who is not viewing; and it ends there on a send and after ~5 s of silence
// (the timer lives on the typist's process, the push crosses through Redis).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { TYPING, type Ack, type ClientToServerEvents, type ServerToClientEvents, type TypingEvent } from '../../src/shared/contract.js';
import { createRoom, register, type User } from './support/api.js';
import { startCluster, type Cluster } from './support/cluster.js';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let cluster: Cluster;
let failed = false;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  cluster = await startCluster({ label: 'typing', backends: ['A', 'B'], livenessMs: 1500 });
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await cluster?.stop({ keepLogs: failed });
});

async function connect(url: string, user: User): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, { auth: { token: user.token }, transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

async function enter(socket: ClientSocket, roomId: string): Promise<void> {
  const answer = (await socket.timeout(5000).emitWithAck('room:enter', { roomId })) as Ack;
  if (!answer.ok) throw new Error(`room:enter failed: ${JSON.stringify(answer.error)}`);
}

function record(socket: ClientSocket): TypingEvent[] {
  const seen: TypingEvent[] = [];
  socket.on('room:typing', (e) => seen.push(e));
  return seen;
}

function next(socket: ClientSocket, match: (e: TypingEvent) => boolean, timeoutMs = 10_000): Promise<TypingEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out waiting for room:typing')), timeoutMs);
    const listener = (e: TypingEvent) => {
      if (!match(e)) return;
      clearTimeout(timer);
      socket.off('room:typing', listener);
      resolve(e);
    };
    socket.on('room:typing', listener);
  });
}

describe('typing across two processes', () => {
  it('reaches viewers on the other process only, and ends there on a send and after silence', async () => {
    try {
      const [A, B] = cluster.urls as [string, string];
      const [alice, bob, carol] = await Promise.all([register(A, 'alice'), register(B, 'bob'), register(A, 'carol')]);
      const roomId = await createRoom(A, alice, 'Typing across', [bob, carol]);
      const [aliceOnA, aliceOnB, bobOnB, carolOnB] = await Promise.all([connect(A, alice), connect(B, alice), connect(B, bob), connect(B, carol)]);
      await Promise.all([enter(aliceOnA, roomId), enter(aliceOnB, roomId), enter(bobOnB, roomId)]);
      const aliceElsewhere = record(aliceOnB);
      const carolSaw = record(carolOnB);
      const isAlice = (typing: boolean) => (e: TypingEvent) => e.roomId === roomId && e.user.userId === alice.id && e.typing === typing;

      // Typing on A is seen on B; a send on A ends it on B.
      let heard = next(bobOnB, isAlice(true));
      expect(await aliceOnA.timeout(5000).emitWithAck('typing:start', { roomId })).toEqual({ ok: true });
      expect(await heard).toEqual({ roomId, user: { userId: alice.id, username: alice.username }, typing: true });
      const ended = next(bobOnB, isAlice(false));
      const delivered = new Promise((resolve) => bobOnB.once('message:new', resolve));
      await aliceOnA.timeout(5000).emitWithAck('message:send', { roomId, clientId: 'typing-across-1', text: 'sent' });
      await Promise.all([ended, delivered]);

      // Typing again, then silence: A's timer ends it, and B's viewer hears so.
      heard = next(bobOnB, isAlice(true));
      await aliceOnA.timeout(5000).emitWithAck('typing:start', { roomId });
      await heard;
      const silentFrom = performance.now();
      await next(bobOnB, isAlice(false), TYPING.expireAfterMs + 5_000);
      const silence = performance.now() - silentFrom;
      expect(silence).toBeGreaterThan(TYPING.expireAfterMs - 500);
      expect(silence).toBeLessThan(TYPING.expireAfterMs + 2_000);

      // A later push reached alice's other window and carol: no typing ever did.
      const markerSeen = Promise.all([aliceOnB, carolOnB].map((s) => new Promise((resolve) => s.once('message:new', resolve))));
      await bobOnB.timeout(5000).emitWithAck('message:send', { roomId, clientId: 'typing-across-2', text: 'marker' });
      await markerSeen;
      expect(aliceElsewhere).toEqual([]);
      expect(carolSaw).toEqual([]);
    } catch (error) {
      failed = true;
      throw error;
    }
  });
});
