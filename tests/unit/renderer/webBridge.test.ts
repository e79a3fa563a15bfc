// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { IncomingMessage, StoredSession } from '../../../src/shared/bridge';
import { createWebBridge, messageLink, parseRoomLink } from '../../../src/renderer/platform/webBridge';
import { ALICE, BOB, ROOM, message } from './helpers';

class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static requestPermission = vi.fn(async () => FakeNotification.permission);
  static shown: FakeNotification[] = [];
  onclick: (() => void) | null = null;
  close = vi.fn();
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
}

const session: StoredSession = {
  token: 't',
  expiresAt: '2999-01-01T00:00:00.000Z',
  serverUrl: 'http://s',
  user: { id: ALICE, username: 'alice', email: 'a@x.io' },
};
const incoming = (overrides = {}): IncomingMessage => ({
  message: message({ authorId: BOB, authorUsername: 'bob', text: 'hi there', ...overrides }),
  roomName: 'general',
  selfUserId: ALICE,
});

function bridge() {
  return createWebBridge({ storage: localStorage, window, document, Notification: FakeNotification as unknown as typeof Notification });
}

beforeEach(() => {
  localStorage.clear();
  FakeNotification.shown = [];
  FakeNotification.permission = 'granted';
  vi.restoreAllMocks();
});

describe('web bridge', () => {
  it('keeps the session and settings in localStorage', async () => {
    const b = bridge();
    expect(await b.loadSession()).toBeNull();
    await b.saveSession(session);
    expect(await bridge().loadSession()).toEqual(session);
    await b.clearSession();
    expect(await b.loadSession()).toBeNull();
    expect(await b.updateSettings({ mutedRoomIds: [ROOM] })).toEqual({ notificationsEnabled: true, mutedRoomIds: [ROOM] });
    expect(await bridge().getSettings()).toEqual({ notificationsEnabled: true, mutedRoomIds: [ROOM] });
  });

  it('ignores a stored session that is not one', async () => {
    localStorage.setItem('parley.session', '{"token":1}');
    expect(await bridge().loadSession()).toBeNull();
  });

  it('notifies by the shared policy; clicking focuses the window and opens the room at that message', async () => {
    const b = bridge();
    const opened = vi.fn();
    b.onOpenRoom(opened);
    const focus = vi.spyOn(window, 'focus').mockImplementation(() => {});
    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    const event = incoming();
    b.messageArrived(event);
    expect(FakeNotification.shown).toHaveLength(1);
    expect(FakeNotification.shown[0]).toMatchObject({ title: 'bob in #general', options: { body: 'hi there' } });
    FakeNotification.shown[0]!.onclick?.();
    expect(focus).toHaveBeenCalled();
    expect(opened).toHaveBeenCalledWith(ROOM, event.message.id);
  });

  it('follows links in the address (#/rooms/<id>/messages/<id>) once, also one the page was opened with', async () => {
    const messageId = 'c'.repeat(24);
    const listeners = new Map<string, () => void>();
    const address = { hash: messageLink(ROOM, messageId), pathname: '/', search: '' };
    const win = {
      location: address,
      history: { state: null, replaceState: () => (address.hash = '') },
      addEventListener: (type: string, listener: () => void) => listeners.set(type, listener),
    } as unknown as Window;
    const b = createWebBridge({ storage: localStorage, window: win, document });
    expect(address.hash).toBe('');
    const opened = vi.fn();
    b.onOpenRoom(opened);
    await Promise.resolve();
    expect(opened).toHaveBeenCalledWith(ROOM, messageId);
    address.hash = `#/rooms/${ROOM}`;
    listeners.get('hashchange')!();
    expect(opened).toHaveBeenLastCalledWith(ROOM, undefined);
    expect(address.hash).toBe('');
    expect(opened).toHaveBeenCalledTimes(2);
    expect(parseRoomLink('#/rooms/not-an-id')).toBeNull();
    expect(parseRoomLink(`#/rooms/${ROOM}/messages/${messageId}`)).toEqual({ roomId: ROOM, messageId });
  });

  it('does not notify for the room being looked at, own messages, muted rooms, or when turned off', async () => {
    const b = bridge();
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    b.setActiveRoom(ROOM);
    b.messageArrived(incoming());
    b.setActiveRoom(null);
    b.messageArrived(incoming({ authorId: ALICE }));
    await b.updateSettings({ mutedRoomIds: [ROOM] });
    b.messageArrived(incoming());
    await b.updateSettings({ mutedRoomIds: [], notificationsEnabled: false });
    b.messageArrived(incoming());
    expect(FakeNotification.shown).toHaveLength(0);
  });

  it('does nothing without permission', () => {
    FakeNotification.permission = 'denied';
    vi.spyOn(document, 'hasFocus').mockReturnValue(false);
    bridge().messageArrived(incoming());
    expect(FakeNotification.shown).toHaveLength(0);
  });

  it('the online event wakes the app; unread counts go to the title', () => {
    const b = bridge();
    const woke = vi.fn();
    const unsubscribe = b.onWake(woke);
    window.dispatchEvent(new Event('online'));
    expect(woke).toHaveBeenCalledTimes(1);
    unsubscribe();
    window.dispatchEvent(new Event('online'));
    expect(woke).toHaveBeenCalledTimes(1);
    b.setUnread({ total: 4, rooms: [{ roomId: ROOM, name: 'general', count: 4 }] });
    expect(document.title).toBe('(4) Parley');
    b.setUnread({ total: 0, rooms: [] });
    expect(document.title).toBe('Parley');
  });

  it('opens only http(s) links', () => {
    const open = vi.spyOn(window, 'open').mockImplementation(() => null);
    const b = bridge();
    b.openExternal('javascript:alert(1)');
    b.openExternal('https://example.com/');
    expect(open).toHaveBeenCalledTimes(1);
    expect(open).toHaveBeenCalledWith('https://example.com/', '_blank', 'noopener,noreferrer');
  });
});
