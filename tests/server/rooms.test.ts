// Rooms over real HTTP: creating, listing with unread counts, membership and admin
// rules, leaving, deleting, and the last-admin rule under truly concurrent requests.
import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, type Message, type RoomDetail, type RoomSummary } from '../../src/shared/contract.js';
import { startTestServer, type ApiResult, type TestServer } from '../support/server.js';

type User = Awaited<ReturnType<TestServer['register']>>;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

// ---------- helpers ----------
function expectError(res: ApiResult, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(typeof res.body.error.message).toBe('string');
}

async function createRoom(owner: User, name = 'Room'): Promise<RoomSummary> {
  const res = await server.request('POST', '/rooms', { token: owner.token, body: { name } });
  expect(res.status).toBe(201);
  return res.body.room as RoomSummary;
}

async function addMembers(admin: User, roomId: string, ...users: User[]): Promise<void> {
  for (const user of users) {
    const res = await server.request('POST', `/rooms/${roomId}/members`, { token: admin.token, body: { username: user.user.username } });
    expect(res.status).toBe(201);
  }
}

function setRole(actor: User, roomId: string, target: User, role: 'admin' | 'member'): Promise<ApiResult> {
  return server.request('PUT', `/rooms/${roomId}/members/${target.user.id}/role`, { token: actor.token, body: { role } });
}

function removeMember(actor: User, roomId: string, target: User): Promise<ApiResult> {
  return server.request('DELETE', `/rooms/${roomId}/members/${target.user.id}`, { token: actor.token });
}

async function detail(user: User, roomId: string): Promise<RoomDetail> {
  const res = await server.request('GET', `/rooms/${roomId}`, { token: user.token });
  expect(res.status).toBe(200);
  return res.body.room as RoomDetail;
}

async function listRooms(user: User): Promise<RoomSummary[]> {
  const res = await server.request('GET', '/rooms', { token: user.token });
  expect(res.status).toBe(200);
  return res.body.rooms as RoomSummary[];
}

async function summaryOf(user: User, roomId: string): Promise<RoomSummary | undefined> {
  return (await listRooms(user)).find((r) => r.id === roomId);
}

let sent = 0;
async function send(user: User, roomId: string, text = `message ${sent}`): Promise<Message> {
  const res = await server.request('POST', `/rooms/${roomId}/messages`, { token: user.token, body: { clientId: `c${sent++}`, text } });
  expect(res.status).toBe(201);
  return res.body.message as Message;
}

const rolesOf = (room: RoomDetail) => Object.fromEntries(room.members.map((m) => [m.userId, m.role]));
const adminsOf = (room: RoomDetail) => room.members.filter((m) => m.role === 'admin').map((m) => m.userId);

