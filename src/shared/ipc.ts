// Runs in: the Electron main process and the preload (types only, no runtime code).
// The one IPC contract of the desktop app: every channel with its signature. Main's
// handlers (src/main/ipc.ts), its argument validators (src/main/ipcSchemas.ts) and the
// preload's methods (src/preload/index.ts) are all typed from these three maps, and the
// maps themselves are derived from ParleyBridge, so nothing is kept in sync by hand.
import type { ParleyBridge } from './bridge.js';

type Args<K extends keyof ParleyBridge> = ParleyBridge[K] extends (...args: infer A) => unknown ? A : never;
type Answer<K extends keyof ParleyBridge> = ParleyBridge[K] extends (...args: never[]) => Promise<infer R> ? R : never;
type ListenerArgs<K extends keyof ParleyBridge> = ParleyBridge[K] extends (listener: (...args: infer A) => void) => unknown ? A : never;

/** Renderer asks, main answers: ipcRenderer.invoke -> ipcMain.handle. */
export interface InvokeChannels {
  'session:load': { args: Args<'loadSession'>; result: Answer<'loadSession'> };
  'session:save': { args: Args<'saveSession'>; result: Answer<'saveSession'> };
  'session:clear': { args: Args<'clearSession'>; result: Answer<'clearSession'> };
  'settings:get': { args: Args<'getSettings'>; result: Answer<'getSettings'> };
  'settings:update': { args: Args<'updateSettings'>; result: Answer<'updateSettings'> };
  // One account's local data (ParleyBridge.openLocalStore): values travel as JSON text,
  // checked and bounded in main (src/main/localData.ts); `undefined` on get means no entry.
  'local:get': { args: [accountId: string, key: string]; result: string | undefined };
  'local:entries': { args: [accountId: string, prefix: string]; result: Array<[key: string, json: string]> };
  'local:set': { args: [accountId: string, key: string, json: string]; result: void };
  'local:delete': { args: [accountId: string, key: string]; result: void };
  'local:clear': { args: [accountId: string]; result: void };
}

/** Renderer tells, nobody answers: ipcRenderer.send -> ipcMain.on. */
export interface SendChannels {
  'room:set-active': { args: Args<'setActiveRoom'> };
  'message:arrived': { args: Args<'messageArrived'> };
  'unread:set': { args: Args<'setUnread'> };
  'session:set-state': { args: Args<'setSessionState'> };
  'link:open-external': { args: Args<'openExternal'> };
  /** The page's own `online` event (sent by the preload, not a bridge method). */
  'network:online': { args: [] };
}

/** Main tells the renderer: webContents.send -> ipcRenderer.on. */
export interface EventChannels {
  'room:open': { args: ListenerArgs<'onOpenRoom'> };
  'session:logout-requested': { args: ListenerArgs<'onLogoutRequested'> };
  'app:wake': { args: ListenerArgs<'onWake'> };
}

export type InvokeChannel = keyof InvokeChannels;
export type SendChannel = keyof SendChannels;
export type EventChannel = keyof EventChannels;
