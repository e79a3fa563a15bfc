// Which browser origins may call the API and open sockets. Native clients (the desktop
// app's main process, tests, benchmarks) send no Origin header and are always let in:
// the bearer token is what authenticates, never a cookie. The list keeps other web
// pages from driving the API with a token they got hold of, and closes the socket
// handshake to them.

/** The desktop app's page origin (src/main/config.ts, APP_ORIGIN: the built renderer is served at app://parley/). */
export const DESKTOP_APP_ORIGIN = 'app://parley';
/** The web client during development: `npm start` and `vite` serve it on port 5173. */
export const DEV_WEB_ORIGINS = ['http://127.0.0.1:5173', 'http://localhost:5173'] as const;

/** When CORS_ORIGINS is unset: the desktop app always, the development web client outside production. */
export function defaultAllowedOrigins(production: boolean): string[] {
  return production ? [DESKTOP_APP_ORIGIN] : [...DEV_WEB_ORIGINS, DESKTOP_APP_ORIGIN];
}

/** No Origin header (not a browser page) or one on the list. */
export function originAllowed(allowed: readonly string[], origin: string | undefined): boolean {
  return origin === undefined || origin === '' || allowed.includes(origin);
}
