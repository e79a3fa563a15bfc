// @vitest-environment jsdom
// The start-up cache: what one session shows is written to the account's LocalStore,
// and the next session paints it before the server answers, then lets the server's
// answers replace or merge into it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../src/shared/contract';
import { CACHE_KEYS, CACHED_PAGE, CACHED_ROOMS, StartCache, wipeStartCache } from '../../../src/renderer/session/startCache';
import { useMessagesStore } from '../../../src/renderer/stores/messages';
import { useRoomsStore } from '../../../src/renderer/stores/rooms';
import { useUnreadLineStore } from '../../../src/renderer/stores/unreadLine';
import { useViewStore } from '../../../src/renderer/stores/view';
import type { LocalStore } from '../../../src/shared/localStore';
import { localData, memoryLocalStore } from './fakes';
import { ALICE, OTHER_ROOM, ROOM, message, summary } from './helpers';

/** seq 1..n in `roomId`. */
function history(n: number, roomId = ROOM): Message[] {
  return Array.from({ length: n }, (_, i) => message({ roomId, seq: i + 1 }));
}

const latestPage = (messages: Message[]) => ({ messages, hasMore: false, hasOlder: false, hasNewer: false });

function resetStores() {
  useRoomsStore.getState().reset();
  useMessagesStore.getState().reset();
}

/** A session's cache over the same (persisted) store. */
async function session(): Promise<StartCache> {
  const cache = new StartCache(memoryLocalStore(ALICE), {
    writeDelayMs: 60_000,
    onError: (e) => {
      throw e;
    },
  });
  await cache.start();
  return cache;
}

/** Opens a room as navigation does: the cache first, then the window is the server's. */
function openWithServerPage(cache: StartCache, roomId: string, messages: Message[]) {
  cache.paintRoom(roomId);
  const store = useMessagesStore.getState();
  store.beginTimeline(roomId);
  store.showPage(roomId, latestPage(messages), { kind: 'latest' });
}

/** A cache whose reads wait until `release` (IndexedDB slower than the network). */
function slowCache(): { cache: StartCache; release(): void } {
  const store = memoryLocalStore(ALICE);
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const slow: LocalStore = {
    ...store,
    get: async (key) => (await released, store.get(key)),
    entries: async (prefix) => (await released, store.entries(prefix)),
  };
  const cache = new StartCache(slow, {
    writeDelayMs: 60_000,
    onError: (e) => {
      throw e;
    },
  });
  return { cache, release };
}

const stored = (key: string) => {
  const json = localData.get(ALICE)?.get(key);
  return json === undefined ? undefined : (JSON.parse(json) as Record<string, unknown>);
};

beforeEach(() => {
  localData.clear();
  resetStores();
});
afterEach(resetStores);

