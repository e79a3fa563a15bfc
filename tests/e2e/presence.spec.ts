// Live enter/leave lines and the "Here now" list.
import { expect, messageLog, openChat, openManage, openRoom, roomName, test } from './fixtures.js';

test('"entered" and "left" lines when the other opens the room and the Manage tab', async ({ people, api }) => {
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const name = roomName('lobby');
  const room = await api.createRoom(aliceUser, name);
  await api.addMember(aliceUser, room.id, bobUser.username);
  const [alice, bob] = await Promise.all([people.open(aliceUser), people.open(bobUser)]);

  await openRoom(alice.page, name);
  const hereNow = alice.page.getByRole('complementary', { name: 'Here now' });
  await expect(hereNow).toContainText(aliceUser.username);
  await expect(hereNow).not.toContainText(bobUser.username);

  await openRoom(bob.page, name);
  await expect(alice.page.getByText(`${bobUser.username} entered`)).toBeVisible();
  await expect(hereNow).toContainText(bobUser.username);
  // Bob sees Alice already here (a list entry, not a line).
  await expect(bob.page.getByRole('complementary', { name: 'Here now' })).toContainText(aliceUser.username);

  await openManage(bob.page);
  await expect(alice.page.getByText(`${bobUser.username} left`)).toBeVisible();
  await expect(hereNow).not.toContainText(bobUser.username);

  // Back to Chat: Bob enters again; Alice opens Manage: Bob sees her leave.
  await openChat(bob.page);
  await expect(hereNow).toContainText(bobUser.username);
  await openManage(alice.page);
  await expect(bob.page.getByText(`${aliceUser.username} left`)).toBeVisible();
  await openChat(alice.page);
  await expect(bob.page.getByText(`${aliceUser.username} entered`)).toBeVisible();

  // The lines are live only: not part of the stored history.
  await bob.page.reload();
  await openRoom(bob.page, name);
  await expect(messageLog(bob.page)).toBeVisible();
  await expect(bob.page.getByText(`${aliceUser.username} entered`)).toHaveCount(0);
  await expect(bob.page.getByText(`${aliceUser.username} left`)).toHaveCount(0);
});
