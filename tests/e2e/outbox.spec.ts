// Sending in the order typed, and the outbox that survives: two users typing bursts at
// once see (and the server stores) each one's messages in typed order; a message typed
// while the server cannot be reached waits as "Sending…" across a page reload and a
// browser restart and is delivered once, with the clientId it was given when typed; a
// waiting message can be cancelled; logging out with unsent messages asks first.
import { chromium, type BrowserContext, type Page, type WebSocketRoute } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Message } from '../../src/shared/contract.js';
import type { Api, TestUser } from './api.js';
import { apiUrl, articlesWith, expect, expectSignedIn, messageBox, messageLog, openRoom, roomName, signIn, test } from './fixtures.js';

const ROUNDS = 3;
const BURST = 20;

/** Types `texts` one after another into the focused message box, each sent with Enter at once: a burst. */
async function burst(page: Page, room: string, texts: string[]): Promise<void> {
  await messageBox(page, room).focus();
  for (const text of texts) {
    await page.keyboard.insertText(text);
    await page.keyboard.press('Enter');
  }
}

/** The message texts in the log, top to bottom (the rows the virtualized list has in the DOM). */
function loggedTexts(page: Page): Promise<string[]> {
  return messageLog(page)
    .locator('article .message-text')
    .evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ''));
}

/** `all` filtered to the texts of `mine`, which must come in the order of `mine`. */
function inOrder(all: string[], mine: string[]): string[] {
  const wanted = new Set(mine);
  return all.filter((t) => wanted.has(t));
}

test('bursts of 20 from two users at once, three rounds: both screens and the stored history keep each user’s typed order', async ({ people, api }) => {
  // Slow on a loaded machine: each keypress is a round trip to the browser.
  test.setTimeout(360_000);
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const name = roomName('order');
  const room = await api.createRoom(aliceUser, name);
  await api.addMember(aliceUser, room.id, bobUser.username);
  const [alice, bob] = await Promise.all([people.open(aliceUser), people.open(bobUser)]);
  // Tall windows: a whole round (40 messages) is in the list's DOM at once.
  await Promise.all([alice.page.setViewportSize({ width: 1280, height: 1800 }), bob.page.setViewportSize({ width: 1280, height: 1800 })]);
  await Promise.all([openRoom(alice.page, name), openRoom(bob.page, name)]);

  const typed: { alice: string[]; bob: string[] } = { alice: [], bob: [] };
  for (let round = 1; round <= ROUNDS; round++) {
    const a = Array.from({ length: BURST }, (_, i) => `r${round} a${String(i + 1).padStart(2, '0')}`);
    const b = Array.from({ length: BURST }, (_, i) => `r${round} b${String(i + 1).padStart(2, '0')}`);
    typed.alice.push(...a);
    typed.bob.push(...b);
    await Promise.all([burst(alice.page, name, a), burst(bob.page, name, b)]);
    // Everything of this round arrived and was confirmed on both screens...
    for (const page of [alice.page, bob.page]) {
      await expect(page.getByText('Sending…')).toHaveCount(0, { timeout: 60_000 });
      await expect(async () => {
        const shown = await loggedTexts(page);
        expect(inOrder(shown, [...a, ...b]).length).toBe(2 * BURST);
        // ...and each user's messages are in the order they were typed.
        expect(inOrder(shown, a)).toEqual(a);
        expect(inOrder(shown, b)).toEqual(b);
      }).toPass({ timeout: 60_000 });
    }
  }

  const stored = await api.allMessages(aliceUser, room.id);
  const byAuthor = (id: string) => stored.filter((m) => m.authorId === id).map((m) => m.text);
  expect(byAuthor(aliceUser.id)).toEqual(typed.alice);
  expect(byAuthor(bobUser.id)).toEqual(typed.bob);
});

// ---------- the server out of reach ----------

const connectionLine = (page: Page) => page.getByRole('status').filter({ hasText: /Reconnecting…|Offline/ });

/**
 * A switch between the pages of `context` and the backend (REST and the socket); the
 * static web build loads either way. Playwright routes a page's WebSockets only from
 * its next load on, so install it before the page loads (or reload after).
 */