// ---------- tests ----------
describe('creating a room', () => {
  it('trims the name, answers 201 with a summary, and makes the creator its admin', async () => {
    const ann = await server.register('ann');
    const res = await server.request('POST', '/rooms', { token: ann.token, body: { name: '   Team chat  ' } });
    expect(res.status).toBe(201);
    expect(res.body.room).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      name: 'Team chat',
      role: 'admin',
      memberCount: 1,
      lastMessage: null,
      unreadCount: 0,
      mentionCount: 0,
    });
    expect(await detail(ann, res.body.room.id)).toEqual({
      id: res.body.room.id,
      name: 'Team chat',
      members: [{ userId: ann.user.id, username: ann.user.username, role: 'admin' }],
      version: 1,
    });
  });

  it('room details carry a version that grows by one with each change, in answers and reads alike', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const room = await createRoom(ann, 'Versions');
    expect((await detail(ann, room.id)).version).toBe(1);
    const renamed = await server.request('PATCH', `/rooms/${room.id}`, { token: ann.token, body: { name: 'Versions 2' } });
    expect(renamed.body.room.version).toBe(2);
    const added = await server.request('POST', `/rooms/${room.id}/members`, { token: ann.token, body: { username: bob.user.username } });
    expect(added.body.room.version).toBe(3);
    expect((await setRole(ann, room.id, bob, 'admin')).body.room.version).toBe(4);
    expect((await detail(bob, room.id)).version).toBe(4);
  });

  it('accepts 1 to 80 characters and refuses empty, blank, too long or missing names with 400', async () => {
    const ann = await server.register('ann');
    const max = 'x'.repeat(LIMITS.roomNameMax);
    expect((await createRoom(ann, 'a')).name).toBe('a');
    expect((await createRoom(ann, max)).name).toBe(max);
    expect((await createRoom(ann, `  ${max}  `)).name).toBe(max); // the limit applies after trimming

    for (const body of [{ name: '' }, { name: '    ' }, { name: 'x'.repeat(LIMITS.roomNameMax + 1) }, {}, { name: 42 }, { name: 'ok', extra: 1 }]) {
      const res = await server.request('POST', '/rooms', { token: ann.token, body });
      expectError(res, 400, 'validation_failed');
    }
    const res = await server.request('POST', '/rooms', { token: ann.token, body: { name: '' } });
    expect(res.body.error.fields).toHaveProperty('name');
    // Only the three valid rooms exist.
    expect((await listRooms(ann)).map((r) => r.name).sort()).toEqual(['a', max, max].sort());
  });

  it('requires a session', async () => {
    expectError(await server.request('POST', '/rooms', { body: { name: 'x' } }), 401, 'unauthenticated');
    expectError(await server.request('GET', '/rooms'), 401, 'unauthenticated');
  });
});

describe('listing rooms', () => {
  it("lists only the caller's rooms, each with the caller's role and the member count", async () => {
    const [ann, bob, cat] = await Promise.all([server.register('ann'), server.register('bob'), server.register('cat')]);
    const annsRoom = await createRoom(ann, 'Anns');
    const bobsRoom = await createRoom(bob, 'Bobs');
    await createRoom(cat, 'Cats');

    expect((await listRooms(ann)).map((r) => r.id)).toEqual([annsRoom.id]);
    await addMembers(bob, bobsRoom.id, ann, cat);

    const forAnn = await listRooms(ann);
    expect(forAnn.map((r) => r.id).sort()).toEqual([annsRoom.id, bobsRoom.id].sort());
    expect(forAnn.find((r) => r.id === bobsRoom.id)).toEqual({
      id: bobsRoom.id,
      name: 'Bobs',
      role: 'member',
      memberCount: 3,
      lastMessage: null,
      unreadCount: 0,
      mentionCount: 0,
    });
    expect(forAnn.find((r) => r.id === annsRoom.id)).toMatchObject({ role: 'admin', memberCount: 1 });
    expect((await summaryOf(bob, bobsRoom.id))?.role).toBe('admin');
  });

  it('counts messages after the read marker; sending marks read (as in Slack and Element); marking read lowers it', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const room = await createRoom(ann, 'Unread');
    await addMembers(ann, room.id, bob);

    const b1 = await send(bob, room.id, 'b1');
    const b2 = await send(bob, room.id, 'b2');
    const b3 = await send(bob, room.id, 'b3');
    expect([b1.seq, b2.seq, b3.seq]).toEqual([1, 2, 3]);

    let forAnn = await summaryOf(ann, room.id);
    expect(forAnn?.unreadCount).toBe(3);
    expect(forAnn?.lastMessage).toEqual(b3);
    expect((await summaryOf(bob, room.id))?.unreadCount).toBe(0); // his own

    const read = await server.request('POST', `/rooms/${room.id}/read`, { token: ann.token, body: { messageId: b2.id } });
    expect(read.status).toBe(204);
    expect((await summaryOf(ann, room.id))?.unreadCount).toBe(1); // b3

    // By seq, as clients do; a late "read" of an older message does not move the marker back.
    expect((await server.request('POST', `/rooms/${room.id}/read`, { token: ann.token, body: { seq: b3.seq } })).status).toBe(204);
    expect((await summaryOf(ann, room.id))?.unreadCount).toBe(0);
    await server.request('POST', `/rooms/${room.id}/read`, { token: ann.token, body: { messageId: b1.id } });
    expect((await summaryOf(ann, room.id))?.unreadCount).toBe(0);

    // Her own messages never count; bob's do; her next message marks them read.
    const a1 = await send(ann, room.id, 'a1');
    expect((await summaryOf(ann, room.id))?.unreadCount).toBe(0);
    expect((await summaryOf(bob, room.id))?.unreadCount).toBe(1);
    const b4 = await send(bob, room.id, 'b4');
    const b5 = await send(bob, room.id, 'b5');
    forAnn = await summaryOf(ann, room.id);
    expect(forAnn?.unreadCount).toBe(2);
    expect(forAnn?.lastMessage).toEqual(b5);
    await send(ann, room.id, 'a2');
    expect((await summaryOf(ann, room.id))?.unreadCount).toBe(0);
    expect([a1.seq, b4.seq, b5.seq]).toEqual([4, 5, 6]);

    // A marker past the room's newest message is held at the newest: later messages still count.
    await server.request('POST', `/rooms/${room.id}/read`, { token: bob.token, body: { seq: 1_000_000 } });
    await send(ann, room.id, 'a3');
    expect((await summaryOf(bob, room.id))?.unreadCount).toBe(1);
  });

  it('refuses marking read a message of another room (404) or a malformed id (400)', async () => {
    const ann = await server.register('ann');
    const room = await createRoom(ann, 'Here');
    const other = await createRoom(ann, 'There');
    const elsewhere = await send(ann, other.id, 'elsewhere');
    expectError(await server.request('POST', `/rooms/${room.id}/read`, { token: ann.token, body: { messageId: elsewhere.id } }), 404, 'not_found');
    expectError(await server.request('POST', `/rooms/${room.id}/read`, { token: ann.token, body: { messageId: 'nope' } }), 400, 'validation_failed');
  });
});

