// Instant start: the room list and the latest messages of a room opened before are
// painted from the account's local cache (IndexedDB in the web build) while the server
// has not answered anything yet; once it does, a room the user was removed from while
// away disappears and what arrived meanwhile is added, each message once.
import type { Page, Route, WebSocketRoute } from '@playwright/test';
import { apiUrl, articlesWith, expect, messageLog, openRoom, roomButton, roomHeading, roomName, test } from './fixtures.js';

/** One entry of the account's cache, read from the app's IndexedDB database (null until written). */
async function cacheEntry(page: Page, accountId: string, key: string): Promise<unknown> {
  return page.evaluate(
    async ({ db, key }) => {
      // Opening a database that does not exist would create it empty: look first.
      if (!(await indexedDB.databases()).some((d) => d.name === db)) return null;
      return new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open(db);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const conn = open.result;
          if (!conn.objectStoreNames.contains('entries')) {
            conn.close();
            resolve(null);
            return;
          }
          const get = conn.transaction('entries').objectStore('entries').get(key);
          get.onerror = () => reject(get.error);
          get.onsuccess = () => {
            conn.close();
            resolve(typeof get.result === 'string' ? JSON.parse(get.result) : null);
          };
        };
      });
    },
    { db: `parley-local-${accountId}`, key },
  );
}

/** How many entries the account's local database holds (0 when it does not exist). */
async function entryCount(page: Page, accountId: string): Promise<number> {
  return page.evaluate(async (db) => {
    if (!(await indexedDB.databases()).some((d) => d.name === db)) return 0;
    return new Promise<number>((resolve, reject) => {
      const open = indexedDB.open(db);
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const conn = open.result;
        if (!conn.objectStoreNames.contains('entries')) {
          conn.close();
          resolve(0);
          return;
        }
        const count = conn.transaction('entries').objectStore('entries').count();
        count.onerror = () => reject(count.error);
        count.onsuccess = () => {
          conn.close();
          resolve(count.result);
        };
      };
    });
  }, `parley-local-${accountId}`);
}

/** Holds every request to the backend (REST and the socket) until release() lets them through. */
async function holdTheServer(page: Page) {
  let released = false;
  const routes: Route[] = [];
  const sockets: WebSocketRoute[] = [];
  const api = apiUrl();
  await page.route(`${api}/**`, (route) => {
    if (released) void route.continue();
    else routes.push(route);
  });
  await page.routeWebSocket(new RegExp(`^${api.replace(/^http/, 'ws').replace(/[.]/g, '\\.')}/socket\\.io/`), (ws) => {
    if (released) ws.connectToServer();
    else sockets.push(ws);
  });
  return {
    /** Requests made so far and held unanswered. */
    held: () => routes.length + sockets.length,
    async release() {
      released = true;
      for (const route of routes.splice(0)) await route.continue().catch(() => {});
      for (const ws of sockets.splice(0)) {
        try {
          ws.connectToServer();
        } catch {
          // the page gave up on this one and opens another, which goes through
        }
      }
    },
  };
}

test('start paints the room list and latest messages from the cache before the server answers, then reconciles', async ({ people, api }) => {
  test.setTimeout(90_000);
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const stayName = roomName('stay');
  const goneName = roomName('gone');
  const stay = await api.createRoom(bobUser, stayName);
  const gone = await api.createRoom(bobUser, goneName);
  await api.addMember(bobUser, stay.id, aliceUser.username);
  await api.addMember(bobUser, gone.id, aliceUser.username);
  const texts = [1, 2, 3, 4, 5].map((n) => `before closing ${n} ${Date.now()}`);
  for (const text of texts) await api.send(bobUser, stay.id, text);
  const goneText = `in the room alice will leave ${Date.now()}`;
  await api.send(bobUser, gone.id, goneText);

  // First run: sign in, open both rooms; the cache fills as they are shown.
  const alice = await people.open(aliceUser);
  await openRoom(alice.page, goneName);
  await expect(articlesWith(alice.page, goneText)).toHaveCount(1);
  await openRoom(alice.page, stayName);
  for (const text of texts) await expect(articlesWith(alice.page, text)).toHaveCount(1);
  await expect
    .poll(async () => ((await cacheEntry(alice.page, aliceUser.id, `cache:room:${stay.id}`)) as { messages?: unknown[] } | null)?.messages?.length ?? 0)
    .toBe(texts.length);
  await expect.poll(async () => ((await cacheEntry(alice.page, aliceUser.id, 'cache:rooms')) as { rooms?: unknown[] } | null)?.rooms?.length ?? 0).toBe(2);
  await alice.page.close();

  // While she is away: removed from one room, a new message in the other.
  await api.call('DELETE', `/rooms/${gone.id}/members/${aliceUser.id}`, { token: bobUser.token });
  const whileAway = `while alice was away ${Date.now()}`;
  await api.send(bobUser, stay.id, whileAway);

  // Next start, same profile, the server unreachable for now: the cache paints.
  const page = await alice.context.newPage();
  const server = await holdTheServer(page);
  await page.goto('/');
  await expect(roomButton(page, stayName)).toBeVisible();
  await expect(roomButton(page, goneName)).toBeVisible();
  await roomButton(page, stayName).click();
  await expect(roomHeading(page, stayName)).toBeVisible();
  for (const text of texts) await expect(articlesWith(page, text)).toHaveCount(1);
  await expect(articlesWith(page, whileAway)).toHaveCount(0);
  // All of that came from the cache: the server has answered nothing so far.
  expect(server.held()).toBeGreaterThan(0);

  // The server answers: its room list replaces the cached one, the new message joins the page once.
  await server.release();
  await expect(roomButton(page, goneName)).toHaveCount(0);
  await expect(articlesWith(page, whileAway)).toHaveCount(1);
  for (const text of texts) await expect(articlesWith(page, text)).toHaveCount(1);
  await expect(messageLog(page).getByRole('article')).toHaveCount(texts.length + 1);
  await expect(roomButton(page, stayName)).toHaveCount(1);

  // Live again: a message sent now arrives once, after the others.
  const live = `after the start ${Date.now()}`;
  await api.send(bobUser, stay.id, live);
  await expect(articlesWith(page, live)).toHaveCount(1);
  await expect(messageLog(page).getByRole('article')).toHaveCount(texts.length + 2);
  await expect(messageLog(page).getByRole('article').last()).toContainText(live);

  // The removed room's page is gone from the cache too.
  await expect.poll(() => cacheEntry(page, aliceUser.id, `cache:room:${gone.id}`)).toBeNull();
});

test('signing out wipes the account\u2019s local data in the browser', async ({ people, api }) => {
  const aliceUser = await people.register('alice');
  const name = roomName('kept');
  const room = await api.createRoom(aliceUser, name);
  const text = `cached then wiped ${Date.now()}`;
  await api.send(aliceUser, room.id, text);
  const alice = await people.open(aliceUser);
  await openRoom(alice.page, name);
  await expect(articlesWith(alice.page, text)).toHaveCount(1);
  // The room list, the rooms opened last and the room's page.
  await expect.poll(() => entryCount(alice.page, aliceUser.id)).toBeGreaterThanOrEqual(3);
  expect(await cacheEntry(alice.page, aliceUser.id, `cache:room:${room.id}`)).not.toBeNull();

  await alice.page.getByRole('button', { name: 'Log out' }).click();
  await expect(alice.page.getByRole('heading', { name: 'Sign in to Parley' })).toBeVisible();
  await expect.poll(() => entryCount(alice.page, aliceUser.id)).toBe(0);
});
