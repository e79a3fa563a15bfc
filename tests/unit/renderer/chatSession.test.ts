// @vitest-environment jsdom
// The ChatSession as the one owner of a signed-in session: what it keeps in the local
// store (the outbox), what disposing it resets, and that nothing of it acts afterwards.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatSession } from '../../../src/renderer/session/ChatSession';
import { OUTBOX_KEY } from '../../../src/renderer/session/outbox';
import { selectOutbox, selectTimeline, useMessagesStore } from '../../../src/renderer/stores/messages';
import { usePresenceStore } from '../../../src/renderer/stores/presence';
import { useRoomsStore } from '../../../src/renderer/stores/rooms';
import { useViewStore } from '../../../src/renderer/stores/view';
import { useConnectionStore } from '../../../src/renderer/stores/connection';
import { FakeSocket, fakeBridge, fakeChatSession, flush, localData, memoryLocalStore } from './fakes';
import { ALICE, BOB, ROOM, message, summary } from './helpers';

let socket: FakeSocket;
let chat: ChatSession;

function newSession(): ChatSession {
  socket = new FakeSocket();
  chat = fakeChatSession({ socket, bridge: fakeBridge(), localStore: memoryLocalStore(ALICE) });
  return chat;
}

async function inRoom() {
  useRoomsStore.getState().setRooms([summary()]);
  chat.navigation.openRoom(ROOM);
  socket.last('room:enter').answer({ ok: true, messages: [], hasMore: false, hasOlder: false, hasNewer: false, viewers: [{ userId: BOB, username: 'bob' }] });
  await flush();
}

const stored = async () => (await memoryLocalStore(ALICE).get<{ clientId: string; text: string }[]>(OUTBOX_KEY)) ?? [];
const outbox = () => selectOutbox(ROOM)(useMessagesStore.getState());

beforeEach(() => {
  localData.clear();
  vi.spyOn(document, 'hasFocus').mockReturnValue(true);
});

afterEach(async () => {
  await chat?.dispose({ wipeLocal: false });
  vi.restoreAllMocks();
});

describe('the outbox in the local store', () => {
  it('keeps what waits under "outbox" and drops it once the server stored it', async () => {
    newSession();
    await chat.outbox.restore();
    await inRoom();
    socket.connected = false;
    chat.outbox.send(ROOM, 'typed offline');
    await vi.waitFor(async () => expect((await stored()).map((p) => p.text)).toEqual(['typed offline']));
    const clientId = (await stored())[0]!.clientId;
    socket.connected = true;
    chat.outbox.resendUnsent();
    const send = socket.last('message:send');
    expect(send.payload.clientId).toBe(clientId);
    send.answer({ ok: true, message: message({ authorId: ALICE, clientId, text: 'typed offline' }) });
    await vi.waitFor(async () => expect(await stored()).toEqual([]));
  });

  it('a new session of the same account (a reload, a restart) brings it back first and sends it once with its clientId', async () => {
    newSession();
    await chat.outbox.restore();
    await inRoom();
    socket.connected = false;
    chat.outbox.send(ROOM, 'one');
    chat.outbox.send(ROOM, 'two');
    await vi.waitFor(async () => expect(await stored()).toHaveLength(2));
    const before = await stored();
    await chat.dispose({ wipeLocal: false });

    newSession();
    socket.connected = false;
    chat.outbox.send(ROOM, 'three, typed before the store answered');
    socket.connected = true;
    await chat.outbox.restore();
    expect(outbox().map((p) => p.text)).toEqual(['one', 'two', 'three, typed before the store answered']);
    // One at a time, the oldest first, with the clientId it was typed with.
    expect(socket.of('message:send').map((e) => e.payload)).toEqual([{ roomId: ROOM, clientId: before[0]!.clientId, text: 'one' }]);
    chat.outbox.resendUnsent();
    expect(socket.of('message:send')).toHaveLength(1);
  });

  it('a cancelled message leaves the outbox and the store and is never sent', async () => {
    newSession();
    await chat.outbox.restore();
    await inRoom();
    socket.connected = false;
    chat.outbox.send(ROOM, 'keep');
    chat.outbox.send(ROOM, 'drop');
    chat.outbox.cancel(outbox()[1]!.clientId);
    await vi.waitFor(async () => expect((await stored()).map((p) => p.text)).toEqual(['keep']));
    socket.connected = true;
    chat.outbox.resendUnsent();
    expect(socket.of('message:send').map((e) => e.payload.text)).toEqual(['keep']);
    expect(chat.outbox.unsentCount()).toBe(1);
  });
});

describe('disposing the session', () => {
  it('resets every store, forgets drafts, and wipes the local store at sign-out', async () => {
    newSession();
    await chat.outbox.restore();
    await inRoom();
    chat.drafts.set(ROOM, 'half a thought');
    socket.connected = false;
    chat.outbox.send(ROOM, 'unsent');
    await vi.waitFor(async () => expect(await stored()).toHaveLength(1));
    await chat.dispose({ wipeLocal: true });
    expect(chat.drafts.get(ROOM)).toBe('');
    expect(useRoomsStore.getState().rooms).toEqual([]);
    expect(useMessagesStore.getState()).toMatchObject({ timelines: {}, outbox: {} });
    expect(usePresenceStore.getState().viewers).toEqual({});
    expect(useViewStore.getState().selectedRoomId).toBeNull();
    expect(useConnectionStore.getState().status).toBe('idle');
    expect(await stored()).toEqual([]);
  });

  it('an ended session (not a sign-out) keeps the unsent messages for the same account', async () => {
    newSession();
    await chat.outbox.restore();
    await inRoom();
    socket.connected = false;
    chat.outbox.send(ROOM, 'for later');
    await vi.waitFor(async () => expect(await stored()).toHaveLength(1));
    await chat.dispose({ wipeLocal: false });
    expect((await stored()).map((p) => p.text)).toEqual(['for later']);
  });

  it('answers that arrive after it change nothing', async () => {
    newSession();
    await inRoom();
    chat.outbox.send(ROOM, 'hello');
    const send = socket.last('message:send');
    await chat.dispose({ wipeLocal: false });
    send.answer({ ok: true, message: message({ authorId: ALICE, clientId: String(send.payload.clientId), text: 'hello' }) });
    expect(selectTimeline(ROOM)(useMessagesStore.getState()).messages).toEqual([]);
    expect(chat.outbox.send(ROOM, 'after')).toBe(false);
    chat.navigation.openRoom(ROOM);
    expect(useViewStore.getState().selectedRoomId).toBeNull();
  });
});

describe('navigation', () => {
  it('opening the room that is open keeps its tab and sends nothing', async () => {
    newSession();
    await inRoom();
    chat.navigation.showTab('manage');
    const emitted = socket.emitted.length;
    chat.navigation.openRoom(ROOM);
    expect(useViewStore.getState().tab).toBe('manage');
    expect(socket.emitted.length).toBe(emitted);
  });

  it('a lost connection forgets who is here (nobody is known to be present while offline)', async () => {
    newSession();
    await inRoom();
    expect(usePresenceStore.getState().viewers[ROOM]).toHaveLength(1);
    socket.connected = false;
    chat.disconnected(false);
    expect(usePresenceStore.getState().viewers[ROOM]).toBeUndefined();
  });
});