describe('non-members', () => {
  it('get 404 room_not_found on every room route, exactly as for a room that does not exist', async () => {
    const [ann, bob, eve] = await Promise.all([server.register('ann'), server.register('bob'), server.register('eve')]);
    const room = await createRoom(ann, 'Secret');
    await addMembers(ann, room.id, bob);
    const message = await send(ann, room.id, 'psst');
    const missing = new ObjectId().toHexString();

    const routes = (roomId: string): Array<[string, string, unknown?]> => [
      ['GET', `/rooms/${roomId}`],
      ['PATCH', `/rooms/${roomId}`, { name: 'Hijacked' }],
      ['DELETE', `/rooms/${roomId}`],
      ['POST', `/rooms/${roomId}/members`, { username: eve.user.username }],
      ['DELETE', `/rooms/${roomId}/members/${bob.user.id}`],
      ['DELETE', `/rooms/${roomId}/members/${eve.user.id}`],
      ['PUT', `/rooms/${roomId}/members/${eve.user.id}/role`, { role: 'admin' }],
      ['PUT', `/rooms/${roomId}/members/${ann.user.id}/role`, { role: 'member' }],
      ['GET', `/rooms/${roomId}/messages`],
      ['GET', `/rooms/${roomId}/messages?after=start`],
      ['POST', `/rooms/${roomId}/messages`, { clientId: `probe-${roomId}`, text: 'hi' }],
      ['POST', `/rooms/${roomId}/read`, { messageId: message.id }],
    ];

    const existing = routes(room.id);
    const nonexistent = routes(missing);
    for (let i = 0; i < existing.length; i++) {
      const [method, path, body] = existing[i]!;
      const [, missingPath] = nonexistent[i]!;
      const forExisting = await server.request(method, path, { token: eve.token, body });
      const forMissing = await server.request(method, missingPath, { token: eve.token, body });
      expectError(forExisting, 404, 'room_not_found');
      // Indistinguishable: same status, same body.
      expect({ route: `${method} ${path}`, ...forExisting.body }).toEqual({ route: `${method} ${path}`, ...forMissing.body });
    }

    // Nothing changed, and eve is still not a member.
    expect(await detail(ann, room.id)).toEqual({
      id: room.id,
      name: 'Secret',
      members: [
        { userId: ann.user.id, username: ann.user.username, role: 'admin' },
        { userId: bob.user.id, username: bob.user.username, role: 'member' },
      ],
      version: expect.any(Number),
    });
    expect(await server.database.db.collection('messages').countDocuments({ roomId: new ObjectId(room.id) })).toBe(1);
    expect(await listRooms(eve)).toEqual([]);
  });

  it('a removed member becomes a non-member: 404 room_not_found', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const room = await createRoom(ann, 'Was here');
    await addMembers(ann, room.id, bob);
    expect((await removeMember(ann, room.id, bob)).status).toBe(204);
    expectError(await server.request('GET', `/rooms/${room.id}`, { token: bob.token }), 404, 'room_not_found');
    expectError(await server.request('GET', `/rooms/${room.id}/messages`, { token: bob.token }), 404, 'room_not_found');
  });
});

