// Runs in: the Electron main process.
// Every window Parley opens is made here, hardened in one place:
//   contextIsolation  the preload runs in its own JavaScript world, so page scripts can
//                     neither reach Electron's APIs nor tamper with the preload's globals;
//   sandbox           the renderer is an OS-sandboxed Chromium process and the preload
//                     gets only a tiny `require`: a compromised page cannot touch the disk;
//   nodeIntegration   off (also in subframes): page scripts cannot `require` Node;
//   webSecurity       on: the same-origin policy and CORS apply as in a browser;
//   webviewTag        off, and attaching one is refused: no way to embed other content;
//   CSP               a Content-Security-Policy header on every app page (src/main/csp.ts);
//   navigation        the window only ever shows the app's page; web links go to the
//                     system browser after a scheme allowlist (src/main/links.ts);
//   window.open       denied (the link, if allowed, opens in the system browser);
//   permissions       camera, microphone, geolocation, ... all refused.
import { BrowserWindow, shell, type Session } from 'electron';
import type { DesktopConfig } from './config.js';
import { externalUrl, isAppPage } from './links.js';
import type { Logger } from './log.js';

export interface HardenedWindowOptions {
  config: DesktopConfig;
  preload: string;
  icon: string;
  log: Logger;
}

/** Permissions the page may use: writing to the clipboard (copy a message). Nothing else. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** Once per session: the CSP header on app pages, and the permission gate. */
export function hardenSession(session: Session, options: { pageOrigin: string; csp: string }): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppPage(details.url, options.pageOrigin)) {
      callback({});
      return;
    }
    const responseHeaders: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') responseHeaders[name] = value;
    }
    responseHeaders['Content-Security-Policy'] = [options.csp];
    callback({ responseHeaders });
  });
  session.setPermissionRequestHandler((_webContents, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  session.setPermissionCheckHandler((_webContents, permission) => ALLOWED_PERMISSIONS.has(permission));
}

/** Hands an http(s) link to the system browser; anything else is refused and logged. */
export function openExternalLink(url: string, log: Logger): void {
  const allowed = externalUrl(url);
  if (allowed) void shell.openExternal(allowed);
  else log.warn(`blocked a link with a scheme that is not allowed: ${url.slice(0, 100)}`);
}

export function createHardenedWindow({ config, preload, icon, log }: HardenedWindowOptions): BrowserWindow {
  const browserWindow = new BrowserWindow({
    title: 'Parley',
    width: 1100,
    height: 720,
    minWidth: 720,
    minHeight: 480,
    show: false,
    icon,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // Dropping a file on the window would otherwise navigate to it.
      navigateOnDragDrop: false,
      // A page that opens dialog after dialog can be told to stop.
      safeDialogs: true,
      spellcheck: true,
    },
  });
  const contents = browserWindow.webContents;
  const openOutside = (url: string) => openExternalLink(url, log);

  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  const blockNavigation = (event: { preventDefault(): void }, url: string) => {
    if (isAppPage(url, config.pageOrigin)) return;
    event.preventDefault();
    openOutside(url);
  };
  contents.on('will-navigate', blockNavigation);
  contents.on('will-redirect', blockNavigation);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  browserWindow.once('ready-to-show', () => browserWindow.show());
  return browserWindow;
}
