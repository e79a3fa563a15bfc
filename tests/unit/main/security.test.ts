// The window's security policy as plain functions: configuration, CSP, links, the
// app:// file server, and close-to-tray.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppFile, serveAppRequest } from '../../../src/main/appProtocol.js';
import { loadDesktopConfig, webSocketOrigin } from '../../../src/main/config.js';
import { contentSecurityPolicy } from '../../../src/main/csp.js';
import { externalUrl, isAppPage } from '../../../src/main/links.js';
import { originOf } from '../../../src/shared/urls.js';
import { QuitGuard } from '../../../src/main/quitGuard.js';
import { fakeWindow } from './fakes.js';

describe('desktop configuration', () => {
  it('defaults to the local backend and the app:// page', () => {
    const config = loadDesktopConfig({}, { isPackaged: true });
    expect(config).toEqual({
      serverOrigin: 'http://127.0.0.1:4000',
      pageUrl: 'app://parley/index.html?server=http%3A%2F%2F127.0.0.1%3A4000',
      pageOrigin: 'app://parley',
      dev: false,
      userDataDir: null,
    });
  });

  it('takes the backend from PARLEY_SERVER_URL over the build default, as an origin', () => {
    expect(
      loadDesktopConfig({ PARLEY_SERVER_URL: 'https://chat.example.com/some/path' }, { isPackaged: true, buildServerUrl: 'https://build.example.com' })
        .serverOrigin,
    ).toBe('https://chat.example.com');
    expect(loadDesktopConfig({}, { isPackaged: true, buildServerUrl: 'https://build.example.com' }).serverOrigin).toBe('https://build.example.com');
  });

  it('refuses a backend that is not http(s), naming the variable', () => {
    expect(() => loadDesktopConfig({ PARLEY_SERVER_URL: 'javascript:alert(1)' }, { isPackaged: false })).toThrow(/PARLEY_SERVER_URL/);
    expect(() => loadDesktopConfig({ PARLEY_SERVER_URL: 'not a url' }, { isPackaged: false })).toThrow(/PARLEY_SERVER_URL/);
  });

  it("follows electron-vite's dev server only when not packaged", () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5174' };
    expect(loadDesktopConfig(env, { isPackaged: false })).toMatchObject({ dev: true, pageOrigin: 'http://localhost:5174' });
    expect(loadDesktopConfig(env, { isPackaged: true })).toMatchObject({ dev: false, pageOrigin: 'app://parley' });
  });

  it('maps http(s) to ws(s)', () => {
    expect(webSocketOrigin('http://127.0.0.1:4000')).toBe('ws://127.0.0.1:4000');
    expect(webSocketOrigin('https://chat.example.com')).toBe('wss://chat.example.com');
  });
});

describe('content security policy', () => {
  const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

  it('lets the page connect only to the backend and its WebSocket form', () => {
    const csp = directives(contentSecurityPolicy({ serverOrigin: 'https://chat.example.com', devServerOrigin: null }));
    expect(csp.get('connect-src')).toEqual(['https://chat.example.com', 'wss://chat.example.com']);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
  });

  it('loosens only what Vite dev needs, only in dev', () => {
    const csp = directives(contentSecurityPolicy({ serverOrigin: 'http://127.0.0.1:4000', devServerOrigin: 'http://localhost:5174' }));
    expect(csp.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('connect-src')).toEqual(['http://127.0.0.1:4000', 'ws://127.0.0.1:4000', 'http://localhost:5174', 'ws://localhost:5174']);
  });
});

describe('links', () => {
  it.each([
    ['https://example.com/x', 'https://example.com/x'],
    ['http://example.com', 'http://example.com/'],
    ['file:///etc/passwd', null],
    ['javascript:alert(1)', null],
    ['smb://host/share', null],
    ['ms-settings:', null],
    ['app://parley/index.html', null],
    ['not a url', null],
    [`https://example.com/${'a'.repeat(3000)}`, null],
  ])('%s -> %s', (raw, expected) => {
    expect(externalUrl(raw)).toBe(expected);
  });

  it('knows its own page, including the custom app:// scheme', () => {
    expect(originOf('app://parley/index.html?x=1')).toBe('app://parley');
    expect(isAppPage('app://parley/rooms/1', 'app://parley')).toBe(true);
    expect(isAppPage('app://evil/index.html', 'app://parley')).toBe(false);
    expect(isAppPage('http://localhost:5174/', 'http://localhost:5174')).toBe(true);
    expect(isAppPage('https://example.com/', 'app://parley')).toBe(false);
    expect(isAppPage('file:///index.html', 'app://parley')).toBe(false);
  });
});

describe('app:// file server', () => {
  const root = path.resolve('/srv/out/renderer');
  const files: Record<string, string> = {
    [path.join(root, 'index.html')]: '<!doctype html><title>Parley</title>',
    [path.join(root, 'assets', 'app.js')]: 'console.log(1)',
  };
  const readFile = async (file: string) => {
    const text = files[file];
    if (text === undefined) throw new Error('ENOENT');
    return new TextEncoder().encode(text);
  };
  const serve = (url: string, method = 'GET') => serveAppRequest(new Request(url, { method }), { root, csp: "default-src 'none'", readFile });

  it('serves the page with the CSP header and a real content type', async () => {
    const response = await serve('app://parley/index.html?server=x');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Parley</title>');
    expect((await serve('app://parley/assets/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers the app routes with index.html', async () => {
    expect(await (await serve('app://parley/')).text()).toContain('Parley');
    expect(await (await serve('app://parley/rooms/abc')).text()).toContain('Parley');
  });

  it('never serves files outside the renderer folder', () => {
    expect(resolveAppFile(root, 'app://parley/../../etc/passwd.txt')).toBe(path.join(root, 'etc', 'passwd.txt'));
    expect(resolveAppFile(root, 'app://parley/%2e%2e/%2e%2e/etc/passwd.txt')).toBe(path.join(root, 'etc', 'passwd.txt'));
    expect(resolveAppFile(root, 'app://parley/..%2f..%2fsecret.txt')).toBe(path.join(root, 'secret.txt'));
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull();
    expect(resolveAppFile(root, 'app://parley/a%00.js')).toBeNull();
    expect(resolveAppFile(root, 'app://parley/%E0%A4%A.js')).toBeNull();
  });

  it('answers 404 for a missing file and 405 for other methods', async () => {
    expect((await serve('app://parley/missing.js')).status).toBe(404);
    expect((await serve('app://parley/index.html', 'POST')).status).toBe(405);
  });
});

describe('close to tray', () => {
  it('hides the window instead of closing it, until the app quits', () => {
    const guard = new QuitGuard();
    const window = fakeWindow();
    let prevented = 0;
    const event = { preventDefault: () => void (prevented += 1) };
    guard.windowClosing(event, window);
    expect(prevented).toBe(1);
    expect(window.hidden).toBe(true);

    guard.quitRequested();
    window.hidden = false;
    guard.windowClosing(event, window);
    expect(prevented).toBe(1);
    expect(window.hidden).toBe(false);
  });
});
