import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { ask, nextEvent } from '../support/events.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('health', () => {
  it('answers ok once the database is reachable', async () => {
    const res = await server.request('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, database: 'up' });
  });

  it('delivers a message sent on one socket to another member', async () => {
    const alice = await server.register('alice');
    const bob = await server.register('bob');
    const room = await server.request('POST', '/rooms', { token: alice.token, body: { name: 'General' } });
    await server.request('POST', `/rooms/${room.body.room.id}/members`, { token: alice.token, body: { username: bob.user.username } });
    const [a, b] = await Promise.all([server.socket(alice.token), server.socket(bob.token)]);
    const received = nextEvent(b, 'message:new');
    const ack = await ask<{ ok: boolean; message: { text: string } }>(a, 'message:send', { roomId: room.body.room.id, clientId: 'c1', text: ' hi ' });
    expect(ack.ok).toBe(true);
    expect(ack.message.text).toBe('hi');
    expect((await received).message.text).toBe('hi');
  });
});

describe('Socket.IO and HTTP share one port', () => {
  it('long-polling requests are answered by Socket.IO alone and never reach the API', async () => {
    const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    expect(handshake.status).toBe(200);
    const sid = /"sid":"([^"]+)"/.exec(await handshake.text())?.[1];
    expect(sid).toBeTruthy();
    // A POST on the polling transport used to be answered twice (Socket.IO and Koa), which crashed the process.
    const post = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, { method: 'POST', body: '40' });
    expect(post.status).toBe(200);
    expect(await post.text()).toBe('ok');
    const health = await server.request('GET', '/health');
    expect(health.status).toBe(200);
  });
});