describe('plain members', () => {
  it('get 403 forbidden on every admin action, and nothing changes', async () => {
    const [ann, bob, cat, dan] = await Promise.all([server.register('ann'), server.register('bob'), server.register('cat'), server.register('dan')]);
    const room = await createRoom(ann, 'Admins only');
    await addMembers(ann, room.id, bob, cat);
    const before = await detail(ann, room.id);

    const attempts: Array<Promise<ApiResult>> = [
      server.request('PATCH', `/rooms/${room.id}`, { token: bob.token, body: { name: 'Mine now' } }),
      server.request('DELETE', `/rooms/${room.id}`, { token: bob.token }),
      server.request('POST', `/rooms/${room.id}/members`, { token: bob.token, body: { username: dan.user.username } }),
      // Even for a name nobody has: a member must not learn which usernames exist.
      server.request('POST', `/rooms/${room.id}/members`, { token: bob.token, body: { username: 'nobody_has_this_name' } }),
      removeMember(bob, room.id, cat),
      removeMember(bob, room.id, ann),
      setRole(bob, room.id, bob, 'admin'),
      setRole(bob, room.id, cat, 'admin'),
      setRole(bob, room.id, ann, 'member'),
    ];
    for (const res of await Promise.all(attempts)) expectError(res, 403, 'forbidden');

    expect(await detail(ann, room.id)).toEqual(before);
    expect(await listRooms(dan)).toEqual([]);
  });
});

