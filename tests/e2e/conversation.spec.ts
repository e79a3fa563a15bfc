// Issue 12 with several people in their own browsers: typing indicators, @mentions
// (suggestions by keyboard and mouse, highlight, the room list's mention badge), the
// "New messages" line with "Jump to latest", and links to messages (Copy link, opening
// one, and one to a room you cannot see).
import type { Page } from '@playwright/test';
import type { RoomsResponse } from '../../src/shared/contract.js';
import type { Api, TestUser } from './api.js';
import { alertWith, articlesWith, expect, messageBox, messageLog, openRoom, roomButton, roomName, sendMessage, test } from './fixtures.js';

// Four or five browser contexts at once on a two-core machine: more time than the default.
test.describe.configure({ timeout: 120_000 });

const typingLine = (page: Page) => page.getByRole('status').filter({ hasText: /typing…/ });
const mentionList = (page: Page) => page.getByRole('listbox', { name: 'Mention someone' });

/** Keeps typing into the box, a key every 700 ms, as a person composing a message does; stop() ends it. */
function keepTyping(box: ReturnType<typeof messageBox>): { stop(): Promise<void> } {
  let typing = true;
  const loop = (async () => {
    while (typing) {
      await box.press('x');
      await new Promise((resolve) => setTimeout(resolve, 700));
    }
  })();
  return {
    async stop() {
      typing = false;
      await loop;
    },
  };
}

async function markRead(api: Api, user: TestUser, roomId: string, seq: number): Promise<void> {
  await api.call('POST', `/rooms/${roomId}/read`, { token: user.token, body: { seq } });
}

test('typing: viewers see who is typing, never their own other window; it ends on send and on an emptied box', async ({ api, people }) => {
  const [alice, bob, carol] = await Promise.all([people.register('alice'), people.register('bob'), people.register('carol')]);
  const name = roomName('typing');
  await api.createRoom(alice, name, [bob, carol]);
  // One after another: four pages loading at once overload a two-core machine.
  const a = await people.open(alice);
  const b = await people.open(bob);
  const c = await people.open(carol);
  const bobAgain = await people.open(bob);
  for (const person of [a, b, c, bobAgain]) await openRoom(person.page, name);

  await messageBox(b.page, name).pressSequentially('hello ev');
  const bobTyping = keepTyping(messageBox(b.page, name));
  await expect(typingLine(a.page)).toHaveText(`${bob.username} is typing…`);
  await expect(typingLine(c.page)).toHaveText(`${bob.username} is typing…`);

  const carolTyping = keepTyping(messageBox(c.page, name));
  await expect(typingLine(a.page)).toHaveText(new RegExp(`^(${bob.username} and ${carol.username}|${carol.username} and ${bob.username}) are typing…$`));
  // Bob's other window hears carol, never bob himself.
  await expect(typingLine(bobAgain.page)).toHaveText(`${carol.username} is typing…`);

  // Bob sends: his indicator ends at once; carol empties her box: hers ends too.
  await bobTyping.stop();
  await messageBox(b.page, name).press('Enter');
  await expect(articlesWith(a.page, 'hello ev')).toHaveCount(1);
  await expect(typingLine(a.page)).toHaveText(`${carol.username} is typing…`);
  await carolTyping.stop();
  await messageBox(c.page, name).fill('');
  await expect(typingLine(a.page)).toHaveCount(0);
  await expect(typingLine(b.page)).toHaveCount(0);
});

test('typing: a typist who falls silent disappears after about 5 s', async ({ api, people }) => {
  const [alice, bob] = await Promise.all([people.register('alice'), people.register('bob')]);
  const name = roomName('silence');
  await api.createRoom(alice, name, [bob]);
  const [a, b] = await Promise.all([people.open(alice), people.open(bob)]);
  await openRoom(a.page, name);
  await openRoom(b.page, name);
  await messageBox(b.page, name).pressSequentially('thinking');
  await expect(typingLine(a.page)).toHaveText(`${bob.username} is typing…`);
  const started = Date.now();
  await expect(typingLine(a.page)).toHaveCount(0, { timeout: 12_000 });
  expect(Date.now() - started).toBeGreaterThan(3_000);
});

test('mentions: "@" offers the members (keyboard and mouse), the mentioned person sees it highlighted and a mention badge', async ({ api, people }) => {
  const [alice, bob, carol] = await Promise.all([people.register('alice'), people.register('bob'), people.register('carol')]);
  const name = roomName('mention');
  const other = roomName('elsewhere');
  const room = await api.createRoom(alice, name, [bob, carol]);
  await api.createRoom(alice, other, []);
  const [a, b] = await Promise.all([people.open(alice), people.open(bob)]);
  await openRoom(a.page, other);
  await openRoom(b.page, name);

  // Keyboard: type "@" and part of the name, move with the arrows, pick with Enter.
  const box = messageBox(b.page, name);
  await box.pressSequentially(`hi @${alice.username.slice(0, 4)}`);
  const list = mentionList(b.page);
  await expect(list).toBeVisible();
  await expect(list.getByRole('option')).toHaveCount(1);
  await expect(list.getByRole('option', { name: `@${alice.username}`, exact: true })).toBeVisible();
  await expect(list.getByRole('option', { name: `@${alice.username}` })).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', /.+/);
  await box.press('Enter');
  await expect(box).toHaveValue(`hi @${alice.username} `);
  await expect(list).toHaveCount(0);

  // Mouse: "@" alone lists everyone but yourself; Escape closes, a click picks.
  await box.pressSequentially('and @');
  await expect(list.getByRole('option')).toHaveCount(2);
  await box.press('Escape');
  await expect(list).toHaveCount(0);
  // Closed for that "@" until the caret leaves it: typing on does not bring it back.
  await box.pressSequentially(carol.username.slice(0, 2));
  await expect(list).toHaveCount(0);
  await box.press('Backspace');
  await box.press('Backspace');
  await box.press('Backspace');
  await box.pressSequentially(`@${carol.username.slice(0, 3)}`);
  await list.getByRole('option', { name: `@${carol.username}` }).click();
  await expect(box).toHaveValue(`hi @${alice.username} and @${carol.username} `);
  await expect(box).toBeFocused();
  await box.press('Enter');

  // Alice, in another room, gets a mention badge apart from the unread one.
  const button = roomButton(a.page, name);
  await expect(button).toHaveAccessibleDescription(/1 mention/);
  await expect(button).toHaveAccessibleDescription(/1 unread/);
  // Opening it: the mention of her is highlighted, and reading clears the badge.
  await openRoom(a.page, name);
  const article = articlesWith(a.page, 'hi @');
  await expect(article.locator('.mention.is-me')).toHaveText(`@${alice.username}`);
  await expect(article.locator('.mention:not(.is-me)')).toHaveText(`@${carol.username}`);
  await openRoom(a.page, other);
  await expect(button).not.toHaveAccessibleDescription(/mention/);

  // The server stored the mentions: a fresh load of the list agrees.
  const stored = await api.history(alice, room.id);
  expect(stored.messages.at(-1)?.mentions).toEqual([alice.id, carol.id]);
});