async function backendSwitch(context: BrowserContext): Promise<{ cut(): void; restore(): void }> {
  const api = apiUrl();
  let cut = false;
  const open = new Set<WebSocketRoute>();
  await context.route(
    (url) => url.href.startsWith(api),
    (route) => (cut ? route.abort('connectionrefused') : route.continue()),
  );
  await context.routeWebSocket(
    (url) => url.pathname.includes('/socket.io'),
    (ws) => {
      if (cut) return ws.close();
      ws.connectToServer();
      open.add(ws);
    },
  );
  return {
    cut() {
      cut = true;
      // The live connection drops too; every new one is refused.
      for (const ws of open) void ws.close();
      open.clear();
    },
    restore() {
      cut = false;
    },
  };
}

/** The outbox as kept in the account's IndexedDB database (the web build's local store). */
function storedOutbox(page: Page, userId: string): Promise<{ clientId: string; text: string }[]> {
  return page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(`parley-local-${id}`);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const value = await new Promise<unknown>((resolve, reject) => {
      const get = db.transaction('entries').objectStore('entries').get('outbox');
      get.onsuccess = () => resolve(get.result);
      get.onerror = () => reject(get.error);
    });
    db.close();
    if (typeof value !== 'string') return [];
    return JSON.parse(value) as { clientId: string; text: string }[];
  }, userId);
}

/** The one stored message with `text` (there must be exactly one). */
async function storedOnce(api: Api, user: TestUser, roomId: string, text: string): Promise<Message> {
  let found: Message[] = [];
  await expect(async () => {
    found = (await api.allMessages(user, roomId)).filter((m) => m.text === text);
    expect(found).toHaveLength(1);
  }).toPass({ timeout: 30_000 });
  return found[0]!;
}

test('a message typed while the server is out of reach survives a reload, shows as pending with Cancel, and is delivered once with its clientId', async ({
  people,
  api,
}) => {
  test.setTimeout(120_000);
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const name = roomName('outbox');
  const room = await api.createRoom(aliceUser, name);
  await api.addMember(aliceUser, room.id, bobUser.username);
  const [alice, bob] = await Promise.all([people.open(aliceUser), people.open(bobUser)]);
  await Promise.all([openRoom(alice.page, name), openRoom(bob.page, name)]);

  const backend = await backendSwitch(alice.context);
  await alice.page.reload();
  await expectSignedIn(alice.page, aliceUser.username);
  await openRoom(alice.page, name);
  backend.cut();
  await expect(connectionLine(alice.page)).toBeVisible({ timeout: 20_000 });
  const kept = `kept across a reload ${Date.now()}`;
  const cancelled = `cancelled before it went ${Date.now()}`;
  await burst(alice.page, name, [kept, cancelled]);
  await expect(alice.page.getByText('Sending…')).toHaveCount(2);
  // Cancel is named after the message it cancels.
  await alice.page.getByRole('button', { name: `Cancel sending “${cancelled}”` }).click();
  await expect(articlesWith(alice.page, cancelled)).toHaveCount(0);
  await expect.poll(async () => (await storedOutbox(alice.page, aliceUser.id)).map((p) => p.text)).toEqual([kept]);
  const clientId = (await storedOutbox(alice.page, aliceUser.id))[0]!.clientId;

  await alice.page.reload();
  await expectSignedIn(alice.page, aliceUser.username);
  await openRoom(alice.page, name);
  await expect(articlesWith(alice.page, kept)).toHaveCount(1);
  await expect(articlesWith(alice.page, kept)).toContainText('Sending…');
  await expect(alice.page.getByRole('button', { name: `Cancel sending “${kept}”` })).toBeVisible();
  await expect(articlesWith(bob.page, kept)).toHaveCount(0);

  backend.restore();
  await expect(connectionLine(alice.page)).toHaveCount(0, { timeout: 30_000 });
  await expect(alice.page.getByText('Sending…')).toHaveCount(0, { timeout: 20_000 });
  await expect(articlesWith(bob.page, kept)).toHaveCount(1);
  await expect(articlesWith(alice.page, kept)).toHaveCount(1);
  const stored = await storedOnce(api, aliceUser, room.id, kept);
  expect(stored.clientId).toBe(clientId);
  expect((await api.allMessages(aliceUser, room.id)).some((m) => m.text === cancelled)).toBe(false);
  await expect.poll(() => storedOutbox(alice.page, aliceUser.id)).toEqual([]);
});

