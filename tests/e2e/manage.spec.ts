// Room management rules as users see them: last admin, equal admins, leaving, removal
// and deletion while someone is looking.
import type { Page } from '@playwright/test';
import type { Api, TestUser } from './api.js';
import { alertWith, expect, memberItem, messageLog, openManage, openRoom, roomButton, roomHeading, roomList, roomName, shownRole, test } from './fixtures.js';

async function roomWith(api: Api, admin: TestUser, members: TestUser[], prefix: string) {
  const name = roomName(prefix);
  const room = await api.createRoom(admin, name);
  for (const member of members) await api.addMember(admin, room.id, member.username);
  return { id: room.id, name };
}

const roleOf = (page: Page, username: string) => () => shownRole(memberItem(page, username));

test('the last admin cannot give up admin or leave, and is told why', async ({ people, api }) => {
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const room = await roomWith(api, aliceUser, [bobUser], 'lastadmin');
  const alice = await people.open(aliceUser);
  await openRoom(alice.page, room.name);
  await openManage(alice.page);

  await expect(alice.page.getByText('You are the last admin: make someone else admin first')).toBeVisible();

  const giveUp = alice.page.getByRole('button', { name: 'Give up admin' });
  await expect(giveUp).toBeVisible();
  if (await giveUp.isEnabled()) {
    // Not disabled: then the server's refusal must be shown.
    await giveUp.click();
    await expect(alertWith(alice.page, 'You are the last admin: make someone else admin first.')).toBeVisible();
  }
  const leave = alice.page.getByRole('button', { name: 'Leave room' });
  await expect(leave).toBeVisible();
  if (await leave.isEnabled()) {
    await leave.click();
    await expect(alertWith(alice.page, 'make someone else admin, then give up admin before leaving')).toBeVisible();
  }

  // Nothing changed: still in the room, still its admin, on screen and on the server.
  await expect(roomHeading(alice.page, room.name)).toBeVisible();
  await expect(roomButton(alice.page, room.name)).toBeVisible();
  await expect.poll(roleOf(alice.page, aliceUser.username)).toBe('admin');
  const detail = await api.room(aliceUser, room.id);
  expect(detail.members.find((m) => m.userId === aliceUser.id)?.role).toBe('admin');
});

test('equal admins can demote each other, and both see it live', async ({ people, api }) => {
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const room = await roomWith(api, aliceUser, [bobUser], 'admins');
  await api.setRole(aliceUser, room.id, bobUser, 'admin');
  const [alice, bob] = await Promise.all([people.open(aliceUser), people.open(bobUser)]);
  for (const p of [alice.page, bob.page]) {
    await openRoom(p, room.name);
    await openManage(p);
  }
  await expect.poll(roleOf(alice.page, bobUser.username)).toBe('admin');
  await expect.poll(roleOf(bob.page, aliceUser.username)).toBe('admin');

  // Alice demotes Bob; Bob's own view follows.
  await alice.page.getByRole('button', { name: `Remove admin from ${bobUser.username}` }).click();
  await expect.poll(roleOf(alice.page, bobUser.username)).toBe('member');
  await expect.poll(roleOf(bob.page, bobUser.username)).toBe('member');
  await expect(bob.page.getByRole('button', { name: `Remove admin from ${aliceUser.username}` })).toHaveCount(0);
  await expect(bob.page.getByRole('button', { name: 'Delete room' })).toHaveCount(0);

  // Alice makes Bob admin again; then Bob demotes Alice.
  await alice.page.getByRole('button', { name: `Make ${bobUser.username} admin` }).click();
  await expect.poll(roleOf(bob.page, bobUser.username)).toBe('admin');
  await bob.page.getByRole('button', { name: `Remove admin from ${aliceUser.username}` }).click();
  await expect.poll(roleOf(bob.page, aliceUser.username)).toBe('member');
  await expect.poll(roleOf(alice.page, aliceUser.username)).toBe('member');
  await expect(alice.page.getByRole('button', { name: 'Delete room' })).toHaveCount(0);

  const detail = await api.room(bobUser, room.id);
  expect(Object.fromEntries(detail.members.map((m) => [m.username, m.role]))).toEqual({
    [aliceUser.username]: 'member',
    [bobUser.username]: 'admin',
  });
});

