// The entry point's handling of parley:// links, run for real on the stand-in `electron`
// module: registered as the scheme's handler; a link in the first launch's arguments
// and one from macOS's 'open-url' wait for the page to be signed in; a second launch's
// link opens the room at once. (A file of its own: index.ts runs once per module graph.)
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as FakeElectron from './fakeElectron.js';

vi.mock('electron', async () => await import('./fakeElectron.js'));
vi.mock('electron-store', () => ({
  default: class {
    path = '/profile/parley.json';
    data = new Map<string, unknown>();
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

const ROOM = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const OTHER_ROOM = 'cccccccccccccccccccccccc';
const MESSAGE = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const PAGE = 'app://parley/index.html';

let electron: typeof FakeElectron;
let window: FakeElectron.BrowserWindow;
const argv = process.argv;
const trusted = () => ({ sender: window.webContents, senderFrame: { url: PAGE, parent: null } });
const tell = (channel: string, ...args: unknown[]) => electron.ipcMain.listeners.get(channel)!(trusted(), ...args);
const opened = () => window.webContents.sent.filter((s) => s.channel === 'room:open').map((s) => s.args);

beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  vi.stubEnv('PARLEY_SERVER_URL', 'https://chat.example.com');
  vi.stubEnv('PARLEY_USER_DATA_DIR', '/tmp/parley-profile-links');
  vi.stubEnv('ELECTRON_RENDERER_URL', '');
  // Launched by the OS for a link (Windows, Linux).
  process.argv = ['/opt/Parley/parley', `parley://rooms/${ROOM}/messages/${MESSAGE}`];
  electron = await import('./fakeElectron.js');
  await import('../../../src/main/index.js');
  // macOS hands a link over before the app is ready.
  electron.app.emit('open-url', { preventDefault: () => {} }, `parley://rooms/${OTHER_ROOM}`);
  electron.app.makeReady();
  await vi.waitFor(() => expect(electron.BrowserWindow.instances).toHaveLength(1));
  window = electron.BrowserWindow.instances[0]!;
});
afterAll(() => {
  process.argv = argv;
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('parley:// links', () => {
  it('registers the app as the handler of parley:// links', () => {
    expect(electron.calls.some((call) => call.startsWith('app.setAsDefaultProtocolClient parley'))).toBe(true);
  });

  it('opens the newest link given before start once the page is signed in, not before', () => {
    expect(opened()).toEqual([]);
    expect(window.isVisible()).toBe(true);
    tell('session:set-state', 'signed-in');
    expect(opened()).toEqual([[OTHER_ROOM]]);
  });

  it('a second launch with a link shows the window and opens the room at the message', () => {
    window.hide();
    electron.app.emit('second-instance', {}, ['/opt/Parley/parley', `parley://rooms/${ROOM}/messages/${MESSAGE}`], '/');
    expect(window.isVisible()).toBe(true);
    expect(opened().at(-1)).toEqual([ROOM, MESSAGE]);
  });

  it('a link while running on macOS (open-url) opens at once; a foreign link is ignored', () => {
    const before = opened().length;
    electron.app.emit('open-url', { preventDefault: () => {} }, 'parley://evil/../../etc');
    expect(opened()).toHaveLength(before);
    electron.app.emit('open-url', { preventDefault: () => {} }, `parley://rooms/${OTHER_ROOM}/messages/${MESSAGE}`);
    expect(opened().at(-1)).toEqual([OTHER_ROOM, MESSAGE]);
  });
});
