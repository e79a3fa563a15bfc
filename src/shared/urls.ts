// Runs in: every process (pure). The one check of "an http(s) address" and the one way
// to take a URL's origin, for the main process (links, configuration, stored sessions,
// IPC input), the renderer (server address, links in messages) alike.

/** The part of WHATWG's URL used here. src/shared is built without host types; every host Parley runs in (Node, browsers) has URL. */
interface ParsedUrl {
  readonly protocol: string;
  readonly host: string;
  readonly origin: string;
  readonly pathname: string;
  readonly href: string;
}
declare const URL: new (url: string) => ParsedUrl;

/** Longer than any address a person types or a link needs; refusing it bounds the work. */
export const MAX_URL_LENGTH = 2048;

/** The URL if `raw` is an absolute http: or https: URL of sane length, else null. */
export function parseHttpUrl(raw: string): ParsedUrl | null {
  if (raw.length > MAX_URL_LENGTH) return null;
  let url: ParsedUrl;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
}

/** Only web links leave the app: file:, smb:, custom schemes and the like can run things. */
export function isHttpUrl(raw: string): boolean {
  return parseHttpUrl(raw) !== null;
}

/**
 * scheme://host[:port] of a URL, or null when it has none. Not URL.origin: that is the
 * string "null" for custom schemes such as the app's own app://parley.
 */
export function originOf(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.host ? `${url.protocol}//${url.host}` : null;
  } catch {
    return null;
  }
}
