// History windows in a room of 300 messages (three pages of 100 and more), seeded through
// the REST API: scrolling up to the start, "Jump to first message" in one or two
// requests, scrolling down from there page by page, "Jump to latest" with the count of
// messages that arrived meanwhile, and a link that opens the room at a message (?around=).
import type { Page } from '@playwright/test';
import type { Message } from '../../src/shared/contract.js';
import type { Api, TestUser } from './api.js';
import { articlesWith, expect, messageLog, openRoom, roomName, test } from './fixtures.js';
import { shift, visibleTops, waitStill } from './listGeometry.js';

const COUNT = 300;
const text = (tag: string, n: number) => `${tag} message #${String(n).padStart(4, '0')} of ${COUNT}`;

interface SeededRoom {
  id: string;
  name: string;
  tag: string;
  messages: Message[];
}

async function seedRoom(api: Api, author: TestUser, reader: TestUser): Promise<SeededRoom> {
  const name = roomName('history');
  const tag = name.slice(-6);
  const room = await api.createRoom(author, name);
  await api.addMember(author, room.id, reader.username);
  await api.sendMany(
    author,
    room.id,
    Array.from({ length: COUNT }, (_, i) => text(tag, i + 1)),
  );
  const stored = await api.allMessages(reader, room.id);
  expect(stored).toHaveLength(COUNT);
  expect(stored[0]!.text).toBe(text(tag, 1));
  expect(stored[COUNT - 1]!.text).toBe(text(tag, COUNT));
  // The reader has read it all (a returning member): the room opens at its latest message,
  // not at a "New messages" line (tests/e2e/conversation.spec.ts covers that).
  await api.call('POST', `/rooms/${room.id}/read`, { token: reader.token, body: { seq: stored[COUNT - 1]!.seq } });
  return { id: room.id, name, tag, messages: stored };
}

/** The query strings of every history request the page makes (GET /rooms/:id/messages). */
function recordHistoryRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (/\/api\/rooms\/[0-9a-f]{24}\/messages$/.test(url.pathname) && request.method() === 'GET') seen.push(url.search);
  });
  return seen;
}

async function openAtLatest(page: Page, room: SeededRoom): Promise<void> {
  await openRoom(page, room.name);
  await expect(articlesWith(page, text(room.tag, COUNT))).toBeVisible();
  await expect(page.getByText(`This is the start of #${room.name}`)).toHaveCount(0);
}

/** Scrolls the log by `dy` until `done` holds, again and again (each scroll may ask for a page). */
async function scrollUntil(page: Page, dy: number, done: () => Promise<void>, timeout = 60_000): Promise<void> {
  const log = messageLog(page);
  await expect(async () => {
    await log.hover();
    await page.mouse.wheel(0, dy);
    await done();
  }).toPass({ timeout });
}

const jumpToFirst = (page: Page) => page.getByRole('button', { name: 'Jump to first message' });
const jumpToLatest = (page: Page) => page.getByRole('button', { name: /^Jump to latest/ });

