// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatSession } from '../../../src/renderer/session/ChatSession';
import { setBridgeForTests } from '../../../src/renderer/platform/bridge';
import { bindSocketEvents } from '../../../src/renderer/realtime/socketEvents';
import type { ParleySocket } from '../../../src/renderer/realtime/socket';
import { useConnectionStore } from '../../../src/renderer/stores/connection';
import { selectTimeline, useMessagesStore } from '../../../src/renderer/stores/messages';
import { presenceText, selectPresenceLines, usePresenceStore } from '../../../src/renderer/stores/presence';
import { useRoomsStore } from '../../../src/renderer/stores/rooms';
import { useViewStore } from '../../../src/renderer/stores/view';
import { FakeSocket, fakeBridge, fakeChatSession, flush } from './fakes';
import { ALICE, BOB, OTHER_ROOM, ROOM, message, summary } from './helpers';

/** A socket that the test can make "receive" server events. */
class EventSocket extends FakeSocket {
  handlers = new Map<string, (...args: unknown[]) => void>();
  active = true;
  override on(event: string, handler: (...args: unknown[]) => void) {
    this.handlers.set(event, handler);
    return this;
  }
  override off() {
    this.handlers.clear();
    return this;
  }
  receive(event: string, ...args: unknown[]) {
    const handler = this.handlers.get(event);
    if (!handler) throw new Error(`no handler for ${event}`);
    handler(...args);
  }
}

let socket: EventSocket;
let bridge: ReturnType<typeof fakeBridge>;
let chat: ChatSession;
let lifecycle: Record<'connected' | 'disconnected' | 'sessionEnded' | 'refused' | 'resync', ReturnType<typeof vi.fn>>;

beforeEach(() => {
  vi.spyOn(document, 'hasFocus').mockReturnValue(true);
  socket = new EventSocket();
  bridge = fakeBridge();
  setBridgeForTests(bridge);
  chat = fakeChatSession({ socket, bridge });
  useRoomsStore.getState().setRooms([summary({ id: ROOM, name: 'general' }), summary({ id: OTHER_ROOM, name: 'random' })]);
  // The connection's lifecycle calls are watched (not carried out); the rest reaches the session.
  lifecycle = { connected: vi.fn(), disconnected: vi.fn(), sessionEnded: vi.fn(), refused: vi.fn(), resync: vi.fn() };
  Object.assign(chat, lifecycle);
  bindSocketEvents(socket as unknown as ParleySocket, chat);
});

afterEach(() => {
  void chat.dispose({ wipeLocal: false });
  setBridgeForTests(null);
  for (const s of [useMessagesStore, useRoomsStore, usePresenceStore, useViewStore]) s.getState().reset();
  vi.restoreAllMocks();
});

const unread = (id: string) => useRoomsStore.getState().rooms.find((r) => r.id === id)?.unreadCount;

async function viewRoom() {
  chat.navigation.openRoom(ROOM);
  socket.last('room:enter').answer({ ok: true, messages: [], hasMore: false, hasOlder: false, hasNewer: false, viewers: [] });
  await flush();
}

describe('socket events', () => {
  it('message:new counts unread in other rooms, shows it in the open one, and reaches the host', async () => {
    await viewRoom();
    const here = message({ roomId: ROOM });
    const there = message({ roomId: OTHER_ROOM, createdAt: new Date().toISOString() });
    socket.receive('message:new', { message: here });
    socket.receive('message:new', { message: there });
    expect(unread(ROOM)).toBe(0);
    expect(unread(OTHER_ROOM)).toBe(1);
    expect(selectTimeline(ROOM)(useMessagesStore.getState()).messages).toEqual([here]);
    expect(bridge.messageArrived).toHaveBeenCalledWith({ message: there, roomName: 'random', selfUserId: ALICE });
    expect(useRoomsStore.getState().rooms[0]?.id).toBe(OTHER_ROOM);
  });

  it('presence events make coalesced lines in the open room, not for yourself', async () => {
    await viewRoom();
    socket.receive('room:presence', { roomId: ROOM, user: { userId: BOB, username: 'bob' }, action: 'entered' });
    socket.receive('room:presence', { roomId: ROOM, user: { userId: 'c'.repeat(24), username: 'carol' }, action: 'entered' });
    socket.receive('room:presence', { roomId: ROOM, user: { userId: ALICE, username: 'alice' }, action: 'entered' });
    expect(selectPresenceLines(ROOM)(usePresenceStore.getState()).map(presenceText)).toEqual(['bob, carol entered']);
  });

  it('room:added, room:updated and room:removed keep the list live', async () => {
    const third = 'c'.repeat(24);
    socket.receive('room:added', { room: summary({ id: third, name: 'new' }) });
    expect(useRoomsStore.getState().rooms.map((r) => r.name)).toContain('new');
    socket.receive('room:updated', { room: { id: third, name: 'newer', members: [{ userId: ALICE, username: 'alice', role: 'admin' }], version: 2 } });
    expect(useRoomsStore.getState().rooms.find((r) => r.id === third)).toMatchObject({ name: 'newer', role: 'admin', memberCount: 1 });
    await viewRoom();
    socket.receive('room:removed', { roomId: ROOM, reason: 'removed' });
    expect(useRoomsStore.getState().rooms.map((r) => r.id)).not.toContain(ROOM);
    expect(useViewStore.getState()).toMatchObject({ selectedRoomId: null, notice: 'You were removed from general' });
  });

  it('room:removed says who deleted the room or removed the user', async () => {
    await viewRoom();
    socket.receive('room:removed', { roomId: ROOM, reason: 'deleted', by: 'bob' });
    expect(useViewStore.getState().notice).toBe('general was deleted by bob');
    chat.navigation.openRoom(OTHER_ROOM);
    socket.receive('room:removed', { roomId: OTHER_ROOM, reason: 'removed', by: 'carol' });
    expect(useViewStore.getState().notice).toBe('You were removed from random by carol');
  });

  it('sync:required (pushes may have been lost) asks for a refresh and catch-up, nothing else', () => {
    socket.receive('sync:required', { reason: 'redis_recovered' });
    expect(lifecycle.resync).toHaveBeenCalledTimes(1);
    expect(lifecycle.sessionEnded).not.toHaveBeenCalled();
    expect(lifecycle.disconnected).not.toHaveBeenCalled();
  });

  it('session:ended and a session_expired handshake refusal end the session', () => {
    socket.receive('session:ended', { reason: 'expired' });
    socket.receive('connect_error', Object.assign(new Error('Your session has ended.'), { data: { code: 'session_expired' } }));
    expect(lifecycle.sessionEnded).toHaveBeenCalledTimes(2);
  });

  it('connection state follows the socket', () => {
    socket.receive('connect');
    expect(useConnectionStore.getState().status).toBe('connected');
    expect(lifecycle.connected).toHaveBeenCalled();
    socket.receive('disconnect', 'transport close');
    expect(useConnectionStore.getState().status).toBe('reconnecting');
    expect(lifecycle.disconnected).toHaveBeenCalledWith(false);
    socket.active = false;
    socket.receive('connect_error', Object.assign(new Error('db down'), { data: { code: 'service_unavailable' } }));
    expect(lifecycle.refused).toHaveBeenCalled();
  });
});