test('a message typed while the server is out of reach survives closing and reopening the browser, and is delivered once', async ({ people, api, baseURL }) => {
  test.setTimeout(120_000);
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const name = roomName('restart');
  const room = await api.createRoom(aliceUser, name);
  await api.addMember(aliceUser, room.id, bobUser.username);
  const bob = await people.open(bobUser);
  await openRoom(bob.page, name);

  // Alice's browser keeps its profile on disk, like an installed browser.
  const profile = await mkdtemp(path.join(tmpdir(), 'parley-e2e-profile-'));
  const launch = () =>
    chromium.launchPersistentContext(profile, {
      baseURL,
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  try {
    let context = await launch();
    const backend = await backendSwitch(context);
    let page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    await signIn(page, aliceUser);
    await openRoom(page, name);

    backend.cut();
    await expect(connectionLine(page)).toBeVisible({ timeout: 20_000 });
    const text = `kept across a browser restart ${Date.now()}`;
    await burst(page, name, [text]);
    await expect(articlesWith(page, text)).toContainText('Sending…');
    await expect.poll(async () => (await storedOutbox(page, aliceUser.id)).map((p) => p.text)).toEqual([text]);
    const clientId = (await storedOutbox(page, aliceUser.id))[0]!.clientId;
    await context.close();

    // The browser starts again with the same profile; the server is reachable again.
    context = await launch();
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    await expectSignedIn(page, aliceUser.username);
    await openRoom(page, name);
    await expect(articlesWith(page, text)).toHaveCount(1);
    await expect(page.getByText('Sending…')).toHaveCount(0, { timeout: 30_000 });
    await expect(articlesWith(bob.page, text)).toHaveCount(1);
    const stored = await storedOnce(api, aliceUser, room.id, text);
    expect(stored.clientId).toBe(clientId);
    await context.close();
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
});

test('logging out with unsent messages asks first; staying keeps them, logging out drops them', async ({ people, api }) => {
  test.setTimeout(90_000);
  const aliceUser = await people.register('alice');
  const name = roomName('unsent');
  const room = await api.createRoom(aliceUser, name);
  const alice = await people.open(aliceUser);
  await openRoom(alice.page, name);

  const backend = await backendSwitch(alice.context);
  await alice.page.reload();
  await expectSignedIn(alice.page, aliceUser.username);
  await openRoom(alice.page, name);
  backend.cut();
  await expect(connectionLine(alice.page)).toBeVisible({ timeout: 20_000 });
  const text = `never sent ${Date.now()}`;
  await burst(alice.page, name, [text]);
  await expect(articlesWith(alice.page, text)).toContainText('Sending…');

  await alice.page.getByRole('button', { name: 'Log out' }).click();
  const ask = alice.page.getByRole('dialog', { name: 'Log out with unsent messages?' });
  await expect(ask).toBeVisible();
  await expect(ask).toContainText('1 message has not been sent yet');
  // The safe choice has focus.
  await expect(ask.getByRole('button', { name: 'Keep them and stay' })).toBeFocused();
  await ask.getByRole('button', { name: 'Keep them and stay' }).click();
  await expect(ask).toHaveCount(0);
  await expect(articlesWith(alice.page, text)).toContainText('Sending…');

  await alice.page.getByRole('button', { name: 'Log out' }).click();
  await ask.getByRole('button', { name: 'Log out and drop them' }).click();
  await expect(alice.page.getByRole('heading', { name: 'Sign in to Parley' })).toBeVisible();
  expect(await storedOutbox(alice.page, aliceUser.id)).toEqual([]);
  expect((await api.allMessages(aliceUser, room.id)).some((m) => m.text === text)).toBe(false);
});