test.describe(`history of ${COUNT} messages`, () => {
  test.describe.configure({ timeout: 120_000 });

  test('scrolling up loads older pages until the start of the room', async ({ people, api }) => {
    const [author, readerUser] = await Promise.all([people.register('author'), people.register('reader')]);
    const room = await seedRoom(api, author, readerUser);
    const { page } = await people.open(readerUser);
    const requests = recordHistoryRequests(page);
    await openAtLatest(page, room);

    const start = page.getByText(`This is the start of #${room.name}`);
    // In the viewport, not merely in the DOM: the virtualized list keeps its header in the
    // DOM wherever the list is scrolled. Waits on the start line, never on a clock.
    await scrollUntil(page, -20_000, () => expect(start).toBeInViewport({ timeout: 1_000 }));

    const first = articlesWith(page, text(room.tag, 1));
    await expect(first).toHaveCount(1);
    await expect(first).toBeInViewport();
    await expect(articlesWith(page, text(room.tag, 2))).toHaveCount(1);
    expect(requests.every((q) => /^\?before=\d+&limit=\d+$/.test(q))).toBe(true);
    // The start is held: nothing to jump to.
    await expect(jumpToFirst(page)).toHaveCount(0);
  });

  test('"Jump to first message" loads the first page directly (at most 2 history requests), then scrolling down loads newer pages', async ({ people, api }) => {
    const [author, readerUser] = await Promise.all([people.register('author'), people.register('reader')]);
    const room = await seedRoom(api, author, readerUser);
    const { page } = await people.open(readerUser);
    await openAtLatest(page, room);
    const requests = recordHistoryRequests(page);

    await jumpToFirst(page).click();
    await expect(page.getByText(`This is the start of #${room.name}`)).toBeInViewport({ timeout: 30_000 });
    const first = articlesWith(page, text(room.tag, 1));
    await expect(first).toHaveCount(1);
    await expect(first).toBeInViewport();
    // And nothing more while the list holds still at the start (it does not wander off to load newer pages).
    await waitStill(page);
    await page.waitForTimeout(1_000);
    await expect(first).toBeInViewport();
    expect(requests.length).toBeLessThanOrEqual(2);
    expect(requests[0]).toMatch(/[?&]after=start\b/);
    await expect(jumpToFirst(page)).toHaveCount(0);
    // Away from the latest messages: the way back is offered, below the list.
    await expect(jumpToLatest(page)).toBeVisible();

    // Down to the newest message, page by page (?after=<seq>), each message once.
    const last = articlesWith(page, text(room.tag, COUNT));
    await scrollUntil(page, 6_000, () => expect(last).toBeInViewport({ timeout: 1_000 }));
    const newer = requests.filter((q) => /[?&]after=\d+/.test(q));
    expect(newer.length).toBeGreaterThanOrEqual(2);
    await expect(articlesWith(page, text(room.tag, COUNT - 1))).toHaveCount(1);
    await expect(last).toHaveCount(1);
    // Back at the live end and looking at it: no jump button.
    await expect(jumpToLatest(page)).toHaveCount(0);
  });

  test('"Jump to latest" says how many messages arrived while away, and shows each once', async ({ people, api }) => {
    const [author, readerUser] = await Promise.all([people.register('author'), people.register('reader')]);
    const room = await seedRoom(api, author, readerUser);
    const { page } = await people.open(readerUser);
    await openAtLatest(page, room);
    await jumpToFirst(page).click();
    await expect(articlesWith(page, text(room.tag, 1))).toBeInViewport({ timeout: 30_000 });

    const news = ['while away one', 'while away two', 'while away three'].map((t) => `${room.tag} ${t}`);
    for (const line of news) await api.send(author, room.id, line);
    const button = page.getByRole('button', { name: 'Jump to latest, 3 new messages' });
    await expect(button).toBeVisible();
    // Not in the window yet: it is at the start of the room.
    await expect(articlesWith(page, news[0]!)).toHaveCount(0);

    await button.click();
    for (const line of news) {
      await expect(articlesWith(page, line)).toHaveCount(1);
    }
    await expect(articlesWith(page, news[2]!)).toBeInViewport();
    await expect(jumpToLatest(page)).toHaveCount(0);
    await expect(jumpToFirst(page)).toBeVisible();
  });

  test('a link to a message opens the room at that message (?around=)', async ({ people, api }) => {
    const [author, readerUser] = await Promise.all([people.register('author'), people.register('reader')]);
    const room = await seedRoom(api, author, readerUser);
    const { page } = await people.open(readerUser);
    const requests = recordHistoryRequests(page);
    const target = room.messages[119]!;

    await page.evaluate((hash) => {
      location.hash = hash;
    }, `#/rooms/${room.id}/messages/${target.id}`);
    await expect(page.getByRole('heading', { level: 2, name: room.name, exact: true })).toBeVisible();
    // The linked message itself: the 120th stored, whose text need not say #0120 (sendMany
    // sends in parallel batches, so only the first and last are stored in text order).
    const shown = articlesWith(page, target.text);
    await expect(shown).toBeInViewport({ timeout: 30_000 });
    await expect(shown).toHaveCount(1);
    expect(requests.some((q) => q.includes(`around=${target.id}`))).toBe(true);
    await waitStill(page);
    await page.waitForTimeout(1_000);
    await expect(shown).toBeInViewport();
    expect(requests.filter((q) => /[?&]after=/.test(q))).toEqual([]);
    // Neither end of the room is held: both ways are offered.
    await expect(jumpToFirst(page)).toBeVisible();
    await expect(jumpToLatest(page)).toBeVisible();
    // Nobody else's message was counted as new.
    await expect(page.getByRole('button', { name: /new message/ })).toHaveCount(0);
  });
});

