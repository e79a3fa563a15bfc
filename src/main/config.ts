// Runs in: the Electron main process (pure: reads an env object it is given).
// Where the desktop app gets its backend and its page from, decided once at start-up.
//   PARLEY_SERVER_URL      backend to talk to (default: VITE_DEFAULT_SERVER_URL as set at build
//                          time, else http://127.0.0.1:4000, the local `npm start` backend)
//   PARLEY_USER_DATA_DIR   profile folder (settings file, single-instance lock); tests use
//                          a fresh one each
//   ELECTRON_RENDERER_URL  set by `electron-vite dev`: load the page from Vite's dev server
import { parseHttpUrl } from '../shared/urls.js';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:4000';

/** The built renderer is served from this origin (src/main/appProtocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'parley';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export interface DesktopConfig {
  /** The backend's origin, e.g. https://chat.example.com: the only place the page may connect to. */
  serverOrigin: string;
  /** Where the window loads the renderer from. */
  pageUrl: string;
  /** The origin of pageUrl: navigation outside it is blocked. */
  pageOrigin: string;
  /** Loaded from Vite's dev server (hot reload needs a looser CSP). */
  dev: boolean;
  userDataDir: string | null;
}

export function loadDesktopConfig(
  env: Record<string, string | undefined>,
  options: { isPackaged: boolean; buildServerUrl?: string | undefined },
): DesktopConfig {
  const serverOrigin = httpOrigin('PARLEY_SERVER_URL', env.PARLEY_SERVER_URL || options.buildServerUrl || DEFAULT_SERVER_URL);
  // Never follow a dev-server variable in a packaged app: it would load remote code.
  const devUrl = !options.isPackaged && env.ELECTRON_RENDERER_URL ? env.ELECTRON_RENDERER_URL : null;
  const page = new URL(devUrl ?? `${APP_ORIGIN}/index.html`);
  // The page may read the backend it is allowed to reach (the CSP names only this one).
  page.searchParams.set('server', serverOrigin);
  const pageUrl = page.href;
  const pageOrigin = devUrl ? httpOrigin('ELECTRON_RENDERER_URL', devUrl) : APP_ORIGIN;
  return {
    serverOrigin,
    pageUrl,
    pageOrigin,
    dev: devUrl !== null,
    userDataDir: env.PARLEY_USER_DATA_DIR || null,
  };
}

function httpOrigin(name: string, value: string): string {
  const url = parseHttpUrl(value);
  if (!url) throw new Error(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  return url.origin;
}

/** The WebSocket origin Socket.IO uses for an http(s) origin. */
export function webSocketOrigin(origin: string): string {
  return origin.replace(/^http/, 'ws');
}