describe('admins', () => {
  it('rename the room (trimmed, validated)', async () => {
    const ann = await server.register('ann');
    const room = await createRoom(ann, 'Old');
    const res = await server.request('PATCH', `/rooms/${room.id}`, { token: ann.token, body: { name: '  New name ' } });
    expect(res.status).toBe(200);
    expect(res.body.room).toMatchObject({ id: room.id, name: 'New name' });
    expect((await summaryOf(ann, room.id))?.name).toBe('New name');
    for (const name of ['', '  ', 'x'.repeat(LIMITS.roomNameMax + 1)]) {
      expectError(await server.request('PATCH', `/rooms/${room.id}`, { token: ann.token, body: { name } }), 400, 'validation_failed');
    }
    expect((await detail(ann, room.id)).name).toBe('New name');
  });

  it('add members by username: 404 user_not_found, 409 already_member', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const room = await createRoom(ann, 'Adds');
    const res = await server.request('POST', `/rooms/${room.id}/members`, { token: ann.token, body: { username: bob.user.username } });
    expect(res.status).toBe(201);
    expect(res.body.room.members).toEqual([
      { userId: ann.user.id, username: ann.user.username, role: 'admin' },
      { userId: bob.user.id, username: bob.user.username, role: 'member' },
    ]);
    expect((await summaryOf(bob, room.id))?.role).toBe('member');

    expectError(
      await server.request('POST', `/rooms/${room.id}/members`, { token: ann.token, body: { username: 'nobody_has_this_name' } }),
      404,
      'user_not_found',
    );
    expectError(await server.request('POST', `/rooms/${room.id}/members`, { token: ann.token, body: { username: bob.user.username } }), 409, 'already_member');
    expectError(await server.request('POST', `/rooms/${room.id}/members`, { token: ann.token, body: { username: ann.user.username } }), 409, 'already_member');
    expect((await detail(ann, room.id)).members).toHaveLength(2);
  });

  it('remove members; the removed user loses the room', async () => {
    const [ann, bob, cat, dan] = await Promise.all([server.register('ann'), server.register('bob'), server.register('cat'), server.register('dan')]);
    const room = await createRoom(ann, 'Removals');
    await addMembers(ann, room.id, bob, cat);
    expect((await removeMember(ann, room.id, bob)).status).toBe(204);
    expect((await detail(ann, room.id)).members.map((m) => m.userId)).toEqual([ann.user.id, cat.user.id]);
    expect(await summaryOf(bob, room.id)).toBeUndefined();
    expect((await summaryOf(cat, room.id))?.memberCount).toBe(2);
    // Someone who is not (or no longer) in the room.
    expectError(await removeMember(ann, room.id, bob), 404, 'not_member');
    expectError(await removeMember(ann, room.id, dan), 404, 'not_member');
  });

  it('are equal: grant and revoke admin for each other, and a granted admin can do everything', async () => {
    const [ann, bob, cat] = await Promise.all([server.register('ann'), server.register('bob'), server.register('cat')]);
    const room = await createRoom(ann, 'Equals');
    await addMembers(ann, room.id, bob, cat);

    let res = await setRole(ann, room.id, bob, 'admin');
    expect(res.status).toBe(200);
    expect(rolesOf(res.body.room)).toEqual({ [ann.user.id]: 'admin', [bob.user.id]: 'admin', [cat.user.id]: 'member' });
    expect((await summaryOf(bob, room.id))?.role).toBe('admin');

    // Granting what someone already has is a harmless no-op.
    res = await setRole(bob, room.id, ann, 'admin');
    expect(res.status).toBe(200);
    expect(adminsOf(res.body.room).sort()).toEqual([ann.user.id, bob.user.id].sort());

    // The newer admin revokes the creator.
    res = await setRole(bob, room.id, ann, 'member');
    expect(res.status).toBe(200);
    expect(adminsOf(res.body.room)).toEqual([bob.user.id]);
    expectError(await server.request('PATCH', `/rooms/${room.id}`, { token: ann.token, body: { name: 'x' } }), 403, 'forbidden');

    // ...and grants it back; then the creator revokes the newer admin.
    expect((await setRole(bob, room.id, ann, 'admin')).status).toBe(200);
    res = await setRole(ann, room.id, bob, 'member');
    expect(res.status).toBe(200);
    expect(adminsOf(res.body.room)).toEqual([ann.user.id]);

    // A granted admin may remove the creator, rename and add.
    expect((await setRole(ann, room.id, cat, 'admin')).status).toBe(200);
    expect((await removeMember(cat, room.id, ann)).status).toBe(204);
    expect((await server.request('PATCH', `/rooms/${room.id}`, { token: cat.token, body: { name: 'Cats now' } })).status).toBe(200);
    expect(await detail(cat, room.id)).toEqual({
      id: room.id,
      name: 'Cats now',
      members: [
        { userId: bob.user.id, username: bob.user.username, role: 'member' },
        { userId: cat.user.id, username: cat.user.username, role: 'admin' },
      ],
      version: expect.any(Number),
    });
    expect(await summaryOf(ann, room.id)).toBeUndefined();
  });

  it('cannot change the role of someone outside the room (404 not_member) nor send an invalid role (400)', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const room = await createRoom(ann, 'Roles');
    expectError(await setRole(ann, room.id, bob, 'admin'), 404, 'not_member');
    const res = await server.request('PUT', `/rooms/${room.id}/members/${ann.user.id}/role`, { token: ann.token, body: { role: 'owner' } });
    expectError(res, 400, 'validation_failed');
  });
});

