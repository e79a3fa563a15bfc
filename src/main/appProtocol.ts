// Runs in: the Electron main process (pure: Request in, Response out; index.ts registers it
// with protocol.handle). Serves the built renderer (out/renderer) at app://parley/ instead
// of file://, so the page has a real origin of its own: the CSP header arrives with every
// page, 'self' means only the app's files, and other local files are out of reach.
import path from 'node:path';
import { APP_HOST } from './config.js';

export interface AppProtocolOptions {
  /** Absolute path of the built renderer folder. */
  root: string;
  csp: string;
  readFile: (file: string) => Promise<Uint8Array>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file a request asks for, inside root, or null if the path is not acceptable. */
export function resolveAppFile(root: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  // Paths without an extension are the single-page app's own routes.
  if (pathname === '/' || path.posix.extname(pathname) === '') pathname = '/index.html';
  const file = path.resolve(root, `.${path.posix.normalize(pathname)}`);
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return file;
}

export async function serveAppRequest(request: Request, options: AppProtocolOptions): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405 });
  const file = resolveAppFile(options.root, request.url);
  if (!file) return new Response(null, { status: 404 });
  let body: Uint8Array;
  try {
    body = await options.readFile(file);
  } catch {
    return new Response(null, { status: 404 });
  }
  const headers = {
    'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-security-policy': options.csp,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  };
  return new Response(request.method === 'HEAD' ? null : new Blob([body as Uint8Array<ArrayBuffer>]), { status: 200, headers });
}
