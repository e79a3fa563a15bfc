// A stand-in for the parts of the `electron` module src/main/index.ts uses, recording
// what the app does with them. Lets the wiring test run the real entry point without
// Electron's binary. Plain Node: EventEmitter-based windows, trays and notifications.
import { EventEmitter } from 'node:events';

type Listener = (...args: any[]) => any;

export const calls: string[] = [];

class FakeWebContents extends EventEmitter {
  sent: Array<{ channel: string; args: unknown[] }> = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  isDestroyed() {
    return false;
  }
  reload() {
    calls.push('webContents.reload');
  }
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  static getAllWindows() {
    return BrowserWindow.instances;
  }
  webContents = new FakeWebContents();
  visible = false;
  focused = false;
  minimized = false;
  loadedUrl: string | undefined;
  overlay: unknown;
  constructor(readonly options: Record<string, any>) {
    super();
    BrowserWindow.instances.push(this);
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
    this.focused = false;
  }
  focus() {
    this.focused = true;
  }
  restore() {
    this.minimized = false;
  }
  isMinimized() {
    return this.minimized;
  }
  isVisible() {
    return this.visible;
  }
  isFocused() {
    return this.focused;
  }
  isDestroyed() {
    return false;
  }
  setOverlayIcon(icon: unknown) {
    this.overlay = icon;
  }
  /** What a user's click on the close button does: 'close' listeners may prevent it. */
  tryClose(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    return !prevented;
  }
}

export class Tray extends EventEmitter {
  static instances: Tray[] = [];
  image: unknown;
  toolTip = '';
  menu: { items: Array<Record<string, any>> } | undefined;
  constructor(image: unknown) {
    super();
    this.image = image;
    Tray.instances.push(this);
  }
  setImage(image: unknown) {
    this.image = image;
  }
  setToolTip(text: string) {
    this.toolTip = text;
  }
  setContextMenu(menu: { items: Array<Record<string, any>> }) {
    this.menu = menu;
  }
}

export class Notification extends EventEmitter {
  static instances: Notification[] = [];
  static isSupported = () => true;
  shown = false;
  constructor(readonly options: { title: string; body: string; icon?: string }) {
    super();
    Notification.instances.push(this);
  }
  show() {
    this.shown = true;
  }
}

export const Menu = { buildFromTemplate: (items: Array<Record<string, any>>) => ({ items }) };
export const nativeImage = { createFromPath: (path: string) => ({ path }) };

const appEvents = new EventEmitter();
let readyResolve: () => void = () => {};
const ready = new Promise<void>((resolve) => (readyResolve = resolve));

export const app = Object.assign(appEvents, {
  isPackaged: false,
  badgeCount: 0,
  getAppPath: () => '/app',
  paths: new Map<string, string>(),
  setPath: (name: string, value: string) => {
    app.paths.set(name, value);
    calls.push(`app.setPath ${name} ${value}`);
  },
  getPath: (name: string) => app.paths.get(name) ?? `/fake/${name}`,
  requestSingleInstanceLock: () => {
    calls.push('app.requestSingleInstanceLock');
    return true;
  },
  quit: () => {
    calls.push('app.quit');
    appEvents.emit('before-quit');
  },
  exit: (code: number) => calls.push(`app.exit ${code}`),
  whenReady: () => ready,
  setAsDefaultProtocolClient: (scheme: string, execPath?: string, args?: string[]) => {
    calls.push(['app.setAsDefaultProtocolClient', scheme, ...(execPath ? [execPath] : []), ...(args ?? [])].join(' '));
    return true;
  },
  setBadgeCount: (count: number) => {
    app.badgeCount = count;
    return true;
  },
  /** Test control: the 'ready' moment. */
  makeReady: () => readyResolve(),
});

export const dialog = { showErrorBox: (title: string, text: string) => calls.push(`dialog ${title}: ${text}`) };

export const ipcMain = {
  handlers: new Map<string, Listener>(),
  listeners: new Map<string, Listener>(),
  handle(channel: string, listener: Listener) {
    this.handlers.set(channel, listener);
  },
  on(channel: string, listener: Listener) {
    this.listeners.set(channel, listener);
  },
};

export const net = { online: true, isOnline: () => net.online };
export const powerMonitor = new EventEmitter();

export const protocol = {
  privileged: [] as unknown[],
  handler: undefined as undefined | ((request: Request) => Promise<Response>),
  registerSchemesAsPrivileged(schemes: unknown[]) {
    calls.push('protocol.registerSchemesAsPrivileged');
    this.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>) {
    calls.push(`protocol.handle ${scheme}`);
    this.handler = handler;
  },
};

export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'basic_text',
  encryptString: (text: string) => Buffer.from(text),
  decryptString: (buffer: Buffer) => buffer.toString(),
};

export const session = {
  defaultSession: {
    headersHook: undefined as undefined | Listener,
    permissionRequest: undefined as undefined | Listener,
    permissionCheck: undefined as undefined | Listener,
    webRequest: {
      onHeadersReceived: (listener: Listener) => (session.defaultSession.headersHook = listener),
    },
    setPermissionRequestHandler: (listener: Listener) => (session.defaultSession.permissionRequest = listener),
    setPermissionCheckHandler: (listener: Listener) => (session.defaultSession.permissionCheck = listener),
  },
};

export const shell = {
  opened: [] as string[],
  openExternal: (url: string) => {
    shell.opened.push(url);
    return Promise.resolve();
  },
};