describe('leaving', () => {
  it('a plain member leaves at any time (DELETE own membership)', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const room = await createRoom(ann, 'Leavable');
    await addMembers(ann, room.id, bob);
    await send(bob, room.id, 'bye');
    expect((await removeMember(bob, room.id, bob)).status).toBe(204);
    expect(await summaryOf(bob, room.id)).toBeUndefined();
    expect((await summaryOf(ann, room.id))?.memberCount).toBe(1);
    expectError(await server.request('GET', `/rooms/${room.id}`, { token: bob.token }), 404, 'room_not_found');
  });

  it('an admin must relinquish first (409 admin_must_relinquish), then may leave', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const room = await createRoom(ann, 'Relinquish');
    await addMembers(ann, room.id, bob);

    // As the only admin...
    expectError(await removeMember(ann, room.id, ann), 409, 'admin_must_relinquish');
    // ...and with another admin.
    expect((await setRole(ann, room.id, bob, 'admin')).status).toBe(200);
    expectError(await removeMember(ann, room.id, ann), 409, 'admin_must_relinquish');
    expect(adminsOf(await detail(ann, room.id)).sort()).toEqual([ann.user.id, bob.user.id].sort());

    expect((await setRole(ann, room.id, ann, 'member')).status).toBe(200);
    expect((await removeMember(ann, room.id, ann)).status).toBe(204);
    expect(await detail(bob, room.id)).toEqual({
      id: room.id,
      name: 'Relinquish',
      members: [{ userId: bob.user.id, username: bob.user.username, role: 'admin' }],
      version: expect.any(Number),
    });
  });

  it('the last admin can neither relinquish nor be demoted by anyone (409 last_admin / 403)', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const room = await createRoom(ann, 'Last admin');
    await addMembers(ann, room.id, bob);

    expectError(await setRole(ann, room.id, ann, 'member'), 409, 'last_admin');
    expectError(await setRole(bob, room.id, ann, 'member'), 403, 'forbidden');

    // Two admins; one demotes the other; the survivor is now last and stays admin.
    expect((await setRole(ann, room.id, bob, 'admin')).status).toBe(200);
    expect((await setRole(bob, room.id, ann, 'member')).status).toBe(200);
    expectError(await setRole(bob, room.id, bob, 'member'), 409, 'last_admin');
    expectError(await setRole(ann, room.id, bob, 'member'), 403, 'forbidden');
    expect(adminsOf(await detail(ann, room.id))).toEqual([bob.user.id]);
  });
});

