// What issue 10 saw on screen, each checked where a user would see it: the open room
// clicked again changes nothing; a refusal appears at the field that caused it; a stale
// answer never rolls back newer state; "Here now" while offline; long names keep
// "(you)"; a deleted room says who deleted it; "Jump to latest" never covers a message;
// a draft does not outlive the session.
import type { Page } from '@playwright/test';
import {
  alertWith,
  articlesWith,
  expect,
  memberItem,
  membersList,
  messageBox,
  messageLog,
  openChat,
  openManage,
  openRoom,
  roomButton,
  roomName,
  signIn,
  test,
} from './fixtures.js';

const hereNow = (page: Page) => page.getByRole('complementary', { name: 'Here now' });
const presenceLines = (page: Page) => messageLog(page).locator('.presence-line');

test('clicking the room that is already open keeps the Manage tab, and the others see no one come or go', async ({ people, api }) => {
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const name = roomName('again');
  const room = await api.createRoom(aliceUser, name);
  await api.addMember(aliceUser, room.id, bobUser.username);
  const [alice, bob] = await Promise.all([people.open(aliceUser), people.open(bobUser)]);
  await openRoom(bob.page, name);
  await openRoom(alice.page, name);
  await expect(hereNow(bob.page)).toContainText(aliceUser.username);
  await expect(presenceLines(bob.page).filter({ hasText: `${aliceUser.username} entered` })).toHaveCount(1);

  // In the chat already: clicking the room changes nothing anyone can see.
  await roomButton(alice.page, name).click();
  await openManage(alice.page);
  await expect(presenceLines(bob.page).filter({ hasText: `${aliceUser.username} left` })).toHaveCount(1);
  await expect(hereNow(bob.page)).not.toContainText(aliceUser.username);

  await roomButton(alice.page, name).click();
  await expect(alice.page.getByRole('tab', { name: 'Manage' })).toHaveAttribute('aria-selected', 'true');
  await expect(membersList(alice.page)).toBeVisible();
  // A message after the click: once bob has it, any line the click caused would be there too.
  const marker = `after the click ${Date.now()}`;
  await api.send(aliceUser, room.id, marker);
  await expect(articlesWith(bob.page, marker)).toHaveCount(1);
  // Only what really happened: alice came in (before bob's first look) and went to Manage.
  await expect(presenceLines(bob.page).filter({ hasText: `${aliceUser.username} entered` })).toHaveCount(1);
  await expect(presenceLines(bob.page)).toHaveCount(2);
  await expect(hereNow(bob.page)).not.toContainText(aliceUser.username);
});

test('a refusal appears next to the field that caused it', async ({ people, api }) => {
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const name = roomName('refusal');
  const room = await api.createRoom(aliceUser, name);
  await api.addMember(aliceUser, room.id, bobUser.username);
  const alice = await people.open(aliceUser);
  await openRoom(alice.page, name);
  await openManage(alice.page);
  const field = alice.page.getByRole('textbox', { name: 'Add member by username' });
  await field.fill(bobUser.username);
  await alice.page.getByRole('button', { name: 'Add member' }).click();
  const refusal = `${bobUser.username} is already a member of this room.`;
  await expect(alertWith(alice.page, refusal)).toBeVisible();
  // It is the field's own error: described by it, marked invalid, and right below it.
  await expect(field).toHaveAccessibleDescription(refusal);
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  const [fieldBox, alertBox] = [await field.boundingBox(), await alertWith(alice.page, refusal).boundingBox()];
  expect(alertBox!.y).toBeGreaterThanOrEqual(fieldBox!.y + fieldBox!.height - 1);
  expect(alertBox!.y - (fieldBox!.y + fieldBox!.height)).toBeLessThan(40);
  // Nothing at the top of the tab.
  await expect(alice.page.locator('.manage .banner')).toHaveCount(0);
});

test('a stale answer arriving after a newer push does not roll the member list back; removing a member is one update', async ({ people, api }) => {
  const [aliceUser, bobUser, catUser] = await Promise.all([people.register('alice'), people.register('bob'), people.register('cat')]);
  const name = roomName('stale');
  const room = await api.createRoom(aliceUser, name);
  await api.addMember(aliceUser, room.id, bobUser.username);
  await api.addMember(aliceUser, room.id, catUser.username);
  const alice = await people.open(aliceUser);
  await openRoom(alice.page, name);

  // The room's detail, asked for when Manage opens, is read now (cat still a member) but answered only later.
  let release: (() => Promise<void>) | null = null;
  await alice.page.route(new RegExp(`/api/rooms/${room.id}$`), async (route) => {
    if (route.request().method() !== 'GET' || release) return route.continue();
    const response = await route.fetch();
    release = () => route.fulfill({ response });
  });
  await alice.page.getByRole('tab', { name: 'Manage' }).click();
  await expect.poll(() => release !== null).toBe(true);
  // Meanwhile cat is removed (as from another window of alice's): the push brings the newer list.
  await api.call('DELETE', `/rooms/${room.id}/members/${catUser.id}`, { token: aliceUser.token });
  await expect(memberItem(alice.page, bobUser.username)).toBeVisible();
  await expect(memberItem(alice.page, catUser.username)).toHaveCount(0);
  const answered = alice.page.waitForResponse(new RegExp(`/api/rooms/${room.id}$`));
  await release!();
  await answered;
  // The stale answer (version before the removal) has been handled: two frames later, still no cat.
  await alice.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await expect(memberItem(alice.page, catUser.username)).toHaveCount(0);
  await expect(alice.page.getByRole('heading', { name: /^Members/ })).toContainText('2');

  // Removing bob from the page: the DELETE and the push, no extra GET of the room.
  const gets: string[] = [];
  alice.page.on('request', (request) => {
    if (request.method() === 'GET' && new RegExp(`/api/rooms/${room.id}$`).test(request.url())) gets.push(request.url());
  });
  await memberItem(alice.page, bobUser.username)
    .getByRole('button', { name: `Remove ${bobUser.username}` })
    .click();
  await expect(memberItem(alice.page, bobUser.username)).toHaveCount(0);
  const marker = `after removing ${Date.now()}`;
  await openChat(alice.page);
  await api.send(aliceUser, room.id, marker);
  await expect(articlesWith(alice.page, marker)).toHaveCount(1);
  expect(gets).toEqual([]);
});

