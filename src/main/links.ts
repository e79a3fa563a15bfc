// Runs in: the Electron main process (pure).
// Which URLs leave the app for the system browser, and which stay in the window.
import { originOf, parseHttpUrl } from '../shared/urls.js';

/** The URL to pass to shell.openExternal (web links only), or null if it must not be opened. */
export function externalUrl(raw: string): string | null {
  return parseHttpUrl(raw)?.href ?? null;
}

/** The window may only ever show the app's own page (and IPC is only heard from it). */
export function isAppPage(raw: string, pageOrigin: string): boolean {
  return originOf(raw) === pageOrigin;
}
