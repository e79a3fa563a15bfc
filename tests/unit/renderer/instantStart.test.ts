// @vitest-environment jsdom
// Instant start inside a ChatSession: the cached list and a room's cached page are on
// screen before the server answers; the server's answers then merge into them (same
// list generation: no remount, no flicker), each message once, and rooms the user lost
// while away go.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HistoryPage, Message } from '../../../src/shared/contract';
import type { HistoryRequest } from '../../../src/renderer/api/client';
import type { ChatSession } from '../../../src/renderer/session/ChatSession';
import { CACHE_KEYS } from '../../../src/renderer/session/startCache';
import { setBridgeForTests } from '../../../src/renderer/platform/bridge';
import { selectTimeline, useMessagesStore } from '../../../src/renderer/stores/messages';
import { usePresenceStore } from '../../../src/renderer/stores/presence';
import { useRoomsStore } from '../../../src/renderer/stores/rooms';
import { useViewStore } from '../../../src/renderer/stores/view';
import { FakeSocket, fakeApi, fakeBridge, fakeChatSession, localData, memoryLocalStore } from './fakes';
import { ALICE, OTHER_ROOM, ROOM, message, summary } from './helpers';

function room(n: number, roomId = ROOM): Message[] {
  return Array.from({ length: n }, (_, i) => message({ roomId, seq: i + 1 }));
}

function serve(all: Message[], query: HistoryRequest): HistoryPage {
  const limit = query.limit ?? 50;
  if (query.after !== undefined) {
    const from = query.after === 'start' ? 0 : all.findIndex((m) => m.seq > (query.after as number));
    const start = from === -1 ? all.length : from;
    const to = Math.min(all.length, start + limit);
    return { messages: all.slice(start, to), hasMore: to < all.length, hasOlder: start > 0, hasNewer: to < all.length };
  }
  const from = Math.max(0, all.length - limit);
  return { messages: all.slice(from), hasMore: from > 0, hasOlder: from > 0, hasNewer: false };
}

let socket: FakeSocket;
let chat: ChatSession;
const timeline = (roomId = ROOM) => selectTimeline(roomId)(useMessagesStore.getState());
const seqs = (roomId = ROOM) => timeline(roomId).messages.map((m) => m.seq);

/** A session whose account has `cached` in its local store; the cache has been read. */
async function startWithCache(cached: { rooms: ReturnType<typeof summary>[]; pages: Record<string, Message[]> }, history: Message[] = []) {
  const store = memoryLocalStore(ALICE);
  await store.set(CACHE_KEYS.rooms, { v: 1, rooms: cached.rooms });
  await store.set(CACHE_KEYS.recent, { v: 1, roomIds: Object.keys(cached.pages) });
  for (const [roomId, messages] of Object.entries(cached.pages)) {
    await store.set(CACHE_KEYS.room(roomId), { v: 1, messages, hasOlder: messages[0]!.seq > 1 });
  }
  const { api, client } = fakeApi((_roomId, query) => serve(history, query));
  socket = new FakeSocket();
  const bridge = fakeBridge();
  setBridgeForTests(bridge);
  chat = fakeChatSession({ api: client, socket, bridge, localStore: memoryLocalStore(ALICE) });
  await chat.cache.start();
  return api;
}

beforeEach(() => {
  localData.clear();
  vi.spyOn(document, 'hasFocus').mockReturnValue(true);
});

afterEach(async () => {
  await chat?.dispose({ wipeLocal: true });
  setBridgeForTests(null);
  useMessagesStore.getState().reset();
  useRoomsStore.getState().reset();
  usePresenceStore.getState().reset();
  useViewStore.getState().reset();
  vi.restoreAllMocks();
});

