// Runs in: the Electron main process (pure).
// The Content-Security-Policy of the app's pages. Scripts come only from the app
// itself; the page may connect only to the configured backend (HTTP and its WebSocket
// form); no plugins, frames, forms posting elsewhere or <base> tricks. Injected
// markup (a message rendered wrongly) therefore cannot run code or ship data away.
import { webSocketOrigin } from './config.js';

export interface CspOptions {
  serverOrigin: string;
  /** Vite's dev server origin when running `electron-vite dev`, else null. */
  devServerOrigin: string | null;
}

export function contentSecurityPolicy({ serverOrigin, devServerOrigin }: CspOptions): string {
  const dev = devServerOrigin !== null;
  const connect = [serverOrigin, webSocketOrigin(serverOrigin)];
  if (dev) connect.push(devServerOrigin, webSocketOrigin(devServerOrigin));
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    // Dev only: Vite's React Refresh preamble is an inline script.
    'script-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    // Dev only: Vite injects CSS as <style> tags. (React's style props are not affected.)
    'style-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': [...new Set(connect)],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}
