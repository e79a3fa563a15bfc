// The entry point's wiring, run for real on a stand-in `electron` module: the window is
// hardened, IPC reaches the stores, notifications and the tray, closing hides to the
// tray. What Electron itself does with these calls needs the binary (tests/electron).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as FakeElectron from './fakeElectron.js';

vi.mock('electron', async () => await import('./fakeElectron.js'));
vi.mock('electron-store', () => ({
  default: class {
    path = '/profile/parley.json';
    data = new Map<string, unknown>();
    constructor(readonly options: unknown) {}
    get(key: string) {
      return this.data.get(key);
    }
    set(key: string, value: unknown) {
      this.data.set(key, value);
    }
    delete(key: string) {
      this.data.delete(key);
    }
    get store() {
      return Object.fromEntries(this.data);
    }
  },
}));

let electron: typeof FakeElectron;
let window: FakeElectron.BrowserWindow;
const PAGE = 'app://parley/index.html';
const trusted = () => ({ sender: window.webContents, senderFrame: { url: PAGE, parent: null } });
const invoke = (channel: string, ...args: unknown[]) => electron.ipcMain.handlers.get(channel)!(trusted(), ...args);
const tell = (channel: string, ...args: unknown[]) => electron.ipcMain.listeners.get(channel)!(trusted(), ...args);
const lastMenu = () => electron.Tray.instances[0]!.menu!.items.map((item) => item.label ?? '---');