describe('instant start', () => {
  it('shows the cached page on opening, then merges the server\u2019s latest page without replacing the window', async () => {
    const all = room(90);
    await startWithCache({ rooms: [summary({ lastMessage: all[79]! })], pages: { [ROOM]: all.slice(30, 80) } }, all);
    expect(useRoomsStore.getState().rooms.map((r) => r.id)).toEqual([ROOM]);

    chat.navigation.openRoom(ROOM);
    // On screen before any answer: the cached newest 50.
    expect(timeline()).toMatchObject({ loaded: true, hasNewer: false, hasOlder: true });
    expect(seqs()).toEqual(all.slice(30, 80).map((m) => m.seq));
    const generation = timeline().generation;
    // Entered once that page has been painted, so the answer never holds up its first frame.
    expect(socket.of('room:enter')).toEqual([]);
    const enter = await vi.waitFor(() => socket.last('room:enter'));

    enter.answer({ ok: true, ...serve(all, { limit: 50 }), viewers: [] });
    // What is newer than the cached page arrives (the server's page, or a catch-up from a little before it).
    await vi.waitFor(() => expect(seqs().at(-1)).toBe(90));
    expect(seqs()).toEqual(all.slice(30, 90).map((m) => m.seq));
    expect(new Set(timeline().messages.map((m) => m.id)).size).toBe(60);
    // The same list, grown at its end: not mounted afresh.
    expect(timeline().generation).toBe(generation);
  });

  it('catches up a gap between the cached page and the server\u2019s latest page, each message once', async () => {
    const all = room(200);
    const api = await startWithCache({ rooms: [summary()], pages: { [ROOM]: all.slice(0, 50) } }, all);
    chat.navigation.openRoom(ROOM);
    const generation = timeline().generation;
    (await vi.waitFor(() => socket.last('room:enter'))).answer({ ok: true, ...serve(all, { limit: 50 }), viewers: [] });
    await vi.waitFor(() => expect(seqs().at(-1)).toBe(200));
    expect(api.history).toHaveBeenCalled();
    expect(seqs()).toEqual(all.map((m) => m.seq));
    expect(timeline().generation).toBe(generation);
  });

  it('a room left before its cached page was painted is never entered; the next one is', async () => {
    await startWithCache({
      rooms: [summary({ id: ROOM, name: 'general' }), summary({ id: OTHER_ROOM, name: 'other' })],
      pages: { [ROOM]: room(5), [OTHER_ROOM]: room(5, OTHER_ROOM) },
    });
    chat.navigation.openRoom(ROOM);
    chat.navigation.openRoom(OTHER_ROOM);
    await vi.waitFor(() => expect(socket.of('room:enter')).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(socket.of('room:enter').map((e) => e.payload.roomId)).toEqual([OTHER_ROOM]);
    expect(socket.of('room:leave')).toEqual([]);
  });

  it('drops a cached room the server no longer lists; the open one says the user was removed', async () => {
    await startWithCache({
      rooms: [summary({ id: ROOM, name: 'general' }), summary({ id: OTHER_ROOM, name: 'gone' })],
      pages: { [OTHER_ROOM]: room(5, OTHER_ROOM) },
    });
    socket.connected = false; // the server has not answered yet
    chat.navigation.openRoom(OTHER_ROOM);
    expect(seqs(OTHER_ROOM)).toHaveLength(5);
    vi.mocked(chat.api.rooms).mockResolvedValueOnce({ rooms: [summary({ id: ROOM, name: 'general' })] });
    await chat.rooms.refresh();
    expect(useRoomsStore.getState().rooms.map((r) => r.name)).toEqual(['general']);
    expect(useViewStore.getState().selectedRoomId).toBeNull();
    expect(useViewStore.getState().notice).toBe('You were removed from gone');
    expect(useMessagesStore.getState().timelines[OTHER_ROOM]).toBeUndefined();
  });

  it('does not show the cached page when the room opens at a message (that page comes next)', async () => {
    const all = room(60);
    await startWithCache({ rooms: [summary()], pages: { [ROOM]: all.slice(10) } });
    chat.navigation.openRoomAt(ROOM, all[0]!.id);
    expect(timeline().loaded).toBe(false);
  });
});