describe('deleting a room', () => {
  it('answers 204, removes its messages and read markers, and every member loses it', async () => {
    const [ann, bob, cat] = await Promise.all([server.register('ann'), server.register('bob'), server.register('cat')]);
    const room = await createRoom(ann, 'Doomed');
    const keep = await createRoom(ann, 'Kept');
    await addMembers(ann, room.id, bob, cat);
    await send(ann, room.id, 'one');
    const two = await send(bob, room.id, 'two');
    await send(cat, room.id, 'three');
    await send(ann, keep.id, 'stays');
    await server.request('POST', `/rooms/${room.id}/read`, { token: ann.token, body: { messageId: two.id } });

    const messages = server.database.db.collection('messages');
    const markers = server.database.db.collection('readMarkers');
    const roomOid = new ObjectId(room.id);
    expect(await messages.countDocuments({ roomId: roomOid })).toBe(3);
    // Each sender's marker (sending marks read), written just after the send is answered.
    await expect.poll(() => markers.countDocuments({ roomId: roomOid })).toBe(3);
    await expect.poll(() => server.database.db.collection('roomHeads').countDocuments({ _id: roomOid })).toBe(1);

    const res = await server.request('DELETE', `/rooms/${room.id}`, { token: ann.token });
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();

    expect(await messages.countDocuments({ roomId: roomOid })).toBe(0);
    expect(await markers.countDocuments({ roomId: roomOid })).toBe(0);
    expect(await server.database.db.collection('roomHeads').countDocuments({ _id: roomOid })).toBe(0);
    expect(await server.database.db.collection('rooms').countDocuments({ _id: roomOid })).toBe(0);
    expect(await messages.countDocuments({ roomId: new ObjectId(keep.id) })).toBe(1);

    for (const user of [ann, bob, cat]) {
      expect(await summaryOf(user, room.id)).toBeUndefined();
      expectError(await server.request('GET', `/rooms/${room.id}`, { token: user.token }), 404, 'room_not_found');
    }
    expect((await listRooms(ann)).map((r) => r.id)).toEqual([keep.id]);
    expectError(await server.request('DELETE', `/rooms/${room.id}`, { token: ann.token }), 404, 'room_not_found');
  });

  it('any admin may delete, not only the creator', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const room = await createRoom(ann, 'Shared');
    await addMembers(ann, room.id, bob);
    await setRole(ann, room.id, bob, 'admin');
    expect((await server.request('DELETE', `/rooms/${room.id}`, { token: bob.token })).status).toBe(204);
    expect(await summaryOf(ann, room.id)).toBeUndefined();
  });
});

