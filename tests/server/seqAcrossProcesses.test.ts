// Two backend processes sending to one room (one database, one Redis). A process that has
// fallen behind in the room (it was cut off while the other kept storing, as after a
// database outage) takes seqs the other already holds; it must catch up within a few
// tries while the other keeps sending, not chase it try after try. The messages are
// read on FerretDB by a scan, which is slower than the other process's next inserts, so
// an allocator that asks them on every collision never catches up.
import type { CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, Message } from '../../src/shared/contract.js';
import { startRedis, type RedisServer } from '../faults/support/processes.js';
import { ask } from '../support/events.js';
import { startTestServer, type ClientSocket, type TestServer } from '../support/server.js';

let redis: RedisServer;
let ahead: TestServer;
let behind: TestServer;
/** Message inserts the process that is behind sends to the database. */
let insertsBehind = 0;
const countInserts = (event: CommandStartedEvent) => {
  if (event.commandName === 'insert' && event.command.insert === 'messages') insertsBehind++;
};

beforeAll(async () => {
  redis = await startRedis();
  ahead = await startTestServer({ redisUrl: redis.url, instanceId: 'ahead' });
  behind = await startTestServer({ redisUrl: redis.url, instanceId: 'behind', dbName: ahead.database.db.databaseName, onCommand: countInserts });
});
afterAll(async () => {
  await behind?.close();
  await ahead?.close();
  await redis?.stop();
});

let clientIds = 0;
async function send(socket: ClientSocket, roomId: string): Promise<Ack<{ message: Message }>> {
  return ask<Ack<{ message: Message }>>(socket, 'message:send', { roomId, clientId: `seq-${clientIds++}`, text: `m ${clientIds}` });
}

describe('seqs across two processes', () => {
  it('a process far behind in a busy room gets each send through in a few tries while the other keeps storing', async () => {
    const [ann, cat, dan, bob] = await Promise.all(['ann', 'cat', 'dan', 'bob'].map((name) => ahead.register(name)));
    const roomId = await ahead.createRoom(ann!, 'busy', cat!, dan!, bob!);
    const senders = await Promise.all([ann, cat, dan].map((u) => ahead.socket(u!.token)));
    // The room's history, stored by the process that is ahead.
    for (let burst = 0; burst < 20; burst++) await Promise.all(senders.flatMap((s) => Array.from({ length: 40 }, () => send(s, roomId))));

    // It keeps storing as fast as its acks come back, three senders at once.
    let running = true;
    const keepSending = senders.map(async (s) => {
      while (running) expect((await send(s, roomId)).ok).toBe(true);
    });
    const b = await behind.socket(bob!.token);
    const results: Array<Ack<{ message: Message }>> = [];
    insertsBehind = 0;
    try {
      for (let i = 0; i < 15; i++) results.push(await send(b, roomId));
    } finally {
      running = false;
      await Promise.all(keepSending);
    }
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(Array.from({ length: 15 }, () => 'ok'));
    // Seqs only grow with each of bob's sends (they were each stored after the one before).
    const seqs = results.map((r) => (r.ok ? r.message.seq : 0));
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    // A few collisions on the way in are expected; a chase is not (an allocator that reads
    // the messages on each collision needed dozens of inserts per send here, and its sends went unanswered).
    expect(insertsBehind / results.length).toBeLessThan(10);
  });
});