test('New messages: a room with unread messages opens at the first of them under a line, with Jump to latest; reading to the end marks it read', async ({
  api,
  people,
}) => {
  const [alice, bob] = await Promise.all([people.register('alice'), people.register('bob')]);
  const name = roomName('unread');
  const room = await api.createRoom(bob, name, [alice]);
  await api.sendMany(
    bob,
    room.id,
    Array.from({ length: 20 }, (_, i) => `earlier ${i + 1}`),
    1,
  );
  const before = await api.allMessages(alice, room.id);
  await markRead(api, alice, room.id, before.at(-1)!.seq);
  await api.sendMany(
    bob,
    room.id,
    Array.from({ length: 60 }, (_, i) => `unread ${String(i + 1).padStart(2, '0')}`),
    1,
  );

  const a = await people.open(alice);
  await expect(roomButton(a.page, name)).toHaveAccessibleDescription(/60 unread/);
  await openRoom(a.page, name);
  const log = messageLog(a.page);
  const line = log.getByRole('separator', { name: 'New messages' });
  await expect(line).toBeVisible();
  await expect(articlesWith(a.page, 'unread 01')).toBeVisible();
  // The line sits right above the first unread message, and the view is not at the bottom.
  const [lineBox, firstBox] = await Promise.all([line.boundingBox(), articlesWith(a.page, 'unread 01').boundingBox()]);
  expect(firstBox!.y).toBeGreaterThan(lineBox!.y);
  await expect(articlesWith(a.page, 'unread 60')).not.toBeInViewport();
  const jump = a.page.getByRole('button', { name: /Jump to latest/ });
  await expect(jump).toBeVisible();
  // Still unread until the end has been seen.
  await expect(roomButton(a.page, name)).toHaveAccessibleDescription(/\d+ unread/);
  await jump.click();
  await expect(articlesWith(a.page, 'unread 60')).toBeInViewport();
  await expect(roomButton(a.page, name)).not.toHaveAccessibleDescription(/\d+ unread/);
  // The server heard: a fresh list says nothing is unread.
  await expect
    .poll(async () => (await api.call<RoomsResponse>('GET', '/rooms', { token: alice.token })).rooms.find((r) => r.id === room.id)?.unreadCount, {
      timeout: 10_000,
    })
    .toBe(0);
});

test("links: Copy link gives the message's address; it opens the room at that message for a member, and says so for someone who cannot see the room", async ({
  api,
  people,
  baseURL,
}) => {
  const [alice, bob, eve] = await Promise.all([people.register('alice'), people.register('bob'), people.register('eve')]);
  const name = roomName('links');
  const room = await api.createRoom(alice, name, [bob]);
  await api.sendMany(
    alice,
    room.id,
    Array.from({ length: 120 }, (_, i) => `line ${String(i + 1).padStart(3, '0')}`),
    1,
  );
  const all = await api.allMessages(alice, room.id);
  const target = all[9]!;

  const a = await people.open(alice);
  await a.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseURL!).origin });
  await openRoom(a.page, name);
  await sendMessage(a.page, name, 'the latest word');
  const article = articlesWith(a.page, 'the latest word');
  await article.hover();
  await article.getByRole('button', { name: 'Copy link' }).click();
  await expect(article.getByRole('status')).toHaveText('Link copied');
  const latest = (await api.history(alice, room.id)).messages.at(-1)!;
  const copied = await a.page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(`${new URL(baseURL!).origin}/#/rooms/${room.id}/messages/${latest.id}`);

  // Bob opens a link to an old message: the room opens there, the message highlighted.
  const b = await people.open(bob);
  await b.page.goto(`/#/rooms/${room.id}/messages/${target.id}`);
  await expect(b.page.getByRole('heading', { level: 2, name })).toBeVisible();
  const shown = articlesWith(b.page, 'line 010');
  await expect(shown).toBeInViewport();
  await expect(shown).toHaveClass(/is-target/);

  // Eve is no member: she is told the room is not one she can see.
  const e = await people.open(eve);
  await e.page.goto(`/#/rooms/${room.id}/messages/${target.id}`);
  await expect(alertWith(e.page, "That link is to a room you can't see")).toBeVisible();
  await expect(e.page.getByRole('heading', { level: 2, name })).toHaveCount(0);
});
