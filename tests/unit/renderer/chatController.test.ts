// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { catchUpCursor, clientIdSchema, type Message } from '../../../src/shared/contract';
import {
  connectionLost,
  loadToFirst,
  markReadIfSeen,
  resendUnsent,
  resetChatState,
  retryMessage,
  roomGone,
  selectRoom,
  sendMessage,
  setTab,
  syncView,
} from '../../../src/renderer/app/chat';
import { setRuntime } from '../../../src/renderer/app/runtime';
import { setBridgeForTests } from '../../../src/renderer/platform/bridge';
import { selectOutbox, selectTimeline, useMessagesStore } from '../../../src/renderer/stores/messages';
import { usePresenceStore } from '../../../src/renderer/stores/presence';
import { useRoomsStore } from '../../../src/renderer/stores/rooms';
import { useSessionStore } from '../../../src/renderer/stores/session';
import { useViewStore } from '../../../src/renderer/stores/view';
import { FakeSocket, fakeApi, fakeBridge, flush } from './fakes';
import { ALICE, ROOM, message, messages, summary } from './helpers';

let socket: FakeSocket;
let bridge: ReturnType<typeof fakeBridge>;

function start(history?: Parameters<typeof fakeApi>[0]) {
  const { api, client } = fakeApi(history);
  socket = new FakeSocket();
  bridge = fakeBridge();
  setBridgeForTests(bridge);
  const session = { token: 't', expiresAt: '2999-01-01T00:00:00.000Z', serverUrl: 'http://server.test', user: { id: ALICE, username: 'alice', email: 'a@x.io' } };
  useSessionStore.getState().signedIn(session);
  setRuntime({ session, api: client, socket: socket.asSocket(), bridge });
  useRoomsStore.getState().setRooms([summary({ unreadCount: 2 })]);
  return api;
}

const timeline = () => selectTimeline(ROOM)(useMessagesStore.getState());
const outbox = () => selectOutbox(ROOM)(useMessagesStore.getState());

beforeEach(() => {
  vi.spyOn(document, 'hasFocus').mockReturnValue(true);
});

afterEach(() => {
  resetChatState();
  setRuntime(null);
  setBridgeForTests(null);
  useMessagesStore.getState().reset();
  useRoomsStore.getState().reset();
  usePresenceStore.getState().reset();
  useViewStore.getState().reset();
  vi.restoreAllMocks();
});

describe('entering and leaving rooms', () => {
  it('enters the selected room, shows its history and viewers, and tells the host', async () => {
    const api = start();
    selectRoom(ROOM);
    expect(bridge.setActiveRoom).toHaveBeenLastCalledWith(ROOM);
    const enter = socket.last('room:enter');
    expect(enter.payload).toEqual({ roomId: ROOM });
    const page = messages(3);
    enter.answer({ ok: true, messages: page, hasMore: true, viewers: [{ userId: ALICE, username: 'alice' }] });
    await flush();
    expect(timeline()).toMatchObject({ loaded: true, hasOlder: true });
    expect(timeline().messages).toEqual(page);
    expect(usePresenceStore.getState().viewers[ROOM]).toHaveLength(1);
    // Shown in a focused window: read up to the newest message.
    expect(api.markRead).toHaveBeenCalledWith(ROOM, page[2]!.id);
    expect(useRoomsStore.getState().rooms[0]?.unreadCount).toBe(0);
  });

  it('the Manage tab leaves the chat (room:leave) and coming back enters again', async () => {
    start();
    selectRoom(ROOM);
    socket.last('room:enter').answer({ ok: true, messages: messages(2), hasMore: false, viewers: [] });
    await flush();
    setTab('manage');
    expect(socket.last('room:leave').payload).toEqual({ roomId: ROOM });
    expect(bridge.setActiveRoom).toHaveBeenLastCalledWith(null);
    setTab('chat');
    expect(socket.of('room:enter')).toHaveLength(2);
    expect(bridge.setActiveRoom).toHaveBeenLastCalledWith(ROOM);
  });

  it('after a reconnect, re-enters and fetches what was missed with ?after=, page by page, without duplicates', async () => {
    const all = messages(7);
    const api = start((_room, query) => {
      // Like the server: the messages whose id is greater than the cursor.
      const first = all.findIndex((m) => m.id > query.after!);
      const from = first === -1 ? all.length : first;
      const page = all.slice(from, from + 2);
      return { messages: page, hasMore: from + 2 < all.length };
    });
    selectRoom(ROOM);
    socket.last('room:enter').answer({ ok: true, messages: all.slice(0, 3), hasMore: false, viewers: [] });
    await flush();

    socket.connected = false;
    connectionLost();
    socket.connected = true;
    syncView();
    const again = socket.last('room:enter');
    // A live push that overlaps the catch-up arrives meanwhile.
    useMessagesStore.getState().merge(ROOM, [all[4]!]);
    again.answer({ ok: true, messages: all.slice(2), hasMore: true, viewers: [] });
    await vi.waitFor(() => expect(timeline().messages.map((m) => m.id)).toEqual(all.map((m) => m.id)));
    // From a little before the newest message held before the disconnect (catchUpCursor),
    // not from the live push after the gap; then page by page from each page's last id.
    const afters = api.history.mock.calls.map(([, q]) => q?.after);
    expect(afters[0]).toBe(catchUpCursor(all[2]!.id));
    expect(afters.slice(1).every((after) => all.some((m) => m.id === after))).toBe(true);
  });

  it('being removed from the open room goes back to the list with an alert', async () => {
    start();
    selectRoom(ROOM);
    roomGone(ROOM, 'removed');
    expect(useViewStore.getState()).toMatchObject({ selectedRoomId: null, notice: 'You were removed from general' });
    expect(useRoomsStore.getState().rooms).toHaveLength(0);
    expect(bridge.setActiveRoom).toHaveBeenLastCalledWith(null);
  });

  it('a deleted room says so', () => {
    start();
    selectRoom(ROOM);
    roomGone(ROOM, 'deleted');
    expect(useViewStore.getState().notice).toBe('general was deleted');
  });
});

