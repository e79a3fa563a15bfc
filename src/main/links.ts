// Runs in: the Electron main process (pure).
// Which URLs leave the app for the system browser, and which stay in the window.
/** Only web links are handed to the OS: file:, smb:, custom app schemes and the like can run things. */
const EXTERNAL_SCHEMES = new Set(['http:', 'https:']);

/** The URL to pass to shell.openExternal, or null if it must not be opened. */
export function externalUrl(raw: string): string | null {
  if (raw.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  return EXTERNAL_SCHEMES.has(url.protocol) ? url.href : null;
}

/** The window may only ever show the app's own page (and IPC is only heard from it). */
export function isAppPage(raw: string, pageOrigin: string): boolean {
  return originOf(raw) === pageOrigin;
}

/**
 * scheme://host[:port] of a URL, or null. Not URL.origin: that is "null" for custom
 * schemes such as the app's own app://parley.
 */
export function originOf(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.host ? `${url.protocol}//${url.host}` : null;
  } catch {
    return null;
  }
}
