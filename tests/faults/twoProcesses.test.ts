// Two backend processes on different ports, one database, one Redis: a client on
// either process sees what happens on the other (messages, presence, membership), a
// logout on one process ends the session's sockets on both, and the documented
// catch-up after a reconnect misses nothing when both processes store messages.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/contract.js';
import { catchUp, createRoom, login, register, request, type User } from './support/api.js';
import { ChatClient } from './support/chatClient.js';
import { startCluster, type Cluster } from './support/cluster.js';
import { sleep } from './support/processes.js';
import { printSummary } from './support/report.js';

let cluster: Cluster;
let A: string;
let B: string;
let failed = false;
const clients: ChatClient[] = [];

beforeAll(async () => {
  cluster = await startCluster({ label: 'two', backends: ['A', 'B'], livenessMs: 1500 });
  [A, B] = cluster.urls as [string, string];
});
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') failed = true;
});
afterAll(async () => {
  for (const client of clients) client.close();
  await cluster?.stop({ keepLogs: failed });
});

/** A client on one process (index into [A, B]) that stays there. */
async function clientOn(user: User, index: 0 | 1, token = user.token): Promise<ChatClient> {
  const client = await ChatClient.connect({ name: user.username, urls: cluster.urls, start: index, token, failover: false });
  clients.push(client);
  return client;
}

