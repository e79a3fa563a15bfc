// The preload exposes exactly the ParleyBridge methods as `window.parley` (never
// ipcRenderer), on the contract's channels; listeners unsubscribe cleanly.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ParleyBridge } from '../../../src/shared/bridge.js';

const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    exposed: new Map<string, unknown>(),
    listeners,
    invoke: vi.fn(async (..._args: unknown[]): Promise<unknown> => null),
    send: vi.fn(),
    emit(channel: string, ...args: unknown[]) {
      for (const listener of listeners.get(channel) ?? []) listener({ sender: 'ipc-event' }, ...args);
    },
  };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: electron.invoke,
    send: electron.send,
    on(channel: string, listener: (...args: unknown[]) => void) {
      if (!electron.listeners.has(channel)) electron.listeners.set(channel, new Set());
      electron.listeners.get(channel)!.add(listener);
    },
    removeListener(channel: string, listener: (...args: unknown[]) => void) {
      electron.listeners.get(channel)?.delete(listener);
    },
  },
}));

const windowEvents = new Map<string, () => void>();
let bridge: ParleyBridge;

beforeAll(async () => {
  vi.stubGlobal('window', { addEventListener: (type: string, listener: () => void) => windowEvents.set(type, listener) });
  await import('../../../src/preload/index.js');
  bridge = electron.exposed.get('parley') as ParleyBridge;
});
afterAll(() => vi.unstubAllGlobals());

describe('preload bridge', () => {
  it('exposes only window.parley, with exactly the bridge methods', () => {
    expect([...electron.exposed.keys()]).toEqual(['parley']);
    expect(Object.keys(bridge).sort()).toEqual(
      [
        'kind',
        'loadSession',
        'saveSession',
        'clearSession',
        'getSettings',
        'updateSettings',
        'setActiveRoom',
        'messageArrived',
        'setUnread',
        'setSessionState',
        'openExternal',
        'onOpenRoom',
        'onLogoutRequested',
        'onWake',
        'openLocalStore',
      ].sort(),
    );
    expect(bridge.kind).toBe('desktop');
    expect(Object.values(bridge)).not.toContain(electron.invoke);
  });

  it('asks main on the invoke channels', async () => {
    await bridge.loadSession();
    await bridge.updateSettings({ notificationsEnabled: false });
    expect(electron.invoke.mock.calls).toEqual([['session:load'], ['settings:update', { notificationsEnabled: false }]]);
  });

  it('tells main on the send channels', () => {
    bridge.setActiveRoom(null);
    bridge.setSessionState('signed-in');
    bridge.openExternal('https://example.com');
    windowEvents.get('online')?.();
    expect(electron.send.mock.calls).toEqual([
      ['room:set-active', null],
      ['session:set-state', 'signed-in'],
      ['link:open-external', 'https://example.com'],
      ['network:online'],
    ]);
  });

  it("opens an account's local store over the local:* channels, as JSON text", async () => {
    electron.invoke.mockClear();
    const account = '0123456789abcdef01234567';
    const store = bridge.openLocalStore(account);
    electron.invoke
      .mockResolvedValueOnce(undefined)
      .mockResolvedValueOnce('{"rooms":[1,2]}')
      .mockResolvedValueOnce([['cache:recent', '{"roomIds":[]}']]);
    expect(await store.get('rooms')).toBeUndefined();
    expect(await store.get('rooms')).toEqual({ rooms: [1, 2] });
    expect(await store.entries('cache:')).toEqual([['cache:recent', { roomIds: [] }]]);
    await store.set('room:aaaaaaaaaaaaaaaaaaaaaaaa', { messages: [{ id: 'm', at: undefined }] });
    await store.delete('outbox');
    await store.clear();
    expect(electron.invoke.mock.calls).toEqual([
      ['local:get', account, 'rooms'],
      ['local:get', account, 'rooms'],
      ['local:entries', account, 'cache:'],
      ['local:set', account, 'room:aaaaaaaaaaaaaaaaaaaaaaaa', '{"messages":[{"id":"m"}]}'],
      ['local:delete', account, 'outbox'],
      ['local:clear', account],
    ]);
    // Wiped: the handle is closed, so a late write cannot bring the data back.
    await expect(store.set('rooms', [])).rejects.toThrow(/wiped/);
    expect(await store.get('rooms')).toBeUndefined();
    expect(electron.invoke.mock.calls).toHaveLength(6);
    // Bad input is refused before it reaches IPC.
    expect(() => bridge.openLocalStore('not-an-account')).toThrow(/24-character hex id/);
    const fresh = bridge.openLocalStore(account);
    await expect(fresh.set('../x', 1)).rejects.toThrow(/keys are 1-100 characters/);
    await expect(fresh.set('big', 'x'.repeat(2 * 1024 * 1024))).rejects.toThrow(/over the 2097152 limit/);
    await expect(fresh.set('nothing', undefined)).rejects.toThrow(/no JSON form/);
    expect(electron.invoke.mock.calls).toHaveLength(6);
  });

  it('delivers events without the IPC event object, and unsubscribes', () => {
    const opened: unknown[][] = [];
    const off = bridge.onOpenRoom((...args) => opened.push(args));
    let wakes = 0;
    const offWake = bridge.onWake(() => (wakes += 1));
    electron.emit('room:open', 'aaaaaaaaaaaaaaaaaaaaaaaa');
    electron.emit('room:open', 'aaaaaaaaaaaaaaaaaaaaaaaa', 'cccccccccccccccccccccccc');
    electron.emit('app:wake');
    off();
    offWake();
    electron.emit('room:open', 'bbbbbbbbbbbbbbbbbbbbbbbb');
    electron.emit('app:wake');
    expect(opened).toEqual([['aaaaaaaaaaaaaaaaaaaaaaaa'], ['aaaaaaaaaaaaaaaaaaaaaaaa', 'cccccccccccccccccccccccc']]);
    expect(wakes).toBe(1);
    expect(electron.listeners.get('room:open')?.size).toBe(0);
  });
});