describe('concurrency (requests fired at the same instant)', () => {
  const ROUNDS = 10;
  /** For the scenarios beyond the last-admin rule: fewer rounds, the same concurrency. */
  const EXTRA_ROUNDS = 5;

  /** Rooms where ann and bob are both admins and cat is a member. */
  async function roomsWithTwoAdmins(ann: User, bob: User, cat: User, rounds = ROUNDS): Promise<string[]> {
    return Promise.all(
      Array.from({ length: rounds }, async (_, i) => {
        const room = await createRoom(ann, `Race ${i}`);
        await addMembers(ann, room.id, bob, cat);
        expect((await setRole(ann, room.id, bob, 'admin')).status).toBe(200);
        return room.id;
      }),
    );
  }

  it('two admins relinquishing at once: exactly one succeeds, the other gets 409 last_admin, one admin remains', async () => {
    const [ann, bob, cat] = await Promise.all([server.register('ann'), server.register('bob'), server.register('cat')]);
    const roomIds = await roomsWithTwoAdmins(ann, bob, cat);

    for (const roomId of roomIds) {
      const [byAnn, byBob] = await Promise.all([setRole(ann, roomId, ann, 'member'), setRole(bob, roomId, bob, 'member')]);
      const outcomes = [byAnn, byBob].map((r) => `${r.status} ${r.body?.error?.code ?? 'ok'}`).sort();
      expect(outcomes).toEqual(['200 ok', '409 last_admin']);

      const room = await detail(cat, roomId);
      const winner = byAnn.status === 200 ? ann : bob;
      const loser = winner === ann ? bob : ann;
      expect(adminsOf(room)).toEqual([loser.user.id]);
      expect(rolesOf(room)[winner.user.id]).toBe('member');
    }
  });

  it('two admins demoting each other at once: one succeeds, one admin remains', async () => {
    const [ann, bob, cat] = await Promise.all([server.register('ann'), server.register('bob'), server.register('cat')]);
    const roomIds = await roomsWithTwoAdmins(ann, bob, cat);

    for (const roomId of roomIds) {
      const [byAnn, byBob] = await Promise.all([setRole(ann, roomId, bob, 'member'), setRole(bob, roomId, ann, 'member')]);
      const room = await detail(cat, roomId);
      const admins = adminsOf(room);
      expect(admins.length).toBeGreaterThanOrEqual(1);
      // Whoever was demoted first is no longer an admin and so may not demote the other.
      const outcomes = [byAnn, byBob].map((r) => `${r.status} ${r.body?.error?.code ?? 'ok'}`).sort();
      expect(outcomes).toEqual(['200 ok', '403 forbidden']);
      expect(admins).toEqual([byAnn.status === 200 ? ann.user.id : bob.user.id]);
    }
  });

  it('membership changes, renames and sends at the same instant lose nothing', async () => {
    const [ann, bob, cat] = await Promise.all([server.register('ann'), server.register('bob'), server.register('cat')]);
    const rooms = await Promise.all(
      Array.from({ length: EXTRA_ROUNDS }, async (_, i) => {
        const room = await createRoom(ann, `Busy ${i}`);
        await addMembers(ann, room.id, bob);
        return room;
      }),
    );
    for (const [i, room] of rooms.entries()) {
      const [, , renamed, ...messages] = await Promise.all([
        server.request('POST', `/rooms/${room.id}/members`, { token: ann.token, body: { username: cat.user.username } }),
        setRole(ann, room.id, bob, 'admin'),
        server.request('PATCH', `/rooms/${room.id}`, { token: ann.token, body: { name: `Renamed ${i}` } }),
        send(ann, room.id, 'one'),
        send(bob, room.id, 'two'),
        send(ann, room.id, 'three'),
      ]);
      expect(renamed.status).toBe(200);
      expect(await detail(ann, room.id)).toEqual({
        id: room.id,
        name: `Renamed ${i}`,
        members: [
          { userId: ann.user.id, username: ann.user.username, role: 'admin' },
          { userId: bob.user.id, username: bob.user.username, role: 'admin' },
          { userId: cat.user.id, username: cat.user.username, role: 'member' },
        ],
        version: expect.any(Number),
      });
      const newest = (messages as Message[]).reduce((a, b) => (a.id > b.id ? a : b));
      expect((await summaryOf(cat, room.id))?.lastMessage).toEqual(newest);
    }
  });

  it('marking read many times at once keeps the newest marker', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    const rooms = await Promise.all(
      Array.from({ length: EXTRA_ROUNDS }, async (_, i) => {
        const room = await createRoom(ann, `Reads ${i}`);
        await addMembers(ann, room.id, bob);
        const messages: Message[] = [];
        for (let j = 0; j < 4; j++) messages.push(await send(bob, room.id, `m${j}`));
        return { room, messages };
      }),
    );
    for (const { room, messages } of rooms) {
      const marks = await Promise.all(
        messages.slice(0, 3).map((m) => server.request('POST', `/rooms/${room.id}/read`, { token: ann.token, body: { messageId: m.id } })),
      );
      expect(marks.map((r) => r.status)).toEqual([204, 204, 204]);
      expect((await summaryOf(ann, room.id))?.unreadCount).toBe(1); // only the fourth
    }
  });

  it('concurrent adds of the same user: exactly one 201, the rest 409 already_member', async () => {
    const [ann, bob, cat] = await Promise.all([server.register('ann'), server.register('bob'), server.register('cat')]);
    const roomIds = await roomsWithTwoAdmins(ann, bob, cat, EXTRA_ROUNDS);
    const dan = await server.register('dan');
    for (const roomId of roomIds) {
      const results = await Promise.all(
        [ann, bob, ann].map((actor) => server.request('POST', `/rooms/${roomId}/members`, { token: actor.token, body: { username: dan.user.username } })),
      );
      expect(results.map((r) => `${r.status} ${r.body?.error?.code ?? 'ok'}`).sort()).toEqual(['201 ok', '409 already_member', '409 already_member']);
      expect((await detail(dan, roomId)).members.filter((m) => m.userId === dan.user.id)).toHaveLength(1);
    }
  });
});
