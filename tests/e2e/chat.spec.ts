// Rooms and conversation between users in separate browser contexts at once.
import {
  alertWith,
  articlesWith,
  expect,
  memberItem,
  messageBox,
  messageLog,
  openManage,
  openRoom,
  roomButton,
  roomHeading,
  roomName,
  sendMessage,
  shownRole,
  test,
} from './fixtures.js';

test('creates a room; a member added to it sees it appear live', async ({ people }) => {
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const [alice, bob] = await Promise.all([people.open(aliceUser), people.open(bobUser)]);
  const name = roomName('plans');

  await alice.page.getByRole('button', { name: 'Create room' }).click();
  const dialog = alice.page.getByRole('dialog', { name: 'Create room' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('textbox', { name: 'Room name' }).fill(name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await expect(roomButton(alice.page, name)).toBeVisible();
  await expect(roomHeading(alice.page, name)).toBeVisible();

  await expect(roomButton(bob.page, name)).toHaveCount(0);
  await openManage(alice.page);
  await expect.poll(() => shownRole(memberItem(alice.page, aliceUser.username))).toBe('admin');
  await alice.page.getByRole('textbox', { name: 'Add member by username' }).fill(bobUser.username);
  await alice.page.getByRole('button', { name: 'Add member' }).click();
  await expect(memberItem(alice.page, bobUser.username)).toBeVisible();
  await expect.poll(() => shownRole(memberItem(alice.page, bobUser.username))).toBe('member');

  // Bob never reloads: the room arrives over the socket.
  await expect(roomButton(bob.page, name)).toBeVisible();
  await openRoom(bob.page, name);
});

test('adding a username that does not exist is refused with the server message', async ({ people, api }) => {
  const aliceUser = await people.register('alice');
  const name = roomName('lonely');
  await api.createRoom(aliceUser, name);
  const alice = await people.open(aliceUser);
  await openRoom(alice.page, name);
  await openManage(alice.page);
  const ghost = `ghost_${aliceUser.username.slice(-8)}`;
  await alice.page.getByRole('textbox', { name: 'Add member by username' }).fill(ghost);
  await alice.page.getByRole('button', { name: 'Add member' }).click();
  await expect(alertWith(alice.page, `No user is called ${ghost}.`)).toBeVisible();
});

test('two users chat both ways; each sees the other’s message with the username', async ({ people, api }) => {
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const name = roomName('chat');
  const room = await api.createRoom(aliceUser, name);
  await api.addMember(aliceUser, room.id, bobUser.username);
  const [alice, bob] = await Promise.all([people.open(aliceUser), people.open(bobUser)]);
  await Promise.all([openRoom(alice.page, name), openRoom(bob.page, name)]);

  const hello = `Hello from alice ${Date.now()}`;
  await sendMessage(alice.page, name, hello);
  const atBob = articlesWith(bob.page, hello);
  await expect(atBob).toHaveCount(1);
  await expect(atBob).toContainText(aliceUser.username);
  await expect(atBob.locator('time')).toHaveCount(1);
  await expect(articlesWith(alice.page, hello)).toHaveCount(1);

  const reply = `Reply from bob ${Date.now()}`;
  await messageBox(bob.page, name).fill(reply);
  await bob.page.getByRole('button', { name: 'Send' }).click();
  const atAlice = articlesWith(alice.page, reply);
  await expect(atAlice).toHaveCount(1);
  await expect(atAlice).toContainText(bobUser.username);
  await expect(articlesWith(bob.page, reply)).toHaveCount(1);

  // Shift+Enter makes a new line instead of sending.
  const box = messageBox(alice.page, name);
  await box.fill('first line');
  await box.press('Shift+Enter');
  await box.pressSequentially('second line');
  await expect(box).toHaveValue('first line\nsecond line');
  await box.press('Enter');
  await expect(articlesWith(bob.page, 'second line')).toContainText(/first line\s*second line/);
});

test('a message renders as text, never as HTML', async ({ people, api }) => {
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const name = roomName('safe');
  const room = await api.createRoom(aliceUser, name);
  await api.addMember(aliceUser, room.id, bobUser.username);
  const [alice, bob] = await Promise.all([people.open(aliceUser), people.open(bobUser)]);
  const dialogs: string[] = [];
  for (const page of [alice.page, bob.page]) page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
  await Promise.all([openRoom(alice.page, name), openRoom(bob.page, name)]);

  const payload = '<img src=x onerror=alert(1)>';
  await sendMessage(alice.page, name, payload);
  for (const page of [alice.page, bob.page]) {
    const article = articlesWith(page, payload);
    await expect(article).toHaveCount(1);
    await expect(article).toContainText(payload);
    await expect(messageLog(page).locator('img')).toHaveCount(0);
  }
  // And in the room list's preview of the last message.
  await expect(roomButton(bob.page, name)).toBeVisible();
  await expect(bob.page.locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});
