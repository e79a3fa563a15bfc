// Two backend instances on one database, as two processes would be: each has its own
// in-process write queue, so only the database-level version claims keep the room
// rules true when their requests race.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let first: TestServer;
let second: TestServer;
beforeAll(async () => {
  first = await startTestServer();
  second = await startTestServer({ dbName: first.database.db.databaseName });
});
afterAll(async () => {
  await second.close();
  await first.close();
});

async function roomWithTwoAdmins() {
  const alice = await first.register('alice');
  const bob = await first.register('bob');
  const created = await first.request('POST', '/rooms', { token: alice.token, body: { name: 'race' } });
  const roomId: string = created.body.room.id;
  await first.request('POST', `/rooms/${roomId}/members`, { token: alice.token, body: { username: bob.user.username } });
  const granted = await first.request('PUT', `/rooms/${roomId}/members/${bob.user.id}/role`, { token: alice.token, body: { role: 'admin' } });
  expect(granted.status).toBe(200);
  return { alice, bob, roomId };
}

const adminCount = async (server: TestServer, token: string, roomId: string) => {
  const res = await server.request('GET', `/rooms/${roomId}`, { token });
  return (res.body.room.members as Array<{ role: string }>).filter((m) => m.role === 'admin').length;
};

describe('room rules across two server instances', () => {
  it('two admins relinquishing at the same instant through different servers leave exactly one admin', async () => {
    for (let round = 0; round < 8; round++) {
      const { alice, bob, roomId } = await roomWithTwoAdmins();
      const results = await Promise.all([
        first.request('PUT', `/rooms/${roomId}/members/${alice.user.id}/role`, { token: alice.token, body: { role: 'member' } }),
        second.request('PUT', `/rooms/${roomId}/members/${bob.user.id}/role`, { token: bob.token, body: { role: 'member' } }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)?.body.error.code).toBe('last_admin');
      expect(await adminCount(first, alice.token, roomId)).toBe(1);
    }
  });

  it('concurrent adds of the same user through different servers add them once', async () => {
    const { alice, bob, roomId } = await roomWithTwoAdmins();
    const carol = await first.register('carol');
    const results = await Promise.all([
      first.request('POST', `/rooms/${roomId}/members`, { token: alice.token, body: { username: carol.user.username } }),
      second.request('POST', `/rooms/${roomId}/members`, { token: bob.token, body: { username: carol.user.username } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const detail = await second.request('GET', `/rooms/${roomId}`, { token: bob.token });
    expect(detail.body.room.members.filter((m: { userId: string }) => m.userId === carol.user.id)).toHaveLength(1);
  });

  it('a rename on one server and a member change on the other both land', async () => {
    const { alice, bob, roomId } = await roomWithTwoAdmins();
    const dave = await first.register('dave');
    const results = await Promise.all([
      first.request('PATCH', `/rooms/${roomId}`, { token: alice.token, body: { name: 'renamed' } }),
      second.request('POST', `/rooms/${roomId}/members`, { token: bob.token, body: { username: dave.user.username } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 201]);
    const detail = await first.request('GET', `/rooms/${roomId}`, { token: alice.token });
    expect(detail.body.room.name).toBe('renamed');
    expect(detail.body.room.members.map((m: { userId: string }) => m.userId)).toContain(dave.user.id);
  });
});