const session = {
  token: 'secret-token',
  expiresAt: '2999-01-01T00:00:00.000Z',
  user: { id: '0123456789abcdef01234567', username: 'alice', email: 'alice@example.test' },
  serverUrl: 'https://chat.example.com',
};
const ROOM = 'aaaaaaaaaaaaaaaaaaaaaaaa';

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.stubEnv('PARLEY_SERVER_URL', 'https://chat.example.com');
  vi.stubEnv('PARLEY_USER_DATA_DIR', '/tmp/parley-profile');
  vi.stubEnv('ELECTRON_RENDERER_URL', '');
  electron = await import('./fakeElectron.js');
  await import('../../../src/main/index.js');
  electron.app.makeReady();
  await vi.waitFor(() => expect(electron.BrowserWindow.instances).toHaveLength(1));
  window = electron.BrowserWindow.instances[0]!;
});
afterAll(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('start-up', () => {
  it('picks the profile folder before taking the single-instance lock, and registers app:// before ready', () => {
    const order = electron.calls.filter((call) => /setPath|requestSingleInstanceLock|registerSchemes|protocol.handle/.test(call));
    expect(order).toEqual([
      'app.setPath userData /tmp/parley-profile',
      'app.requestSingleInstanceLock',
      'protocol.registerSchemesAsPrivileged',
      'protocol.handle app',
    ]);
  });

  it('opens one hardened window on the app:// page, naming the backend', () => {
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(window.loadedUrl).toBe('app://parley/index.html?server=https%3A%2F%2Fchat.example.com');
  });

  it('serves the page with a CSP that connects only to the backend', async () => {
    const hook = electron.session.defaultSession.headersHook!;
    let result: { responseHeaders?: Record<string, string[]> } = {};
    hook({ url: 'app://parley/index.html', responseHeaders: { 'content-security-policy': ['default-src *'] } }, (r: typeof result) => (result = r));
    const csp = result.responseHeaders?.['Content-Security-Policy']?.[0] ?? '';
    expect(csp).toContain('connect-src https://chat.example.com wss://chat.example.com;');
    expect(result.responseHeaders?.['content-security-policy']).toBeUndefined();
    hook({ url: 'https://chat.example.com/api/me', responseHeaders: {} }, (r: typeof result) => (result = r));
    expect(result).toEqual({});
  });

  it('refuses permissions except writing to the clipboard', () => {
    const answers: boolean[] = [];
    electron.session.defaultSession.permissionRequest!(null, 'media', (ok: boolean) => answers.push(ok));
    electron.session.defaultSession.permissionRequest!(null, 'clipboard-sanitized-write', (ok: boolean) => answers.push(ok));
    expect(answers).toEqual([false, true]);
  });
});

describe('links and navigation', () => {
  it('denies window.open and hands web links to the system browser', () => {
    expect(window.webContents.windowOpenHandler!({ url: 'https://example.com/a' })).toEqual({ action: 'deny' });
    expect(window.webContents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    let prevented = 0;
    window.webContents.emit('will-navigate', { preventDefault: () => (prevented += 1) }, 'https://example.com/b');
    window.webContents.emit('will-navigate', { preventDefault: () => (prevented += 1) }, 'app://parley/index.html');
    expect(prevented).toBe(1);
    tell('link:open-external', 'https://example.com/c');
    expect(electron.shell.opened).toEqual(['https://example.com/a', 'https://example.com/b', 'https://example.com/c']);
  });
});

describe('IPC to the stores', () => {
  it('saves and restores the session, flagging the plain-text token on basic_text', async () => {
    expect(await invoke('session:load')).toBeNull();
    await invoke('session:save', session);
    expect(await invoke('session:load')).toEqual(session);
    await invoke('session:clear');
    expect(await invoke('session:load')).toBeNull();
  });

  it('keeps settings', async () => {
    expect(await invoke('settings:update', { mutedRoomIds: [ROOM] })).toEqual({ notificationsEnabled: true, mutedRoomIds: [ROOM] });
    expect(await invoke('settings:get')).toEqual({ notificationsEnabled: true, mutedRoomIds: [ROOM] });
    await invoke('settings:update', { mutedRoomIds: [] });
  });

  it("keeps the signed-in account's local data, refuses another account's, and wipes it on request", async () => {
    await invoke('session:save', session);
    const alice = session.user.id;
    await invoke('local:set', alice, 'rooms', '[{"id":"r1"}]');
    expect(await invoke('local:get', alice, 'rooms')).toBe('[{"id":"r1"}]');
    expect(() => invoke('local:get', 'fedcba9876543210fedcba98', 'rooms')).toThrow(/only the signed-in account/);
    expect(() => invoke('local:set', alice, 'rooms', '{oops')).toThrow(/not valid JSON/);
    await invoke('local:clear', alice);
    expect(await invoke('local:get', alice, 'rooms')).toBeUndefined();
    await invoke('session:clear');
    expect(() => invoke('local:set', alice, 'rooms', '[]')).toThrow(/only the signed-in account/);
  });

  it('refuses a sender that is not our page', () => {
    const stranger = { sender: {}, senderFrame: { url: PAGE, parent: null } };
    expect(() => electron.ipcMain.handlers.get('session:load')!(stranger)).toThrow('refused');
  });
});

describe('tray, badge, notifications, wake', () => {
  it('shows the unread count in the tray icon, tooltip, menu and badge', () => {
    const tray = electron.Tray.instances[0]!;
    expect(tray.image).toEqual({ path: '/app/resources/tray/tray-signed-out.png' });
    tell('session:set-state', 'signed-in');
    tell('unread:set', { total: 3, rooms: [{ roomId: ROOM, name: 'general', count: 3 }] });
    expect(tray.image).toEqual({ path: '/app/resources/tray/tray-3.png' });
    expect(tray.toolTip).toBe('Parley — 3 unread messages');
    expect(lastMenu()).toEqual(['Open Parley', '---', '#general (3)', '---', 'Log out', 'Quit']);
    expect(electron.app.badgeCount).toBe(3);
  });

  it('the tray menu opens a room and asks the page to log out', () => {
    const items = electron.Tray.instances[0]!.menu!.items;
    items.find((item) => item.label === '#general (3)')!.click();
    items.find((item) => item.label === 'Log out')!.click();
    expect(window.webContents.sent.slice(-2)).toEqual([
      { channel: 'room:open', args: [ROOM] },
      { channel: 'session:logout-requested', args: [] },
    ]);
  });

  it('notifies for a message in another room; the click opens it at that message', () => {
    tell('room:set-active', 'bbbbbbbbbbbbbbbbbbbbbbbb');
    window.hide();
    tell('message:arrived', {
      message: { id: 'm1', roomId: ROOM, authorId: 'bob-id', authorUsername: 'bob', text: 'hi', clientId: 'c1', seq: 1, createdAt: '2030-01-01T00:00:00.000Z' },
      roomName: 'general',
      selfUserId: 'alice-id',
    });
    const notification = electron.Notification.instances.at(-1)!;
    expect(notification.options).toMatchObject({ title: 'bob in #general', body: 'hi' });
    expect(notification.shown).toBe(true);
    notification.emit('click');
    expect(window.isVisible()).toBe(true);
    expect(window.webContents.sent.at(-1)).toEqual({ channel: 'room:open', args: [ROOM, 'm1'] });
  });

  it('wakes the page when the machine resumes', () => {
    electron.powerMonitor.emit('resume');
    expect(window.webContents.sent.at(-1)).toEqual({ channel: 'app:wake', args: [] });
  });

  it('a second launch shows the window', () => {
    window.hide();
    electron.app.emit('second-instance', {}, ['/opt/Parley/parley'], '/');
    expect(window.isVisible()).toBe(true);
  });
});

describe('closing', () => {
  it('hides the window to the tray, until Quit', () => {
    window.show();
    expect(window.tryClose()).toBe(false);
    expect(window.isVisible()).toBe(false);
    const quit = electron.Tray.instances[0]!.menu!.items.find((item) => item.label === 'Quit')!;
    quit.click();
    expect(electron.calls).toContain('app.quit');
    expect(window.tryClose()).toBe(true);
  });
});
