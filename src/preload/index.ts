// Runs in: the preload of the app window (sandboxed, isolated world; built as CommonJS
// to out/preload/index.cjs because sandboxed preloads cannot be ES modules).
// Implements ParleyBridge over IPC and exposes it as `window.parley`. Only these named
// methods cross into the page, never ipcRenderer itself; every channel name and argument
// list is checked against the contract in src/shared/ipc.ts.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ParleyBridge, Unsubscribe } from '../shared/bridge.js';
import type { EventChannel, EventChannels, InvokeChannel, InvokeChannels, SendChannel, SendChannels } from '../shared/ipc.js';
import { checkAccountId, createLocalStore } from '../shared/localStore.js';

function invoke<C extends InvokeChannel>(channel: C, ...args: InvokeChannels[C]['args']): Promise<InvokeChannels[C]['result']> {
  return ipcRenderer.invoke(channel, ...args) as Promise<InvokeChannels[C]['result']>;
}

function send<C extends SendChannel>(channel: C, ...args: SendChannels[C]['args']): void {
  ipcRenderer.send(channel, ...args);
}

function listen<C extends EventChannel>(channel: C, listener: (...args: EventChannels[C]['args']) => void): Unsubscribe {
  // The page's listener never sees the IPC event object (it carries `sender`).
  const wrapped = (_event: IpcRendererEvent, ...args: unknown[]) => listener(...(args as EventChannels[C]['args']));
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
}

const bridge: ParleyBridge = {
  kind: 'desktop',
  loadSession: () => invoke('session:load'),
  saveSession: (session) => invoke('session:save', session),
  clearSession: () => invoke('session:clear'),
  getSettings: () => invoke('settings:get'),
  updateSettings: (patch) => invoke('settings:update', patch),
  setActiveRoom: (roomId) => send('room:set-active', roomId),
  messageArrived: (event) => send('message:arrived', event),
  setUnread: (summary) => send('unread:set', summary),
  setSessionState: (state) => send('session:set-state', state),
  openExternal: (url) => send('link:open-external', url),
  onOpenRoom: (listener) => listen('room:open', (...args) => listener(...args)),
  onLogoutRequested: (listener) => listen('session:logout-requested', () => listener()),
  onWake: (listener) => listen('app:wake', () => listener()),
  // The handle is built here so only JSON text crosses IPC; main checks and bounds it again.
  openLocalStore(accountId) {
    checkAccountId(accountId);
    return createLocalStore({
      get: (key) => invoke('local:get', accountId, key),
      entries: (prefix) => invoke('local:entries', accountId, prefix),
      set: (key, json) => invoke('local:set', accountId, key, json),
      delete: (key) => invoke('local:delete', accountId, key),
      clear: () => invoke('local:clear', accountId),
    });
  },
};

contextBridge.exposeInMainWorld('parley', bridge);

// The network coming back is seen here first; main merges it with its own signals.
window.addEventListener('online', () => send('network:online'));
