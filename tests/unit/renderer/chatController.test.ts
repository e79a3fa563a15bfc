// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { catchUpCursor, clientIdSchema, type HistoryPage, type Message } from '../../../src/shared/contract';
import { ApiRequestError, type HistoryRequest } from '../../../src/renderer/api/client';
import type { ChatSession } from '../../../src/renderer/session/ChatSession';
import { READ_INTERVAL_MS } from '../../../src/renderer/session/readReports';
import { newMessageCount } from '../../../src/renderer/stores/historyWindow';
import { setBridgeForTests } from '../../../src/renderer/platform/bridge';
import { selectOutbox, selectTimeline, useMessagesStore } from '../../../src/renderer/stores/messages';
import { usePresenceStore } from '../../../src/renderer/stores/presence';
import { useRoomsStore } from '../../../src/renderer/stores/rooms';
import { useViewStore } from '../../../src/renderer/stores/view';
import { FakeSocket, fakeApi, fakeBridge, fakeChatSession, flush } from './fakes';
import { ALICE, ROOM, message, messages, summary } from './helpers';

/** A room's whole history, seq 1..n. */
function room(n: number): Message[] {
  return messages(n).map((m, i) => ({ ...m, seq: i + 1 }));
}

/** The server's answer to a history query over `all`. */
function serve(all: Message[], query: HistoryRequest): HistoryPage {
  const limit = query.limit ?? 50;
  let from: number;
  let to: number;
  if (query.before !== undefined) {
    to = query.before - 1;
    from = Math.max(0, to - limit);
  } else {
    if (query.after === 'start') from = 0;
    else if (query.after !== undefined) from = query.after;
    else if (query.around !== undefined) from = Math.max(0, all.findIndex((m) => m.id === query.around) - Math.floor(limit / 2));
    else from = Math.max(0, all.length - limit);
    to = Math.min(all.length, from + limit);
  }
  return { messages: all.slice(from, to), hasMore: from > 0, hasOlder: from > 0, hasNewer: to < all.length };
}

/** The enter answer: the latest page of `all`. */
const entered = (all: Message[], limit = 50) => ({ ok: true as const, ...serve(all, { limit }), viewers: [] });

let socket: FakeSocket;
let bridge: ReturnType<typeof fakeBridge>;
let chat: ChatSession;

function start(history?: Parameters<typeof fakeApi>[0]) {
  const { api, client } = fakeApi(history);
  socket = new FakeSocket();
  bridge = fakeBridge();
  setBridgeForTests(bridge);
  chat = fakeChatSession({ api: client, socket, bridge });
  useRoomsStore.getState().setRooms([summary({ unreadCount: 2 })]);
  return api;
}

const timeline = () => selectTimeline(ROOM)(useMessagesStore.getState());
const outbox = () => selectOutbox(ROOM)(useMessagesStore.getState());

beforeEach(() => {
  vi.spyOn(document, 'hasFocus').mockReturnValue(true);
});