describe('start-up cache', () => {
  it('writes the server\u2019s room list and the newest page of an opened room, and paints them at the next start', async () => {
    const first = await session();
    const all = history(80);
    useRoomsStore.getState().setRooms([summary({ id: ROOM, name: 'general', lastMessage: all.at(-1)! }), summary({ id: OTHER_ROOM, name: 'random' })]);
    openWithServerPage(first, ROOM, all.slice(-60));
    await first.flush();
    first.dispose();

    const page = stored(CACHE_KEYS.room(ROOM)) as { messages: Message[]; hasOlder: boolean };
    expect(page.messages.map((m) => m.seq)).toEqual(all.slice(-CACHED_PAGE).map((m) => m.seq));
    expect(page.hasOlder).toBe(true);
    expect(stored(CACHE_KEYS.recent)).toEqual({ v: 1, roomIds: [ROOM] });

    // The next start: the list is on screen before any answer, but not "loaded" (the server's is still to come).
    resetStores();
    const second = await session();
    expect(useRoomsStore.getState().rooms.map((r) => r.name)).toEqual(['general', 'random']);
    expect(useRoomsStore.getState().loaded).toBe(false);
    expect(second.paintRoom(ROOM)).toBe(true);
    const t = useMessagesStore.getState().timelines[ROOM]!;
    expect(t.loaded).toBe(true);
    expect(t.hasNewer).toBe(false);
    expect(t.hasOlder).toBe(true);
    expect(t.messages.map((m) => m.seq)).toEqual(all.slice(-CACHED_PAGE).map((m) => m.seq));
    // A room without a cached page, or one already shown, is left to the server.
    expect(second.paintRoom(OTHER_ROOM)).toBe(false);
    expect(second.paintRoom(ROOM)).toBe(false);
    second.dispose();
  });

  it('lets the server\u2019s list replace the cached one: a room the user was removed from goes, with its page', async () => {
    const first = await session();
    useRoomsStore.getState().setRooms([summary({ id: ROOM, name: 'general' }), summary({ id: OTHER_ROOM, name: 'gone' })]);
    openWithServerPage(first, OTHER_ROOM, history(5, OTHER_ROOM));
    openWithServerPage(first, ROOM, history(5));
    await first.flush();
    first.dispose();
    expect(stored(CACHE_KEYS.room(OTHER_ROOM))).toBeDefined();

    resetStores();
    const second = await session();
    expect(useRoomsStore.getState().rooms.map((r) => r.name)).toEqual(['general', 'gone']);
    useRoomsStore.getState().setRooms([summary({ id: ROOM, name: 'general' })]);
    expect(useRoomsStore.getState().rooms.map((r) => r.name)).toEqual(['general']);
    // A late cached list never overrides the server's.
    useRoomsStore.getState().showCached([summary({ id: OTHER_ROOM, name: 'gone' })]);
    expect(useRoomsStore.getState().rooms.map((r) => r.name)).toEqual(['general']);
    expect(second.paintRoom(OTHER_ROOM)).toBe(false);
    await second.flush();
    expect(stored(CACHE_KEYS.room(OTHER_ROOM))).toBeUndefined();
    expect((stored(CACHE_KEYS.rooms) as { rooms: Array<{ name: string }> }).rooms.map((r) => r.name)).toEqual(['general']);
    expect(stored(CACHE_KEYS.recent)).toEqual({ v: 1, roomIds: [ROOM] });
    second.dispose();
  });

  it('opens at the "New messages" line within the cached page, and leaves a room whose unread messages begin before it to the server', async () => {
    const first = await session();
    const all = history(100);
    useRoomsStore.getState().setRooms([summary({ lastMessage: all[79]! })]);
    openWithServerPage(first, ROOM, all.slice(0, 80));
    await first.flush();
    first.dispose();
    resetStores();
    const second = await session();
    useRoomsStore.getState().setRooms([summary({ lastMessage: all[99]!, unreadCount: 60 })]);
    // The first unread (41) is within the cached page (31-80): shown there.
    useUnreadLineStore.getState().set(ROOM, 41);
    expect(second.paintRoom(ROOM)).toBe(true);
    expect(useMessagesStore.getState().timelines[ROOM]!.anchor).toEqual({ kind: 'unread', messageId: all[40]!.id });
    useMessagesStore.getState().dropTimeline(ROOM);
    // All unread are newer than the cache: the cached end, the new ones arrive below it.
    useUnreadLineStore.getState().set(ROOM, 81);
    expect(second.paintRoom(ROOM)).toBe(true);
    expect(useMessagesStore.getState().timelines[ROOM]!.anchor).toEqual({ kind: 'latest' });
    useMessagesStore.getState().dropTimeline(ROOM);
    // The first unread (21) is before the cached page: left to the server.
    useUnreadLineStore.getState().set(ROOM, 21);
    expect(second.paintRoom(ROOM)).toBe(false);
    expect(useMessagesStore.getState().timelines[ROOM]).toBeUndefined();
    useUnreadLineStore.getState().reset();
    second.dispose();
  });

  it('does not paint a cached list once the server\u2019s has arrived', async () => {
    const first = await session();
    useRoomsStore.getState().setRooms([summary({ id: OTHER_ROOM, name: 'old' })]);
    await first.flush();
    first.dispose();
    resetStores();
    useRoomsStore.getState().setRooms([summary({ id: ROOM, name: 'new' })]);
    const second = await session();
    expect(useRoomsStore.getState().rooms.map((r) => r.name)).toEqual(['new']);
    second.dispose();
  });

  it(`keeps the pages of the ${CACHED_ROOMS} rooms opened last`, async () => {
    const cache = await session();
    const ids = Array.from({ length: CACHED_ROOMS + 2 }, (_, i) => (0xc00000 + i).toString(16).padStart(24, '0'));
    useRoomsStore.getState().setRooms(ids.map((id, i) => summary({ id, name: `room${i}` })));
    for (const id of ids) openWithServerPage(cache, id, history(3, id));
    await cache.flush();
    const recent = (stored(CACHE_KEYS.recent) as { roomIds: string[] }).roomIds;
    expect(recent).toEqual([...ids].reverse().slice(0, CACHED_ROOMS));
    expect(stored(CACHE_KEYS.room(ids[0]!))).toBeUndefined();
    expect(stored(CACHE_KEYS.room(ids[1]!))).toBeUndefined();
    expect(stored(CACHE_KEYS.room(ids[2]!))).toBeDefined();
    expect([...localData.get(ALICE)!.keys()].filter((k) => k.startsWith('cache:room:'))).toHaveLength(CACHED_ROOMS);
    cache.dispose();
  });

  it('does not write a window that is away from the live tail', async () => {
    const cache = await session();
    useRoomsStore.getState().setRooms([summary()]);
    cache.paintRoom(ROOM);
    const store = useMessagesStore.getState();
    store.beginTimeline(ROOM);
    store.showPage(ROOM, { messages: history(20), hasMore: true, hasOlder: false, hasNewer: true }, { kind: 'first' });
    await cache.flush();
    expect(stored(CACHE_KEYS.room(ROOM))).toBeUndefined();
    cache.dispose();
  });

  it('ignores damaged entries and entries of another format', async () => {
    const store = memoryLocalStore(ALICE);
    await store.set(CACHE_KEYS.rooms, { v: 999, rooms: [summary()] });
    await store.set(CACHE_KEYS.recent, { v: 1, roomIds: [ROOM, '../../x'] });
    await store.set(CACHE_KEYS.room(ROOM), { v: 1, messages: [{ id: 'x', seq: 'one' }], hasOlder: false });
    const cache = await session();
    expect(useRoomsStore.getState().rooms).toEqual([]);
    useRoomsStore.getState().setRooms([summary()]);
    expect(cache.paintRoom(ROOM)).toBe(false);
    expect(useMessagesStore.getState().timelines[ROOM]).toBeUndefined();
    cache.dispose();
  });

  it('writes back what the server showed while the cache was still being read', async () => {
    const { cache, release } = slowCache();
    const starting = cache.start();
    const all = history(20);
    useRoomsStore.getState().setRooms([summary({ id: ROOM, name: 'general', lastMessage: all.at(-1)! })]);
    openWithServerPage(cache, ROOM, all);
    release();
    await starting;
    await cache.flush();
    cache.dispose();
    expect((stored(CACHE_KEYS.rooms) as { rooms: unknown[] }).rooms).toHaveLength(1);
    expect((stored(CACHE_KEYS.room(ROOM)) as { messages: Message[] }).messages.map((m) => m.seq)).toEqual(all.map((m) => m.seq));
  });

  it('paints a room opened before the cache was read once it is read, unless the server’s page came first', async () => {
    const first = await session();
    const all = history(30);
    useRoomsStore.getState().setRooms([summary({ id: ROOM, name: 'general', lastMessage: all.at(-1)! }), summary({ id: OTHER_ROOM, name: 'random' })]);
    openWithServerPage(first, ROOM, all);
    openWithServerPage(first, OTHER_ROOM, history(5, OTHER_ROOM));
    await first.flush();
    first.dispose();

    resetStores();
    const { cache, release } = slowCache();
    const starting = cache.start();
    useRoomsStore.getState().setRooms([summary({ id: ROOM, name: 'general', lastMessage: all.at(-1)! }), summary({ id: OTHER_ROOM, name: 'random' })]);
    useViewStore.getState().select(ROOM);
    expect(cache.paintRoom(ROOM)).toBe(false); // nothing read yet
    release();
    await starting;
    await Promise.resolve();
    expect(useMessagesStore.getState().timelines[ROOM]?.messages.map((m) => m.seq)).toEqual(all.map((m) => m.seq));

    // Another room opened early whose page the server answered first keeps the server's page.
    resetStores();
    const again = slowCache();
    const startingAgain = again.cache.start();
    useRoomsStore.getState().setRooms([summary({ id: ROOM, name: 'general' }), summary({ id: OTHER_ROOM, name: 'random' })]);
    useViewStore.getState().select(OTHER_ROOM);
    openWithServerPage(again.cache, OTHER_ROOM, history(7, OTHER_ROOM));
    again.release();
    await startingAgain;
    await Promise.resolve();
    expect(useMessagesStore.getState().timelines[OTHER_ROOM]?.messages).toHaveLength(7);
    cache.dispose();
    again.cache.dispose();
    useViewStore.getState().select(null);
  });

  it('writes nothing after it is disposed (signing out wipes; nothing may come back)', async () => {
    const cache = await session();
    useRoomsStore.getState().setRooms([summary()]);
    openWithServerPage(cache, ROOM, history(3));
    cache.dispose();
    await cache.flush();
    expect(localData.get(ALICE)?.size ?? 0).toBe(0);
  });

  it('wipes only the cache when a session ends without signing out (the outbox waits)', async () => {
    const cache = await session();
    useRoomsStore.getState().setRooms([summary()]);
    openWithServerPage(cache, ROOM, history(3));
    await cache.flush();
    cache.dispose();
    const store = memoryLocalStore(ALICE);
    await store.set('outbox', [{ clientId: 'c1' }]);
    await wipeStartCache(store);
    expect([...localData.get(ALICE)!.keys()]).toEqual(['outbox']);
  });
});