test('while offline, "Here now" lists nobody else; a long name keeps "(you)" whole', async ({ people, api }) => {
  const [aliceUser, bobUser] = await Promise.all([people.register('alice_with_a_very_long_name_x'), people.register('bob')]);
  const name = roomName('herenow');
  const room = await api.createRoom(aliceUser, name);
  await api.addMember(aliceUser, room.id, bobUser.username);
  const [alice, bob] = await Promise.all([people.open(aliceUser), people.open(bobUser)]);
  await Promise.all([openRoom(alice.page, name), openRoom(bob.page, name)]);
  await expect(hereNow(alice.page)).toContainText(bobUser.username);

  // "(you)" is shown in full beside an ellipsized long name.
  const you = hereNow(alice.page).getByText('(you)');
  await expect(you).toBeVisible();
  const clipped = await you.evaluate((el) => {
    const item = el.closest('li')!.getBoundingClientRect();
    const box = el.getBoundingClientRect();
    return { inside: box.right <= item.right + 0.5 && box.left >= item.left - 0.5, full: el.scrollWidth <= el.clientWidth + 0.5 };
  });
  expect(clipped).toEqual({ inside: true, full: true });
  const nameCell = hereNow(alice.page).locator('.here-now-name').first();
  expect(await nameCell.evaluate((el) => getComputedStyle(el).textOverflow)).toBe('ellipsis');

  await alice.context.setOffline(true);
  await expect(alice.page.getByRole('status').filter({ hasText: /Reconnecting…|Offline/ })).toBeVisible({ timeout: 50_000 });
  await expect(hereNow(alice.page)).not.toContainText(bobUser.username);
  await expect(hereNow(alice.page)).toContainText('Not connected');
  await alice.context.setOffline(false);
  await expect(hereNow(alice.page)).toContainText(bobUser.username, { timeout: 30_000 });
});

test('a deleted room says who deleted it', async ({ people, api }) => {
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const name = roomName('gone');
  const room = await api.createRoom(aliceUser, name);
  await api.addMember(aliceUser, room.id, bobUser.username);
  const bob = await people.open(bobUser);
  await openRoom(bob.page, name);
  await api.call('DELETE', `/rooms/${room.id}`, { token: aliceUser.token });
  await expect(alertWith(bob.page, `${name} was deleted by ${aliceUser.username}`)).toBeVisible();
});

test('"Jump to latest" sits below the messages, never over one; "Jump to first message" is not offered when the start is held', async ({ people, api }) => {
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const name = roomName('jump');
  const room = await api.createRoom(aliceUser, name);
  await api.addMember(aliceUser, room.id, bobUser.username);
  await api.sendMany(
    aliceUser,
    room.id,
    Array.from({ length: 40 }, (_, i) => `line ${i + 1}`),
  );
  const bob = await people.open(bobUser);
  await openRoom(bob.page, name);
  // 40 messages: the whole room, its start included, is held.
  await expect(bob.page.getByRole('button', { name: 'Jump to first message' })).toHaveCount(0);
  await messageLog(bob.page).hover();
  const jump = bob.page.getByRole('button', { name: /^Jump to latest/ });
  await expect(async () => {
    await bob.page.mouse.wheel(0, -400);
    await expect(jump).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 20_000 });
  const overlaps = await bob.page.evaluate(() => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.includes('Jump to latest'))!.getBoundingClientRect();
    const log = document.querySelector('[role="log"]')!.getBoundingClientRect();
    // What is visible of each text: its box clipped to the log (a row cut off at the log's
    // edge has a box reaching past it, but nothing of it shows there).
    const visible = [...document.querySelectorAll('[role="log"] .message-text')]
      .map((t) => t.getBoundingClientRect())
      .map((t) => ({ left: t.left, right: t.right, top: Math.max(t.top, log.top), bottom: Math.min(t.bottom, log.bottom) }))
      .filter((t) => t.bottom > t.top);
    const hit = visible.filter((t) => t.left < button.right && t.right > button.left && t.top < button.bottom && t.bottom > button.top);
    return { hit: hit.length, belowLog: button.top >= log.bottom - 0.5 };
  });
  expect(overlaps).toEqual({ hit: 0, belowLog: true });
});

test('a draft belongs to the session: the next person signed in at the same window does not see it', async ({ people, api }) => {
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const name = roomName('draft');
  const room = await api.createRoom(aliceUser, name);
  await api.addMember(aliceUser, room.id, bobUser.username);
  const alice = await people.open(aliceUser);
  await openRoom(alice.page, name);
  const draft = `half a thought ${Date.now()}`;
  await messageBox(alice.page, name).fill(draft);
  // Kept while switching tabs within the session...
  await openManage(alice.page);
  await openChat(alice.page);
  await expect(messageBox(alice.page, name)).toHaveValue(draft);
  // ...and gone with it.
  await alice.page.getByRole('button', { name: 'Log out' }).click();
  await signIn(alice.page, bobUser);
  await openRoom(alice.page, name);
  await expect(messageBox(alice.page, name)).toHaveValue('');
});