afterEach(() => {
  void chat?.dispose({ wipeLocal: false });
  setBridgeForTests(null);
  useMessagesStore.getState().reset();
  useRoomsStore.getState().reset();
  usePresenceStore.getState().reset();
  useViewStore.getState().reset();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('entering and leaving rooms', () => {
  it('enters the selected room, shows its history and viewers, reports reading over the socket, and tells the host', async () => {
    const api = start();
    chat.navigation.openRoom(ROOM);
    expect(bridge.setActiveRoom).toHaveBeenLastCalledWith(ROOM);
    const enter = socket.last('room:enter');
    expect(enter.payload).toEqual({ roomId: ROOM });
    const page = room(3);
    enter.answer({ ok: true, messages: page, hasMore: true, hasOlder: true, hasNewer: false, viewers: [{ userId: ALICE, username: 'alice' }] });
    await flush();
    expect(timeline()).toMatchObject({ loaded: true, hasOlder: true, hasNewer: false });
    expect(timeline().messages).toEqual(page);
    expect(usePresenceStore.getState().viewers[ROOM]).toHaveLength(1);
    // Shown in a focused window: read up to the newest message, over the live connection.
    expect(socket.last('room:read').payload).toEqual({ roomId: ROOM, seq: 3 });
    expect(api.markRead).not.toHaveBeenCalled();
    expect(useRoomsStore.getState().rooms[0]?.unreadCount).toBe(0);
  });

  it('the Manage tab leaves the chat: the waiting read report goes first, then room:leave; coming back enters again', async () => {
    start();
    chat.navigation.openRoom(ROOM);
    const all = room(3);
    socket.last('room:enter').answer(entered(all.slice(0, 2)));
    await flush();
    useMessagesStore.getState().merge(ROOM, [all[2]!]);
    chat.navigation.markReadIfSeen(); // within the interval: waits
    expect(socket.of('room:read').map((e) => e.payload.seq)).toEqual([2]);
    chat.navigation.showTab('manage');
    expect(socket.emitted.filter((e) => e.event === 'room:read' || e.event === 'room:leave').map((e) => e.event)).toEqual([
      'room:read',
      'room:read',
      'room:leave',
    ]);
    expect(socket.last('room:read').payload).toEqual({ roomId: ROOM, seq: 3 });
    expect(bridge.setActiveRoom).toHaveBeenLastCalledWith(null);
    chat.navigation.showTab('chat');
    expect(socket.of('room:enter')).toHaveLength(2);
    expect(bridge.setActiveRoom).toHaveBeenLastCalledWith(ROOM);
  });

  it('after a reconnect, fetches what was missed with ?after= from a little before the newest held, page by page, without duplicates', async () => {
    const all = room(120);
    const api = start((_room, query) => serve(all, { ...query, limit: 30 }));
    chat.navigation.openRoom(ROOM);
    socket.last('room:enter').answer(entered(all.slice(0, 70)));
    await flush();

    socket.connected = false;
    chat.disconnected(false);
    socket.connected = true;
    chat.navigation.syncView();
    const again = socket.last('room:enter');
    // A live push that overlaps the catch-up arrives meanwhile.
    useMessagesStore.getState().merge(ROOM, [all[100]!]);
    // The latest page starts after a gap: it does not reach back to what is held.
    again.answer(entered(all, 10));
    await vi.waitFor(() => expect(timeline().messages.map((m) => m.seq)).toEqual(all.slice(20).map((m) => m.seq)));
    const afters = api.history.mock.calls.map(([, q]) => q?.after);
    expect(afters[0]).toBe(catchUpCursor(70));
    expect(afters.slice(1).every((after) => typeof after === 'number')).toBe(true);
  });

  it('after a reconnect, a latest page that reaches back over the gap is merged without any request', async () => {
    const all = room(130);
    const api = start();
    chat.navigation.openRoom(ROOM);
    socket.last('room:enter').answer(entered(all.slice(0, 100), 100));
    await flush();
    chat.disconnected(false);
    chat.navigation.syncView();
    // Latest page 31..130: it reaches back past catchUpCursor(100) = 50.
    socket.last('room:enter').answer(entered(all, 100));
    await flush();
    expect(timeline().messages.map((m) => m.seq)).toEqual(all.map((m) => m.seq));
    expect(api.history).not.toHaveBeenCalled();
  });

  it('being removed from the open room goes back to the list with an alert', async () => {
    start();
    chat.navigation.openRoom(ROOM);
    chat.navigation.roomGone(ROOM, 'removed');
    expect(useViewStore.getState()).toMatchObject({ selectedRoomId: null, notice: 'You were removed from general' });
    expect(useRoomsStore.getState().rooms).toHaveLength(0);
    expect(bridge.setActiveRoom).toHaveBeenLastCalledWith(null);
  });

  it('a deleted room says so', () => {
    start();
    chat.navigation.openRoom(ROOM);
    chat.navigation.roomGone(ROOM, 'deleted');
    expect(useViewStore.getState().notice).toBe('general was deleted');
  });

  it('a rate-limited enter is tried again later, quietly', async () => {
    vi.useFakeTimers();
    start();
    chat.navigation.openRoom(ROOM);
    socket.last('room:enter').answer({ ok: false, error: { code: 'rate_limited', message: 'Slow down.', retryAfterMs: 2000 } });
    expect(useViewStore.getState().notice).toBeNull();
    await vi.advanceTimersByTimeAsync(1999);
    expect(socket.of('room:enter')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1001);
    expect(socket.of('room:enter')).toHaveLength(2);
  });
});

describe('history windows', () => {
  async function enterRoomOf(all: Message[]) {
    const api = start((_room, query) => serve(all, query));
    chat.navigation.openRoom(ROOM);
    socket.last('room:enter').answer(entered(all));
    await flush();
    return api;
  }

  it('"Jump to first message" asks for the first page only (?after=start)', async () => {
    const all = room(450);
    const api = await enterRoomOf(all);
    expect(await chat.history.jumpToFirst(ROOM)).toBe(true);
    expect(api.history).toHaveBeenCalledTimes(1);
    expect(api.history.mock.calls[0]![1]).toMatchObject({ after: 'start' });
    expect(timeline()).toMatchObject({ hasOlder: false, hasNewer: true, anchor: { kind: 'first' } });
    expect(timeline().messages[0]?.seq).toBe(1);
  });

  it('scrolling down from the start loads newer pages (?after=<seq>) up to the tail; scrolling up loads older ones (?before=<seq>)', async () => {
    const all = room(450);
    const api = await enterRoomOf(all);
    await chat.history.loadOlder(ROOM);
    expect(api.history.mock.calls.at(-1)![1]).toMatchObject({ before: 401 });
    await chat.history.jumpToFirst(ROOM);
    while (timeline().hasNewer) await chat.history.loadNewer(ROOM);
    const afters = api.history.mock.calls.slice(2).map(([, q]) => q?.after);
    expect(afters).toEqual([100, 200, 300, 400]);
    expect(timeline().messages.map((m) => m.seq)).toEqual(all.map((m) => m.seq));
  });

  it('messages that arrive away from the tail are counted; "Jump to latest" shows them once', async () => {
    const all = room(300);
    const more = room(303)
      .slice(300)
      .map((m) => m);
    const api = await enterRoomOf(all);
    await chat.history.jumpToFirst(ROOM);
    for (const m of more) useMessagesStore.getState().merge(ROOM, [m]);
    useMessagesStore.getState().merge(ROOM, [more[1]!]);
    expect(newMessageCount(timeline())).toBe(3);
    expect(timeline().messages.at(-1)?.seq).toBe(100);
    // The latest page the server gives already holds two of the three.
    api.history.mockImplementationOnce(async () => serve([...all, ...more.slice(0, 2)], {}));
    expect(await chat.history.jumpToLatest(ROOM)).toBe('replaced');
    expect(
      timeline()
        .messages.slice(-4)
        .map((m) => m.seq),
    ).toEqual([300, 301, 302, 303]);
    expect(new Set(timeline().messages.map((m) => m.id)).size).toBe(timeline().messages.length);
    expect(timeline()).toMatchObject({ hasNewer: false, anchor: { kind: 'latest' } });
    // At the tail already: the list only scrolls.
    expect(await chat.history.jumpToLatest(ROOM)).toBe('scroll');
  });

  it('sending while away from the tail goes back to it', async () => {
    const all = room(300);
    const api = await enterRoomOf(all);
    await chat.history.jumpToFirst(ROOM);
    chat.outbox.send(ROOM, 'hello');
    await vi.waitFor(() => expect(timeline().hasNewer).toBe(false));
    expect(api.history.mock.calls.at(-1)![1]).toEqual({ limit: 100 });
  });

  it('opens a room at a message: the page around it, counted from the tail the enter answered', async () => {
    const all = room(500);
    const api = start((_room, query) => serve(all, query));
    const target = all[99]!;
    chat.navigation.openRoomAt(ROOM, target.id);
    socket.last('room:enter').answer(entered(all));
    await vi.waitFor(() => expect(timeline().anchor).toEqual({ kind: 'message', messageId: target.id }));
    expect(api.history.mock.calls[0]![1]).toMatchObject({ around: target.id });
    expect(timeline().messages.some((m) => m.id === target.id)).toBe(true);
    expect(timeline()).toMatchObject({ hasNewer: true, tailSeq: 500 });
    // Already open with the message held: shown there without a request.
    chat.navigation.openRoomAt(ROOM, all[110]!.id);
    expect(timeline().anchor).toEqual({ kind: 'message', messageId: all[110]!.id });
    expect(api.history).toHaveBeenCalledTimes(1);
  });

  it('a history page refused with "not now" is fetched again after retryAfterMs, without a notice', async () => {
    const all = room(300);
    const api = await enterRoomOf(all);
    vi.useFakeTimers();
    let calls = 0;
    api.history.mockImplementation(async (_room: string, query: HistoryRequest = {}) => {
      calls += 1;
      if (calls === 1) throw new ApiRequestError(429, { code: 'rate_limited', message: 'Slow down.', retryAfterMs: 500 });
      return serve(all, query);
    });
    const done = chat.history.jumpToFirst(ROOM);
    await vi.advanceTimersByTimeAsync(800);
    expect(await done).toBe(true);
    expect(calls).toBe(2);
    expect(useViewStore.getState().notice).toBeNull();
  });
});

describe('sending', () => {
  async function inRoom() {
    chat.navigation.openRoom(ROOM);
    socket.last('room:enter').answer({ ok: true, messages: [], hasMore: false, hasOlder: false, hasNewer: false, viewers: [] });
    await flush();
  }

  it('shows a message as sending until the server answers, then as sent', async () => {
    start();
    await inRoom();
    expect(chat.outbox.send(ROOM, '  hello  ')).toBe(true);
    expect(outbox()).toMatchObject([{ text: 'hello', status: 'sending' }]);
    const send = socket.last('message:send');
    expect(clientIdSchema.safeParse(send.payload.clientId).success).toBe(true);
    const stored: Message = message({ authorId: ALICE, clientId: String(send.payload.clientId), text: 'hello' });
    send.answer({ ok: true, message: stored });
    expect(outbox()).toEqual([]);
    expect(timeline().messages).toEqual([stored]);
  });

  it('one message at a time per room, in the order typed', async () => {
    start();
    await inRoom();
    chat.outbox.send(ROOM, 'one');
    chat.outbox.send(ROOM, 'two');
    expect(socket.of('message:send').map((e) => e.payload.text)).toEqual(['one']);
    const first = socket.last('message:send');
    first.answer({ ok: true, message: message({ authorId: ALICE, clientId: String(first.payload.clientId), text: 'one' }) });
    expect(socket.of('message:send').map((e) => e.payload.text)).toEqual(['one', 'two']);
  });

  it('rate_limited or overloaded: stays "Sending…" and goes again by itself after retryAfterMs, same clientId, order kept', async () => {
    start();
    await inRoom();
    vi.useFakeTimers();
    chat.outbox.send(ROOM, 'one');
    chat.outbox.send(ROOM, 'two');
    const first = socket.last('message:send');
    first.answer({ ok: false, error: { code: 'rate_limited', message: 'Slow down.', retryAfterMs: 1000 } });
    expect(outbox()).toMatchObject([
      { text: 'one', status: 'sending' },
      { text: 'two', status: 'sending' },
    ]);
    await vi.advanceTimersByTimeAsync(999);
    expect(socket.of('message:send')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(501);
    const second = socket.last('message:send');
    expect(second.payload).toEqual(first.payload);
    second.answer({ ok: false, error: { code: 'overloaded', message: 'Busy.', retryAfterMs: 200 } });
    await vi.advanceTimersByTimeAsync(300);
    const third = socket.last('message:send');
    expect(third.payload).toEqual(first.payload);
    third.answer({ ok: true, message: message({ authorId: ALICE, clientId: String(first.payload.clientId), text: 'one' }) });
    expect(socket.last('message:send').payload.text).toBe('two');
    expect(outbox().map((p) => p.status)).toEqual(['sending']);
  });

  it('another refusal shows the reason; Retry resends with the same clientId', async () => {
    start();
    await inRoom();
    chat.outbox.send(ROOM, 'hello');
    const first = socket.last('message:send');
    first.answer({ ok: false, error: { code: 'invalid_text', message: 'That text cannot be sent.' } });
    expect(outbox()).toMatchObject([{ status: 'failed', error: 'That text cannot be sent.' }]);
    chat.outbox.retry(String(first.payload.clientId));
    expect(outbox()).toMatchObject([{ status: 'sending' }]);
    const second = socket.last('message:send');
    expect(second.payload).toEqual(first.payload);
  });

  it('no answer in time on a live connection: stays "Sending…" and goes again first, same clientId, so the next cannot overtake it', async () => {
    start();
    await inRoom();
    vi.useFakeTimers();
    chat.outbox.send(ROOM, 'hello');
    chat.outbox.send(ROOM, 'next');
    const first = socket.last('message:send');
    first.timeOut();
    expect(outbox()).toMatchObject([
      { text: 'hello', status: 'sending' },
      { text: 'next', status: 'sending' },
    ]);
    expect(socket.of('message:send')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1600);
    const again = socket.last('message:send');
    expect(again.payload).toEqual(first.payload);
    again.answer({ ok: true, message: message({ authorId: ALICE, clientId: String(first.payload.clientId), text: 'hello' }) });
    expect(socket.last('message:send').payload.text).toBe('next');
  });

  it('offline, a message waits as sending and goes out once after reconnecting, with its clientId', async () => {
    start();
    await inRoom();
    socket.connected = false;
    chat.outbox.send(ROOM, 'typed offline');
    expect(socket.of('message:send')).toHaveLength(0);
    expect(outbox()).toMatchObject([{ status: 'sending' }]);
    socket.connected = true;
    chat.outbox.resendUnsent();
    chat.outbox.resendUnsent();
    expect(socket.of('message:send')).toHaveLength(1);
    expect(socket.last('message:send').payload.clientId).toBe(outbox()[0]!.clientId);
  });

  it('a send cut off by a disconnect stays sending (resent after reconnecting), and a stale answer changes nothing', async () => {
    start();
    await inRoom();
    chat.outbox.send(ROOM, 'hello');
    const first = socket.last('message:send');
    socket.connected = false;
    chat.disconnected(false);
    first.timeOut();
    expect(outbox()).toMatchObject([{ status: 'sending' }]);
    socket.connected = true;
    chat.outbox.resendUnsent();
    const second = socket.last('message:send');
    expect(second.payload.clientId).toBe(first.payload.clientId);
    first.answer({ ok: false, error: { code: 'internal_error', message: 'late' } });
    expect(outbox()).toMatchObject([{ status: 'sending' }]);
  });
});

describe('read reports', () => {
  it('only when the window has focus, only forward, at most once per interval, and over HTTP without a connection', async () => {
    vi.useFakeTimers();
    const api = start();
    vi.mocked(document.hasFocus).mockReturnValue(false);
    chat.navigation.openRoom(ROOM);
    const page = room(2);
    socket.last('room:enter').answer(entered(page));
    await vi.advanceTimersByTimeAsync(0);
    expect(socket.of('room:read')).toHaveLength(0);
    vi.mocked(document.hasFocus).mockReturnValue(true);
    chat.navigation.markReadIfSeen();
    chat.navigation.markReadIfSeen();
    expect(socket.of('room:read').map((e) => e.payload.seq)).toEqual([2]);
    // Ten messages arrive within the interval: one more report, with the newest.
    for (let seq = 3; seq <= 12; seq++) {
      useMessagesStore.getState().merge(ROOM, [{ ...message(), seq }]);
      chat.navigation.markReadIfSeen();
    }
    expect(socket.of('room:read')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(READ_INTERVAL_MS);
    expect(socket.of('room:read').map((e) => e.payload.seq)).toEqual([2, 12]);
    // Without a connection the report goes over HTTP; losing focus sends it at once.
    socket.connected = false;
    useMessagesStore.getState().merge(ROOM, [{ ...message(), seq: 13 }]);
    chat.navigation.markReadIfSeen();
    chat.navigation.flushReads();
    expect(api.markRead).toHaveBeenCalledWith(ROOM, 13);
  });
});
