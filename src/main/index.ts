// Runs in: the Electron main process. Entry point (built to out/main/index.js).
// Wiring only: reads the configuration, takes the single-instance lock, serves the
// renderer over app://, opens the hardened window and connects the feature modules
// (stored session, settings, tray, badge, notifications, wake-up) to IPC and to each
// other. The decisions live in those modules.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, ipcMain, nativeImage, net, powerMonitor, protocol, safeStorage, session, Tray } from 'electron';
import { presentBadge } from './badge.js';
import { APP_SCHEME, loadDesktopConfig, type DesktopConfig } from './config.js';
import { contentSecurityPolicy } from './csp.js';
import { DeepLinks, registerParleyScheme } from './deepLinks.js';
import { serveAppRequest } from './appProtocol.js';
import { badgePort, notificationPort, trayIconPath, trayPort, windowPort } from './electronPorts.js';
import { isTrustedSender, registerIpc } from './ipc.js';
import { LocalData } from './localData.js';
import { createLogger } from './log.js';
import { Notifier } from './notifications.js';
import { QuitGuard } from './quitGuard.js';
import { createTokenCipher } from './secrets.js';
import { SessionStore } from './session.js';
import { SettingsStore } from './settings.js';
import { PageStateMirror } from './pageState.js';
import { openAccountFiles, openSettingsFile } from './store.js';
import { presentTray } from './tray.js';
import type { TrayAction } from './trayMenu.js';
import { WakeMonitor } from './wake.js';
import { createHardenedWindow, hardenSession, openExternalLink } from './window.js';
import { parleyLinkInArgs } from '../shared/messageLinks.js';

const log = createLogger('main');
const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Icons ship unpacked next to the asar archive: the OS notification service reads them by path. */
const resourcesDir = path.join(app.isPackaged ? app.getAppPath().replace(/app\.asar$/, 'app.asar.unpacked') : app.getAppPath(), 'resources');
const NETWORK_POLL_MS = 5000;
const APP_USER_MODEL_ID = 'chat.parley.desktop';

let config: DesktopConfig;
try {
  config = loadDesktopConfig(process.env, { isPackaged: app.isPackaged, buildServerUrl: import.meta.env.VITE_DEFAULT_SERVER_URL });
} catch (error) {
  dialog.showErrorBox('Parley cannot start', error instanceof Error ? error.message : String(error));
  app.exit(1);
  throw error;
}

// The profile folder holds the settings file and the single-instance lock, so it is
// chosen before either is touched.
if (config.userDataDir) app.setPath('userData', config.userDataDir);

// parley:// links the OS hands over before the window exists wait here (macOS sends
// 'open-url' before 'ready'); start() then follows them.
const linksBeforeStart: string[] = [];
let followLink: (url: string) => void = (url) => void linksBeforeStart.push(url);

if (!app.requestSingleInstanceLock()) {
  // Another Parley is running for this profile: it shows its window, and follows a link
  // this launch was given (second-instance below).
  app.quit();
} else {
  app.on('open-url', (event, url) => {
    event.preventDefault();
    followLink(url);
  });
  // Must happen before 'ready': app:// is a standard, secure origin that may use fetch.
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  app.whenReady().then(
    () => start(config),
    (error: unknown) => log.error('failed to start', error),
  );
}

