// Loading history back to the first of 600 messages: by scrolling up, and by the
// "Jump to first message" button. The 600 messages are seeded through the REST API.
import type { Page } from '@playwright/test';
import type { Api, TestUser } from './api.js';
import { articlesWith, expect, messageLog, openRoom, roomName, test } from './fixtures.js';

const COUNT = 600;
const text = (tag: string, n: number) => `${tag} message #${String(n).padStart(4, '0')} of ${COUNT}`;

async function seedRoom(api: Api, author: TestUser, reader: TestUser): Promise<{ name: string; tag: string }> {
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
  return { name, tag };
}

async function openAtLatest(page: Page, name: string, tag: string): Promise<void> {
  await openRoom(page, name);
  await expect(articlesWith(page, text(tag, COUNT))).toBeVisible();
  await expect(page.getByText(`This is the start of #${name}`)).toHaveCount(0);
}

test.describe('history of 600 messages', () => {
  test.describe.configure({ timeout: 150_000 });

  test('scrolling up loads older pages until the start of the room', async ({ people, api }) => {
    const [author, readerUser] = await Promise.all([people.register('author'), people.register('reader')]);
    const { name, tag } = await seedRoom(api, author, readerUser);
    const { page } = await people.open(readerUser);
    await openAtLatest(page, name, tag);

    const log = messageLog(page);
    const start = page.getByText(`This is the start of #${name}`);
    // Scroll to the top of what is loaded, again and again, until the start is on screen:
    // each scroll asks for an older page. Waits on the start line, never on a clock.
    // (In the viewport, not merely in the DOM: the virtualized list keeps its header
    // in the DOM wherever the list is scrolled.)
    await expect(async () => {
      await log.hover();
      await page.mouse.wheel(0, -20_000);
      await expect(start).toBeInViewport({ timeout: 1_000 });
    }).toPass({ timeout: 120_000 });

    const first = articlesWith(page, text(tag, 1));
    await expect(first).toHaveCount(1);
    await expect(first).toBeInViewport();
    await expect(articlesWith(page, text(tag, 2))).toHaveCount(1);
  });

  test('"Jump to first message" goes straight to the first message', async ({ people, api }) => {
    const [author, readerUser] = await Promise.all([people.register('author'), people.register('reader')]);
    const { name, tag } = await seedRoom(api, author, readerUser);
    const { page } = await people.open(readerUser);
    await openAtLatest(page, name, tag);

    await page.getByRole('button', { name: 'Jump to first message' }).click();
    // On screen, not merely in the DOM (see above).
    await expect(page.getByText(`This is the start of #${name}`)).toBeInViewport({ timeout: 30_000 });
    const first = articlesWith(page, text(tag, 1));
    await expect(first).toHaveCount(1);
    await expect(first).toBeInViewport();
  });
});