describe('two processes, one database, one Redis', () => {
  it('delivers messages, presence and membership events across processes', async () => {
    const [alice, bob, carol] = await Promise.all([register(A, 'alice'), register(B, 'bob'), register(A, 'carol')]);
    const [onA, bobOnB, carolOnB] = await Promise.all([clientOn(alice, 0), clientOn(bob, 1), clientOn(carol, 1)]);
    const started = performance.now();
    const crossings: number[] = [];
    const timed = async <T>(p: Promise<T>, from: number) => {
      const value = await p;
      crossings.push(Math.round(performance.now() - from));
      return value;
    };

    // Membership: alice on A creates a room and adds bob (A's HTTP) and carol (B's HTTP).
    const roomId = await createRoom(A, alice, 'Across');
    let t = performance.now();
    expect((await request(A, 'POST', `/rooms/${roomId}/members`, { token: alice.token, body: { username: bob.username } })).status).toBe(201);
    await timed(
      bobOnB.waitForEvent('room:added', (e) => e.room.id === roomId),
      t,
    );
    expect((await request(B, 'POST', `/rooms/${roomId}/members`, { token: alice.token, body: { username: carol.username } })).status).toBe(201);
    await carolOnB.waitForEvent('room:added', (e) => e.room.id === roomId && e.room.role === 'member');
    await onA.waitForEvent('room:updated', (e) => e.room.id === roomId && e.room.members.length === 3);
    await bobOnB.waitForEvent('room:updated', (e) => e.room.id === roomId && e.room.members.length === 3);

    // Presence: alice views on A, bob enters on B; each process knows about the other's viewer.
    await onA.enter(roomId);
    t = performance.now();
    const viewersForBob = await bobOnB.enter(roomId);
    expect(viewersForBob.map((v) => v.userId).sort()).toEqual([alice.id, bob.id].sort());
    await timed(
      onA.waitForEvent('room:presence', (e) => e.roomId === roomId && e.user.userId === bob.id && e.action === 'entered'),
      t,
    );

    // Messages both ways; carol (B, not viewing) hears both as a member.
    t = performance.now();
    const fromBob = await bobOnB.sendAndWait();
    expect(fromBob.ok).toBe(true);
    await timed(
      onA.waitForEvent('message:new', (e) => e.message.id === fromBob.entry.acked!.id),
      t,
    );
    await carolOnB.waitForEvent('message:new', (e) => e.message.id === fromBob.entry.acked!.id);
    t = performance.now();
    const fromAlice = await onA.sendAndWait();
    expect(fromAlice.ok).toBe(true);
    await timed(
      bobOnB.waitForEvent('message:new', (e) => e.message.id === fromAlice.entry.acked!.id),
      t,
    );

    // A rename on A reaches B's members.
    expect((await request(A, 'PATCH', `/rooms/${roomId}`, { token: alice.token, body: { name: 'Across, renamed' } })).status).toBe(200);
    await bobOnB.waitForEvent('room:updated', (e) => e.room.id === roomId && e.room.name === 'Across, renamed');
    await carolOnB.waitForEvent('room:updated', (e) => e.room.id === roomId && e.room.name === 'Across, renamed');

    // Bob leaves the view on B; alice on A sees him go, then come back.
    await bobOnB.leave();
    await onA.waitForEvent('room:presence', (e) => e.user.userId === bob.id && e.action === 'left');
    const mark = onA.events.length;
    await bobOnB.enter(roomId);
    await onA.waitForEvent('room:presence', (e) => e.user.userId === bob.id && e.action === 'entered', 5000, mark);

    // And the other way: alice leaves and comes back on A; bob on B sees both.
    const markB = bobOnB.events.length;
    await onA.leave();
    await bobOnB.waitForEvent('room:presence', (e) => e.user.userId === alice.id && e.action === 'left', 5000, markB);
    await onA.enter(roomId);
    await bobOnB.waitForEvent('room:presence', (e) => e.user.userId === alice.id && e.action === 'entered', 5000, markB);

    // Alice (A) removes bob while he views on B: he is told, taken out of the view, and
    // alice sees him leave.
    const markA = onA.events.length;
    expect((await request(A, 'DELETE', `/rooms/${roomId}/members/${bob.id}`, { token: alice.token })).status).toBe(204);
    await bobOnB.waitForEvent('room:removed', (e) => e.roomId === roomId && e.reason === 'removed');
    await onA.waitForEvent('room:presence', (e) => e.user.userId === bob.id && e.action === 'left', 5000, markA);
    await carolOnB.waitForEvent('room:updated', (e) => e.room.id === roomId && e.room.members.length === 2);
    const bobMark = bobOnB.events.length;
    await carolOnB.enter(roomId);
    await onA.waitForEvent('room:presence', (e) => e.user.userId === carol.id && e.action === 'entered');
    const afterRemoval = await onA.sendAndWait();
    expect(afterRemoval.ok).toBe(true);
    await carolOnB.waitForEvent('message:new', (e) => e.message.id === afterRemoval.entry.acked!.id);
    await sleep(300);
    expect(bobOnB.events.slice(bobMark).filter((e) => e.event === 'room:presence' || e.event === 'message:new')).toEqual([]);

    // Deleting the room through B reaches alice on A and carol on B.
    expect((await request(B, 'DELETE', `/rooms/${roomId}`, { token: alice.token })).status).toBe(204);
    await onA.waitForEvent('room:removed', (e) => e.roomId === roomId && e.reason === 'deleted');
    await carolOnB.waitForEvent('room:removed', (e) => e.roomId === roomId && e.reason === 'deleted');

    printSummary('two processes: events across', {
      checks: 'added,updated,presence,message,rename,removed,deleted',
      crossingMsMax: Math.max(...crossings),
      totalMs: Math.round(performance.now() - started),
    });
  });

  it('a logout on A ends that session on both processes and nothing else', async () => {
    const dave = await register(A, 'dave');
    const otherSession = await login(B, dave);
    const [sessionOnA, sessionOnB, otherOnB] = await Promise.all([clientOn(dave, 0), clientOn(dave, 1), clientOn(dave, 1, otherSession)]);

    const t = performance.now();
    expect((await request(A, 'POST', '/auth/logout', { token: dave.token })).status).toBe(204);
    for (const client of [sessionOnA, sessionOnB]) {
      const ended = await client.waitForEvent('session:ended');
      expect(ended.payload).toEqual({ reason: 'logged_out' });
    }
    const endedOnBMs = Math.round(sessionOnB.events.find((e) => e.event === 'session:ended')!.at - t);
    await expect
      .poll(() => [sessionOnA, sessionOnB].map((c) => c.disconnects.map((d) => d.reason)), { timeout: 5000 })
      .toEqual([['io server disconnect'], ['io server disconnect']]);

    // The other session of the same user is untouched, and the dead token is refused on B too.
    await sleep(200);
    expect(otherOnB.socket?.connected).toBe(true);
    expect(otherOnB.eventsOf('session:ended')).toEqual([]);
    await expect(ChatClient.connect({ name: 'dave-again', urls: [B], token: dave.token, failover: false })).rejects.toMatchObject({
      data: { code: 'session_expired' },
    });
    expect((await request(B, 'GET', '/me', { token: dave.token })).status).toBe(401);
    expect((await request(B, 'GET', '/me', { token: otherSession })).status).toBe(200);

    printSummary('two processes: logout', { socketsEnded: 2, otherSessionKept: true, sessionEndedOnBMs: endedOnBMs });
  });

  it('a client catching up the documented way gets everything acknowledged after what it held', async () => {
    // Sends alternate between the processes, each waiting for the previous ack: a causal
    // order. Ids from two processes do not follow it (each process makes its own), so a
    // client that held the first i messages when its connection dropped and asks for the
    // rest the documented way (support/api.ts catchUp) must still get all of them.
    const [erin, frank] = await Promise.all([register(A, 'erin'), register(B, 'frank')]);
    const roomId = await createRoom(A, erin, 'Order', [frank]);
    const [erinOnA, frankOnB] = await Promise.all([clientOn(erin, 0), clientOn(frank, 1)]);
    await Promise.all([erinOnA.enter(roomId), frankOnB.enter(roomId)]);
    const inOrder: Message[] = [];
    for (let round = 0; round < 12; round++) {
      for (const client of [erinOnA, frankOnB]) {
        const sent = await client.sendAndWait();
        expect(sent.ok).toBe(true);
        inOrder.push(sent.entry.acked!);
      }
    }
    let missed = 0;
    let cutsWithGap = 0;
    for (let i = 1; i < inOrder.length; i++) {
      const got = new Set(
        (
          await catchUp(
            B,
            frank.token,
            roomId,
            inOrder.slice(0, i).map((m) => m.seq),
          )
        ).map((m) => m.id),
      );
      const lost = inOrder.slice(i).filter((m) => !got.has(m.id)).length;
      missed += lost;
      if (lost) cutsWithGap++;
    }
    const outOfOrder = inOrder.filter((m, i) => i > 0 && m.seq < inOrder[i - 1]!.seq).length;
    printSummary('two processes: catch-up', {
      sent: inOrder.length,
      idsOutOfAckOrder: outOfOrder,
      catchUpCutsWithGap: `${cutsWithGap}/${inOrder.length - 1}`,
      messagesMissed: missed,
    });
    expect(missed).toBe(0);
  });
});
