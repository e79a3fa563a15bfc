// Losing the connection and getting it back: catch-up without duplicates, and a
// message typed while offline that waits ("Sending…") and is then delivered once.
import { articlesWith, expect, openRoom, roomName, sendMessage, test } from './fixtures.js';

test('offline and back: missed messages appear once; a message typed offline is delivered once', async ({ people, api }) => {
  test.setTimeout(120_000);
  const [aliceUser, bobUser] = await Promise.all([people.register('alice'), people.register('bob')]);
  const name = roomName('flaky');
  const room = await api.createRoom(aliceUser, name);
  await api.addMember(aliceUser, room.id, bobUser.username);
  const [alice, bob] = await Promise.all([people.open(aliceUser), people.open(bobUser)]);
  await Promise.all([openRoom(alice.page, name), openRoom(bob.page, name)]);

  const before = `before the outage ${Date.now()}`;
  await sendMessage(alice.page, name, before);
  await expect(articlesWith(bob.page, before)).toHaveCount(1);
  const connection = bob.page.getByRole('status').filter({ hasText: /Reconnecting…|Offline/ });
  await expect(connection).toHaveCount(0);

  // Chromium's offline mode fails new connections and stops traffic on open ones but
  // does not close them: a client that does not listen for the browser's "offline"
  // event notices only when Socket.IO's heartbeat lapses (25 s ping + 20 s timeout).
  await bob.context.setOffline(true);
  await expect(connection).toBeVisible({ timeout: 50_000 });

  const missed = [1, 2, 3].map((n) => `missed while offline ${n} ${Date.now()}`);
  for (const text of missed) {
    await sendMessage(alice.page, name, text);
    await expect(articlesWith(alice.page, text)).toHaveCount(1);
  }
  const typedOffline = `typed while offline ${Date.now()}`;
  await sendMessage(bob.page, name, typedOffline);
  await expect(articlesWith(bob.page, typedOffline)).toHaveCount(1);
  await expect(bob.page.getByText('Sending…')).toBeVisible();
  for (const text of missed) await expect(articlesWith(bob.page, text)).toHaveCount(0);
  await expect(articlesWith(alice.page, typedOffline)).toHaveCount(0);

  await bob.context.setOffline(false);
  await expect(connection).toHaveCount(0, { timeout: 20_000 });

  for (const text of missed) await expect(articlesWith(bob.page, text)).toHaveCount(1);
  await expect(bob.page.getByText('Sending…')).toHaveCount(0);
  await expect(articlesWith(bob.page, typedOffline)).toHaveCount(1);
  await expect(articlesWith(alice.page, typedOffline)).toHaveCount(1);
  await expect(articlesWith(alice.page, typedOffline)).toContainText(bobUser.username);

  // A later message is the signal that everything earlier has arrived: count again.
  const after = `after the outage ${Date.now()}`;
  await sendMessage(alice.page, name, after);
  await expect(articlesWith(bob.page, after)).toHaveCount(1);
  await expect(articlesWith(alice.page, after)).toHaveCount(1);
  for (const text of [before, ...missed, typedOffline]) {
    await expect(articlesWith(bob.page, text)).toHaveCount(1);
    await expect(articlesWith(alice.page, text)).toHaveCount(1);
  }

  // Stored exactly once each, in the order they were sent.
  const stored = (await api.allMessages(aliceUser, room.id)).map((m) => m.text);
  expect(stored).toEqual([before, ...missed, typedOffline, after]);
});