function start(config: DesktopConfig): void {
  // Windows shows notifications only for an app with an identity (electron-builder.yml appId).
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  const csp = contentSecurityPolicy({ serverOrigin: config.serverOrigin, devServerOrigin: config.dev ? config.pageOrigin : null });
  hardenSession(session.defaultSession, { pageOrigin: config.pageOrigin, csp });
  const rendererDir = path.join(outDir, 'renderer');
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, { root: rendererDir, csp, readFile }));

  const file = openSettingsFile();
  const sessionLog = createLogger('session');
  const cipher = createTokenCipher(safeStorage, process.platform, sessionLog);
  sessionLog.info(`session token storage: ${cipher.protection === 'safeStorage' ? 'encrypted with the OS keyring' : 'plain text'} (${file.path})`);
  // Each account's local data (start-up cache, outbox), open only to the signed-in account;
  // an expired session's cache is dropped here, and the page wipes it all at sign-out.
  const local = new LocalData({
    files: openAccountFiles(app.getPath('userData')),
    signedInAccount: () => sessions.signedInAccount(),
    log: createLogger('local-data'),
  });
  const sessions = new SessionStore({
    store: file,
    cipher,
    serverOrigin: config.serverOrigin,
    log: sessionLog,
    onExpired: (accountId) => local.dropCache(accountId),
  });
  const settings = new SettingsStore(file, createLogger('settings'));
  const pageState = new PageStateMirror();

  const icon = path.join(resourcesDir, 'icon.png');
  const appWindow = createHardenedWindow({ config, preload: path.join(outDir, 'preload', 'index.cjs'), icon, log: createLogger('window') });
  const win = windowPort(appWindow);

  const quitGuard = new QuitGuard();
  app.on('before-quit', () => quitGuard.quitRequested());
  appWindow.on('close', (event) => quitGuard.windowClosing(event, win));
  // The system shutting down or the user logging out must not be held up by close-to-tray
  // (Windows sends no before-quit then).
  appWindow.on('session-end', () => quitGuard.quitRequested());
  powerMonitor.on('shutdown', () => {
    quitGuard.quitRequested();
    app.quit();
  });
  // parley:// links: this app handles the scheme; a link comes in this launch's arguments
  // (Windows, Linux), as 'open-url' (macOS) or in a second launch's arguments.
  const deepLinks = new DeepLinks({ window: win, state: pageState, log: createLogger('links') });
  registerParleyScheme(
    app,
    {
      defaultApp: Boolean(process.defaultApp),
      execPath: process.execPath,
      appPath: process.defaultApp ? process.argv[1] && path.resolve(process.argv[1]) : undefined,
    },
    createLogger('links'),
  );
  followLink = (url) => deepLinks.received(url);
  const launchLink = parleyLinkInArgs(process.argv.slice(1));
  for (const url of [...(launchLink ? [launchLink] : []), ...linksBeforeStart.splice(0)]) deepLinks.received(url);
  app.on('second-instance', (_event, argv) => {
    win.reveal();
    const link = parleyLinkInArgs(argv);
    if (link) deepLinks.received(link);
  });
  app.on('activate', () => win.reveal());
  appWindow.webContents.on('render-process-gone', (_event, details) => {
    log.error(`the page's process went away (${details.reason})`);
    if (details.reason !== 'clean-exit' && !quitGuard.isQuitting) appWindow.webContents.reload();
  });

  const onTrayAction = (action: TrayAction) => {
    switch (action.type) {
      case 'open':
        return win.reveal();
      case 'open-room':
        win.reveal();
        return win.send('room:open', action.roomId);
      case 'logout':
        // The renderer ends the session with the server, then calls clearSession.
        win.reveal();
        return win.send('session:logout-requested');
      case 'quit':
        return app.quit();
    }
  };
  const tray = new Tray(nativeImage.createFromPath(trayIconPath(resourcesDir, 'tray-signed-out')));
  tray.on('click', () => win.reveal());
  presentTray(pageState, trayPort(tray, resourcesDir, onTrayAction));
  presentBadge(pageState, badgePort(appWindow, resourcesDir, process.platform));

  const notifier = new Notifier({
    notifications: notificationPort(icon),
    window: win,
    state: pageState,
    settings: () => settings.get(),
    log: createLogger('notifications'),
  });

  const wakeLog = createLogger('wake');
  const wake = new WakeMonitor({
    emit(reason) {
      wakeLog.info(`waking the page (${reason})`);
      win.send('app:wake');
    },
  });
  powerMonitor.on('resume', () => wake.resumed());
  wake.networkStatus(net.isOnline());
  setInterval(() => wake.networkStatus(net.isOnline()), NETWORK_POLL_MS).unref();

  const linkLog = createLogger('links');
  registerIpc(ipcMain, {
    isTrustedSender: (event) => isTrustedSender(event, { webContents: appWindow.webContents, pageOrigin: config.pageOrigin }),
    log: createLogger('ipc'),
    invoke: {
      'session:load': () => sessions.load(),
      'session:save': (stored) => sessions.save(stored),
      'session:clear': () => sessions.clear(),
      'settings:get': () => settings.get(),
      'settings:update': (patch) => settings.update(patch),
      'local:get': (accountId, key) => local.get(accountId, key),
      'local:entries': (accountId, prefix) => local.entries(accountId, prefix),
      'local:set': (accountId, key, json) => local.set(accountId, key, json),
      'local:delete': (accountId, key) => local.delete(accountId, key),
      'local:clear': (accountId) => local.clear(accountId),
    },
    send: {
      'room:set-active': (roomId) => pageState.setActiveRoom(roomId),
      'message:arrived': (event) => void notifier.messageArrived(event),
      'unread:set': (summary) => pageState.setUnread(summary),
      'session:set-state': (sessionState) => pageState.setSession(sessionState),
      'link:open-external': (url) => openExternalLink(url, linkLog),
      'network:online': () => wake.pageOnline(),
    },
  });

  void appWindow.loadURL(config.pageUrl);
}
