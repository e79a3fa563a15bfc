// Paging up with the keyboard (Page Up in the focused log) through a room's history down
// to its first message: every page that arrives above, the room's first page included
// (which adds the "This is the start of #room" row), leaves the messages on screen
// exactly where they were. Each page is held at the network until the view is measured.
// Twice: rows of one height (the list's estimate) and rows it can only estimate.
import { expect, messageLog, openRoom, roomName, test, type People } from './fixtures.js';
import type { Api } from './api.js';
import { shift, visibleTops, waitStill } from './listGeometry.js';

const COUNT = 260;

/** Row heights the list can only estimate until it has rendered them: every 3rd message two lines, every 7th four, every 11th a paragraph that wraps. */
function mixedText(tag: string, i: number): string {
  const text = `${tag} line ${i + 1}`;
  if (i === 0 || i === COUNT - 1) return text;
  if (i % 11 === 0) return `${text} ${'and a long sentence that wraps across the width of the log '.repeat(4)}`;
  if (i % 7 === 0) return [text, 'second', 'third', 'fourth'].join('\n');
  if (i % 3 === 0) return `${text}\nsecond line`;
  return text;
}

for (const shape of ['one line each', 'mixed heights'] as const) {
  test(`Page Up to the start of a room (${shape}): no page arriving above moves the messages on screen, the first page included`, async ({ people, api }) => {
    await pageUpToStart(people, api, shape === 'one line each' ? (tag, i) => `${tag} line ${i + 1}` : mixedText);
  });
}

async function pageUpToStart(people: People, api: Api, textOf: (tag: string, i: number) => string): Promise<void> {
  test.setTimeout(150_000);
  const [author, readerUser] = await Promise.all([people.register('author'), people.register('reader')]);
  const name = roomName('pageup');
  const tag = name.slice(-6);
  const room = await api.createRoom(author, name);
  await api.addMember(author, room.id, readerUser.username);
  await api.sendMany(
    author,
    room.id,
    Array.from({ length: COUNT }, (_, i) => textOf(tag, i)),
  );
  // Sent many at once: stored in whatever order they arrived.
  const stored = await api.allMessages(author, room.id);
  const [oldest, newest] = [stored[0]!.text, stored.at(-1)!.text];
  // Read up to the end already: the room opens at its latest message (not at a "New messages" line).
  await api.call('POST', `/rooms/${room.id}/read`, { token: readerUser.token, body: { seq: stored.at(-1)!.seq } });
  const { page } = await people.open(readerUser);

  // Every older page waits here until the test lets it through.
  const held: (() => Promise<void>)[] = [];
  await page.route(/\/messages\?before=\d+/, (route) => {
    held.push(() => route.continue());
  });
  await openRoom(page, name);
  await expect(messageLog(page).getByText(newest, { exact: true })).toBeVisible();
  await messageLog(page).focus();

  const start = page.getByText(`This is the start of #${name}`);
  const shifts: number[] = [];
  for (let pageNo = 0; pageNo < 10 && (await start.count()) === 0; pageNo++) {
    await expect(async () => {
      await page.keyboard.press('PageUp');
      expect(held.length).toBeGreaterThan(0);
    }).toPass({ timeout: 30_000 });
    await waitStill(page);
    const before = await visibleTops(page);
    const answered = page.waitForResponse(/\/messages\?before=\d+/);
    await held.shift()!();
    await answered;
    await waitStill(page);
    const moved = shift(before, await visibleTops(page));
    expect(moved.compared).toBeGreaterThan(2);
    // In whole pixels: a fresh mount may land a fraction of a pixel off (scrollTop is rounded).
    shifts.push(Math.round(moved.max));
  }
  await expect(start).toBeAttached();
  // The first page arrived (the start row with it), and nothing on screen moved at any page.
  expect(shifts.length).toBeGreaterThan(1);
  expect(shifts).toEqual(shifts.map(() => 0));
  // And Page Up goes on to the start row itself.
  await expect(async () => {
    // Still the log that has focus, though the list was mounted afresh meanwhile.
    await expect(messageLog(page)).toBeFocused({ timeout: 1000 });
    await page.keyboard.press('PageUp');
    await expect(start).toBeInViewport({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(messageLog(page).getByText(oldest, { exact: true })).toBeVisible();
  // The start is loaded: nothing to jump to.
  await expect(page.getByRole('button', { name: 'Jump to first message' })).toHaveCount(0);
}
