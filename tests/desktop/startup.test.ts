// The built desktop app's start, without Electron's binary (it cannot be downloaded here):
// out/main/index.js runs in plain Node with a stand-in 'electron' that records every call
// (tests/desktop/electronStandIn.ts), and the record is checked against what a start must
// do. This catches wiring and packaging slips that the main-process unit tests cannot: a
// handler never registered, a preload path the build does not produce, a scheme registered
// too late. The build itself is this project's globalSetup (tests/support/desktopBuild.ts).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SCHEME } from '../../src/main/config.js';
import { appRoot } from '../support/desktopBuild.js';
import type { RecordedCall } from './electronStandIn.js';

const SERVER_URL = 'http://127.0.0.1:4999';
/** After the start, the page signs in and reports three unread messages in one room. */
const PAGE_SENDS = [
  ['session:set-state', 'signed-in'],
  ['unread:set', { total: 3, rooms: [{ roomId: '6b0d23238f800c7d88f01de4', name: 'general', count: 3 }] }],
];

/** The channel names of one interface of src/shared/ipc.ts (the IPC map), read from its source. */
function channelsOf(interfaceName: 'InvokeChannels' | 'SendChannels'): string[] {
  const file = path.join(appRoot, 'src/shared/ipc.ts');
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const map = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === interfaceName);
  if (!map) throw new Error(`${interfaceName} not found in src/shared/ipc.ts`);
  return map.members.map((member) => {
    if (!member.name || !ts.isStringLiteral(member.name)) throw new Error(`${interfaceName}: a member without a quoted channel name`);
    return member.name.text;
  });
}

let profile: string;
let calls: RecordedCall[];
const indexOf = (predicate: (c: RecordedCall) => boolean) => calls.findIndex(predicate);
const callsTo = (name: string) => calls.filter((c) => c.call === name);

beforeAll(() => {
  profile = mkdtempSync(path.join(tmpdir(), 'parley-desktop-start-'));
  const record = path.join(profile, 'record.json');
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--import', './tests/desktop/useStandIn.ts', 'out/main/index.js'], {
    cwd: appRoot,
    env: {
      ...process.env,
      PARLEY_USER_DATA_DIR: profile,
      PARLEY_SERVER_URL: SERVER_URL,
      ELECTRON_STAND_IN_RECORD: record,
      ELECTRON_STAND_IN_PAGE_SENDS: JSON.stringify(PAGE_SENDS),
      ELECTRON_RENDERER_URL: '',
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status, `main exited with ${run.status}:\n${run.stderr}`).toBe(0);
  calls = JSON.parse(readFileSync(record, 'utf8')) as RecordedCall[];
}, 60_000);

afterAll(() => {
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('the built main process starts', () => {
  it('registers app:// as a privileged scheme and takes the single-instance lock before ready, then serves app:// after', () => {
    const ready = indexOf((c) => c.call === 'ready');
    expect(ready).toBeGreaterThan(0);
    const privileged = indexOf((c) => c.call === 'protocol.registerSchemesAsPrivileged');
    expect(privileged).toBeGreaterThanOrEqual(0);
    expect(privileged).toBeLessThan(ready);
    expect(calls[privileged]!.args[0]).toEqual([{ scheme: APP_SCHEME, privileges: expect.objectContaining({ standard: true, secure: true }) }]);

    const lock = indexOf((c) => c.call === 'app.requestSingleInstanceLock');
    expect(lock).toBeGreaterThanOrEqual(0);
    expect(lock).toBeLessThan(ready);
    // The profile folder (and with it the lock) is chosen before the lock is taken.
    expect(indexOf((c) => c.call === 'app.setPath' && c.args[0] === 'userData')).toBeLessThan(lock);

    const handler = indexOf((c) => c.call === 'protocol.handle' && c.args[0] === APP_SCHEME);
    expect(handler).toBeGreaterThan(ready);
  });

  it('opens one hardened window with a preload the build produced, and loads the app page', () => {
    const windows = callsTo('new BrowserWindow');
    expect(windows).toHaveLength(1);
    const options = windows[0]!.args[0] as { icon: string; webPreferences: Record<string, unknown> };
    expect(existsSync(options.icon), `${options.icon} exists`).toBe(true);
    expect(options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
    });
    const preload = options.webPreferences.preload as string;
    expect(path.relative(path.join(appRoot, 'out'), preload).startsWith('..')).toBe(false);
    expect(existsSync(preload), `${preload} exists`).toBe(true);

    const loads = callsTo('BrowserWindow#1.loadURL');
    expect(loads).toHaveLength(1);
    expect(loads[0]!.args[0]).toMatch(new RegExp(`^${APP_SCHEME}://parley/`));
  });

  it('has a handler for every channel of the IPC map (src/shared/ipc.ts), and none beyond it', () => {
    const invoke = channelsOf('InvokeChannels');
    const send = channelsOf('SendChannels');
    expect(invoke.length).toBeGreaterThan(0);
    expect(send.length).toBeGreaterThan(0);
    const handled = callsTo('ipcMain.handle').map((c) => c.args[0]);
    const listened = callsTo('ipcMain.on').map((c) => c.args[0]);
    expect([...handled].sort()).toEqual([...invoke].sort());
    for (const channel of send) expect(listened, `ipcMain.on('${channel}')`).toContain(channel);
    // Handlers are registered at start, before the page can ask.
    const load = indexOf((c) => c.call === 'BrowserWindow#1.loadURL');
    for (const channel of [...invoke, ...send]) {
      expect(indexOf((c) => (c.call === 'ipcMain.handle' || c.call === 'ipcMain.on') && c.args[0] === channel)).toBeLessThan(load);
    }
  });

  it('shows the tray with an icon that exists, a tooltip and a menu, and sets the badge', () => {
    const started = calls.slice(
      0,
      indexOf((c) => c.call === 'page sends'),
    );
    const startedTo = (name: string) => started.filter((c) => c.call === name);
    expect(startedTo('new Tray')).toHaveLength(1);
    const icons = calls.filter((c) => c.call === 'nativeImage.createFromPath').map((c) => c.args[0] as string);
    expect(icons.length).toBeGreaterThan(0);
    for (const icon of icons) expect(existsSync(icon), `${icon} exists`).toBe(true);
    expect(startedTo('Tray#1.setToolTip')[0]?.args[0]).toMatch(/Parley/);
    expect(startedTo('Tray#1.setContextMenu')).toHaveLength(1);
    // Signed out: nothing unread (Windows shows the count as an overlay icon instead).
    if (process.platform !== 'win32') expect(startedTo('app.setBadgeCount').map((c) => c.args[0])).toEqual([0]);
  });

  it("passes the page's reports (signed in, three unread) on to the tray and the badge", () => {
    const reported = indexOf((c) => c.call === 'page sends' && c.args[0] === 'unread:set');
    expect(reported).toBeGreaterThan(0);
    const after = calls.slice(reported);
    const afterTo = (name: string) => after.filter((c) => c.call === name);
    expect(afterTo('Tray#1.setToolTip').at(-1)?.args[0]).toMatch(/3/);
    expect(afterTo('nativeImage.createFromPath').map((c) => path.basename(c.args[0] as string))).toContain('tray-3.png');
    expect(afterTo('Menu.buildFromTemplate').at(-1)?.args[0]).toEqual(
      expect.arrayContaining([expect.objectContaining({ label: expect.stringContaining('general') })]),
    );
    if (process.platform !== 'win32') expect(afterTo('app.setBadgeCount').map((c) => c.args[0])).toEqual([3]);
  });
});
