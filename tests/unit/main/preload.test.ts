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