// ---------- the window's bound: pages dropped and added above keep the view still ----------

const BIG = 1150;

test.describe(`a window over ${BIG} messages`, () => {
  test.describe.configure({ timeout: 180_000 });

  test('pages dropped above (scrolling down past the bound) and pages added above (scrolling back up) do not move what is on screen', async ({
    people,
    api,
  }) => {
    const [author, readerUser] = await Promise.all([people.register('author'), people.register('reader')]);
    const name = roomName('window');
    const tag = name.slice(-6);
    const room = await api.createRoom(author, name);
    await api.addMember(author, room.id, readerUser.username);
    await api.sendMany(
      author,
      room.id,
      Array.from({ length: BIG }, (_, i) => `${tag} line ${i + 1}`),
    );
    // Read up to the end already: the room opens at its latest message (not at a "New messages" line).
    const newest = (await api.history(readerUser, room.id, { limit: 1 })).messages.at(-1)!;
    await api.call('POST', `/rooms/${room.id}/read`, { token: readerUser.token, body: { seq: newest.seq } });
    const { page } = await people.open(readerUser);
    await openRoom(page, name);
    await jumpToFirst(page).click();
    await expect(page.getByText(`This is the start of #${name}`)).toBeInViewport({ timeout: 30_000 });

    // Hold the page that takes the window past its bound (after the 10th page of 100),
    // measure, let it through, measure again.
    let held: (() => Promise<void>) | null = null;
    await page.route(/\/messages\?after=\d+/, async (route) => {
      const after = Number(new URL(route.request().url()).searchParams.get('after'));
      if (after >= 1000 && !held) held = () => route.continue();
      else await route.continue();
    });
    await scrollUntil(page, 8_000, async () => expect(held).not.toBeNull(), 120_000);
    await waitStill(page);
    const beforeDrop = await visibleTops(page);
    const response = page.waitForResponse(/\/messages\?after=\d+/);
    await held!();
    await response;
    // The first page of the room was dropped: it can be jumped to again.
    await expect(jumpToFirst(page)).toBeVisible();
    await waitStill(page);
    const dropped = shift(beforeDrop, await visibleTops(page));
    expect(dropped.compared).toBeGreaterThan(5);
    expect(dropped.max).toBeLessThanOrEqual(1);

    // Back up to the dropped page: it is loaded again (?before=), added above, nothing moves.
    let heldOlder: (() => Promise<void>) | null = null;
    await page.route(/\/messages\?before=\d+/, async (route) => {
      if (!heldOlder) heldOlder = () => route.continue();
      else await route.continue();
    });
    await scrollUntil(page, -8_000, async () => expect(heldOlder).not.toBeNull(), 120_000);
    await waitStill(page);
    const beforePrepend = await visibleTops(page);
    const older = page.waitForResponse(/\/messages\?before=\d+/);
    await heldOlder!();
    await older;
    await waitStill(page);
    const added = shift(beforePrepend, await visibleTops(page));
    expect(added.compared).toBeGreaterThan(5);
    expect(added.max).toBeLessThanOrEqual(1);
  });
});