test('an admin must give up admin before leaving; a member can leave', async ({ people, api }) => {
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const room = await roomWith(api, aliceUser, [bobUser], 'leaving');
  await api.setRole(aliceUser, room.id, bobUser, 'admin');
  const [alice, bob] = await Promise.all([people.open(aliceUser), people.open(bobUser)]);
  for (const p of [alice.page, bob.page]) {
    await openRoom(p, room.name);
    await openManage(p);
  }

  const leave = bob.page.getByRole('button', { name: 'Leave room' });
  await expect(leave).toBeVisible();
  if (await leave.isEnabled()) {
    await leave.click();
    await expect(alertWith(bob.page, 'give up admin before leaving')).toBeVisible();
  } else {
    await expect(bob.page.getByText(/give up admin/i).first()).toBeVisible();
  }
  await expect(roomHeading(bob.page, room.name)).toBeVisible();

  await bob.page.getByRole('button', { name: 'Give up admin' }).click();
  await expect.poll(roleOf(alice.page, bobUser.username)).toBe('member');
  await expect(leave).toBeEnabled();
  await leave.click();

  await expect(roomButton(bob.page, room.name)).toHaveCount(0);
  await expect(roomHeading(bob.page, room.name)).toHaveCount(0);
  await expect(memberItem(alice.page, bobUser.username)).toHaveCount(0);
});

test('a removed member is put out of the room live, with an alert', async ({ people, api }) => {
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const room = await roomWith(api, aliceUser, [bobUser], 'removal');
  const [alice, bob] = await Promise.all([people.open(aliceUser), people.open(bobUser)]);
  await openRoom(bob.page, room.name);
  await openRoom(alice.page, room.name);
  await openManage(alice.page);

  await alice.page.getByRole('button', { name: `Remove ${bobUser.username}`, exact: true }).click();
  await expect(memberItem(alice.page, bobUser.username)).toHaveCount(0);

  await expect(alertWith(bob.page, `You were removed from ${room.name}`)).toBeVisible();
  await expect(roomHeading(bob.page, room.name)).toHaveCount(0);
  await expect(messageLog(bob.page)).toHaveCount(0);
  await expect(roomList(bob.page)).toBeVisible();
  await expect(roomButton(bob.page, room.name)).toHaveCount(0);
});

test('deleting a room puts everyone viewing it out, with an alert', async ({ people, api }) => {
  const [aliceUser, bobUser, carolUser] = await Promise.all([people.register('alice'), people.register('bob'), people.register('carol')]);
  const room = await roomWith(api, aliceUser, [bobUser, carolUser], 'doomed');
  const [alice, bob, carol] = await Promise.all([people.open(aliceUser), people.open(bobUser), people.open(carolUser)]);
  await openRoom(bob.page, room.name);
  await openRoom(carol.page, room.name);
  await openRoom(alice.page, room.name);
  await openManage(alice.page);

  await alice.page.getByRole('button', { name: 'Delete room' }).click();
  const confirm = alice.page.getByRole('dialog', { name: 'Delete room?' });
  await expect(confirm).toBeVisible();
  // Cancel first: nothing happens.
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(roomHeading(bob.page, room.name)).toBeVisible();

  await alice.page.getByRole('button', { name: 'Delete room' }).click();
  await confirm.getByRole('button', { name: 'Delete' }).click();

  for (const viewer of [bob.page, carol.page]) {
    await expect(alertWith(viewer, `${room.name} was deleted`)).toBeVisible();
    await expect(roomHeading(viewer, room.name)).toHaveCount(0);
    await expect(roomButton(viewer, room.name)).toHaveCount(0);
  }
  await expect(roomHeading(alice.page, room.name)).toHaveCount(0);
  await expect(roomButton(alice.page, room.name)).toHaveCount(0);
  await expect(api.room(aliceUser, room.id)).rejects.toMatchObject({ status: 404 });
});