describe('history', () => {
  it('"jump to first" pages back to the true first message in one update', async () => {
    const all = messages(450);
    const api = start((_room, query) => {
      const end = all.findIndex((m) => m.id === query.before);
      const from = Math.max(0, end - (query.limit ?? 50));
      return { messages: all.slice(from, end), hasMore: from > 0 };
    });
    selectRoom(ROOM);
    socket.last('room:enter').answer({ ok: true, messages: all.slice(400), hasMore: true, viewers: [] });
    await flush();
    const updates = vi.fn();
    const unsubscribe = useMessagesStore.subscribe(updates);
    expect(await loadToFirst(ROOM)).toBe(true);
    unsubscribe();
    expect(timeline().messages.map((m) => m.id)).toEqual(all.map((m) => m.id));
    expect(timeline()).toMatchObject({ hasOlder: false, prepended: 400 });
    expect(api.history).toHaveBeenCalledTimes(2);
    // loading flag on, then one update with everything
    expect(updates).toHaveBeenCalledTimes(2);
  });
});

describe('sending', () => {
  async function inRoom() {
    selectRoom(ROOM);
    socket.last('room:enter').answer({ ok: true, messages: [], hasMore: false, viewers: [] });
    await flush();
  }

  it('shows a message as sending until the server answers, then as sent', async () => {
    start();
    await inRoom();
    expect(sendMessage(ROOM, '  hello  ')).toBe(true);
    expect(outbox()).toMatchObject([{ text: 'hello', status: 'sending' }]);
    const send = socket.last('message:send');
    expect(clientIdSchema.safeParse(send.payload.clientId).success).toBe(true);
    const stored: Message = message({ authorId: ALICE, clientId: String(send.payload.clientId), text: 'hello' });
    send.answer({ ok: true, message: stored });
    expect(outbox()).toEqual([]);
    expect(timeline().messages).toEqual([stored]);
  });

  it('a refused send shows the reason; Retry resends with the same clientId', async () => {
    start();
    await inRoom();
    sendMessage(ROOM, 'hello');
    const first = socket.last('message:send');
    first.answer({ ok: false, error: { code: 'rate_limited', message: 'Slow down.' } });
    expect(outbox()).toMatchObject([{ status: 'failed', error: 'Slow down.' }]);
    retryMessage(String(first.payload.clientId));
    expect(outbox()).toMatchObject([{ status: 'sending' }]);
    const second = socket.last('message:send');
    expect(second.payload).toEqual(first.payload);
  });

  it('no answer in time on a live connection: failed with Retry', async () => {
    start();
    await inRoom();
    sendMessage(ROOM, 'hello');
    socket.last('message:send').timeOut();
    expect(outbox()).toMatchObject([{ status: 'failed' }]);
  });

  it('offline, a message waits as sending and goes out once after reconnecting, with its clientId', async () => {
    start();
    await inRoom();
    socket.connected = false;
    sendMessage(ROOM, 'typed offline');
    expect(socket.of('message:send')).toHaveLength(0);
    expect(outbox()).toMatchObject([{ status: 'sending' }]);
    socket.connected = true;
    resendUnsent();
    expect(socket.of('message:send')).toHaveLength(1);
    expect(socket.last('message:send').payload.clientId).toBe(outbox()[0]!.clientId);
  });

  it('a send cut off by a disconnect stays sending (resent later), and a stale answer changes nothing', async () => {
    start();
    await inRoom();
    sendMessage(ROOM, 'hello');
    const first = socket.last('message:send');
    socket.connected = false;
    first.timeOut();
    expect(outbox()).toMatchObject([{ status: 'sending' }]);
    socket.connected = true;
    resendUnsent();
    const second = socket.last('message:send');
    expect(second.payload.clientId).toBe(first.payload.clientId);
    first.answer({ ok: false, error: { code: 'internal_error', message: 'late' } });
    expect(outbox()).toMatchObject([{ status: 'sending' }]);
  });
});

describe('read markers', () => {
  it('marks read only when the window has focus, and only forward', async () => {
    const api = start();
    vi.mocked(document.hasFocus).mockReturnValue(false);
    selectRoom(ROOM);
    const page = messages(2);
    socket.last('room:enter').answer({ ok: true, messages: page, hasMore: false, viewers: [] });
    await flush();
    expect(api.markRead).not.toHaveBeenCalled();
    vi.mocked(document.hasFocus).mockReturnValue(true);
    markReadIfSeen();
    markReadIfSeen();
    expect(api.markRead).toHaveBeenCalledTimes(1);
    useMessagesStore.getState().merge(ROOM, [message()]);
    markReadIfSeen();
    expect(api.markRead).toHaveBeenCalledTimes(2);
  });
});
