// Runs in: a plain Node process that loads the built main process (out/main/index.js) in
// place of Electron (tests/desktop/startup.test.ts). Every import of 'electron' lands here
// (tests/desktop/useStandIn.ts). Each Electron object is a recorder: whatever main calls
// or constructs on it is written down in order, with its arguments, and the record is
// saved as JSON to ELECTRON_STAND_IN_RECORD when the process exits. 'ready' comes one
// tick after main asks for it; a moment later the page's messages listed in
// ELECTRON_STAND_IN_PAGE_SENDS (JSON: [channel, ...args][]) reach main's ipcMain.on
// listeners as if sent by the window's page, and the process ends.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RecordedCall {
  /** e.g. "app.requestSingleInstanceLock", "new BrowserWindow", "BrowserWindow#1.loadURL", or "ready". */
  call: string;
  args: unknown[];
}

const calls: RecordedCall[] = [];
type PageListener = (event: unknown, ...args: unknown[]) => void;
const pageListeners = new Map<string, PageListener>();
const constructed = new Map<string, any>();
const names = new WeakMap<object, string>();
const appRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const userData = process.env.PARLEY_USER_DATA_DIR ?? tmpdir();

/** What main gets back where a recorder would not do (strings, booleans, promises). */
const answers: Record<string, (...args: unknown[]) => unknown> = {
  'app.requestSingleInstanceLock': () => true,
  'app.whenReady': () =>
    new Promise<void>((resolve) =>
      setImmediate(() => {
        calls.push({ call: 'ready', args: [] });
        resolve();
        // Main's start() is synchronous after ready; give its promises a moment.
        setTimeout(() => {
          sendFromPage();
          process.exit(0);
        }, 300);
      }),
    ),
  'ipcMain.on': (channel, listener) => {
    pageListeners.set(channel as string, listener as PageListener);
  },
  'app.getAppPath': () => appRoot,
  'app.getPath': () => userData,
  'app.getVersion': () => '0.0.0-stand-in',
  'app.getName': () => 'Parley',
  'app.setAsDefaultProtocolClient': () => true,
  'net.isOnline': () => true,
  'safeStorage.getSelectedStorageBackend': () => 'basic_text',
};

function serialise(value: unknown): unknown {
  if (typeof value === 'function') return names.get(value) ? `<${names.get(value)}>` : '<function>';
  if (Array.isArray(value)) return value.map(serialise);
  if (value && typeof value === 'object') {
    if (names.has(value)) return `<${names.get(value)}>`;
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, serialise(v)]));
  }
  return value;
}

const instances = new Map<string, number>();

/** An Electron object at `name`: callable, constructible, and every property is another recorder. */
function recorder(name: string): any {
  const children = new Map<string, unknown>();
  const target = function () {};
  const proxy: any = new Proxy(target, {
    get(_, prop) {
      // Not a promise, not a primitive.
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      const key = String(prop);
      if (name === 'app' && key === 'isPackaged') return false;
      if (key === 'prototype') return undefined;
      if (!children.has(key)) children.set(key, recorder(`${name}.${key}`));
      return children.get(key);
    },
    apply(_, __, args: unknown[]) {
      calls.push({ call: name, args: args.map(serialise) });
      const answer = answers[name];
      if (answer) return answer(...args);
      const method = name.slice(name.lastIndexOf('.') + 1);
      // isDestroyed(), isMinimized(), isEncryptionAvailable(), ...: a window that is there and
      // visible to nobody yet, on a machine without a keyring.
      if (/^(is|has)[A-Z]/.test(method)) return false;
      return recorder(`${name}()`);
    },
    construct(_, args: unknown[]) {
      const n = (instances.get(name) ?? 0) + 1;
      instances.set(name, n);
      calls.push({ call: `new ${name}`, args: args.map(serialise) });
      const instance = recorder(`${name}#${n}`);
      constructed.set(`${name}#${n}`, instance);
      return instance;
    },
  });
  names.set(proxy, name);
  return proxy;
}

export const app = recorder('app');
export const BrowserWindow = recorder('BrowserWindow');
export const dialog = recorder('dialog');
export const ipcMain = recorder('ipcMain');
export const Menu = recorder('Menu');
export const nativeImage = recorder('nativeImage');
export const net = recorder('net');
export const Notification = recorder('Notification');
export const powerMonitor = recorder('powerMonitor');
export const protocol = recorder('protocol');
export const safeStorage = recorder('safeStorage');
export const session = recorder('session');
export const shell = recorder('shell');
export const Tray = recorder('Tray');
export const ipcRenderer = undefined;
export default {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  shell,
  Tray,
  ipcRenderer,
};

/** What the page would send over ipcRenderer.send, from the app page in the first window's top frame. */
function sendFromPage(): void {
  const sends = JSON.parse(process.env.ELECTRON_STAND_IN_PAGE_SENDS ?? '[]') as Array<[string, ...unknown[]]>;
  const event = { sender: constructed.get('BrowserWindow#1')?.webContents, senderFrame: { url: 'app://parley/index.html', parent: null } };
  for (const [channel, ...args] of sends) {
    calls.push({ call: 'page sends', args: [channel, ...args] });
    const listener = pageListeners.get(channel);
    if (!listener) throw new Error(`main does not listen on ${channel}`);
    listener(event, ...args);
  }
}

process.on('exit', () => {
  const file = process.env.ELECTRON_STAND_IN_RECORD;
  if (file) writeFileSync(file, JSON.stringify(calls, null, 1));
});
