// The desktop app's page without Electron: the built renderer (out/renderer) served by
// main's own app:// handler (serveAppRequest, same CSP header) over loopback HTTP, in
// Chromium, with a stand-in for the preload that records every bridge call. Checks that
// the page works under the desktop CSP (scripts from itself only, connections to the
// backend only) and that everything it sends would pass main's IPC validators.
// What it cannot check: Electron itself (app:// scheme, preload, IPC transport).
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { AddressInfo } from 'node:net';
import { serveAppRequest } from '../../src/main/appProtocol.js';
import { contentSecurityPolicy } from '../../src/main/csp.js';
import { invokeArgs, sendArgs } from '../../src/main/schemas.js';
import type { InvokeChannel, SendChannel } from '../../src/shared/ipc.js';
import { chromiumPath, NO_CHROMIUM } from '../support/chromium.js';
import { createRoom, postMessage, register, uniqueName } from './support/api.js';
import { appRoot, serverUrl } from './support/electronApp.js';

test.skip(chromiumPath() === null, `Desktop page check skipped: ${NO_CHROMIUM}`);

/** Bridge method -> the IPC channel the preload uses for it (src/preload/index.ts). */
const CHANNELS: Record<string, InvokeChannel | SendChannel> = {
  loadSession: 'session:load',
  saveSession: 'session:save',
  clearSession: 'session:clear',
  getSettings: 'settings:get',
  updateSettings: 'settings:update',
  setActiveRoom: 'room:set-active',
  messageArrived: 'message:arrived',
  setUnread: 'unread:set',
  setSessionState: 'session:set-state',
  openExternal: 'link:open-external',
  // openLocalStore's handle: the preload sends each of its calls as JSON text over these.
  localGet: 'local:get',
  localSet: 'local:set',
  localDelete: 'local:delete',
  localClear: 'local:clear',
};

let server: Server;
let pageUrl: string;

test.beforeAll(async () => {
  const csp = contentSecurityPolicy({ serverOrigin: serverUrl(), devServerOrigin: null });
  const root = path.join(appRoot, 'out', 'renderer');
  server = createServer((req, res) => {
    void serveAppRequest(new Request(`app://parley${req.url ?? '/'}`, { method: req.method }), { root, csp, readFile }).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  // The port the backend was told to accept as this page's origin (globalSetup.ts).
  await new Promise<void>((resolve) => server.listen(Number(process.env.PARLEY_TEST_PAGE_PORT ?? 0), '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  pageUrl = `http://127.0.0.1:${port}/index.html?server=${encodeURIComponent(serverUrl())}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

test('the desktop page runs under the desktop CSP and sends main only what it accepts', async ({ page }) => {
  const alice = await register('alice');
  const bob = await register('bob');
  const general = uniqueName('general');
  const random = uniqueName('random');
  await createRoom(alice, general, [bob]);
  const randomId = await createRoom(alice, random, [bob]);

  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(String(error)));

  // What the preload would expose: every call recorded, stored like main would.
  await page.addInitScript(() => {
    const calls: Array<[string, unknown[]]> = [];
    let stored: unknown = null;
    let settings = { notificationsEnabled: true, mutedRoomIds: [] as string[] };
    // main's per-account files, kept as the JSON text that crosses IPC.
    const files = new Map<string, Map<string, string>>();
    const fileOf = (accountId: string) => files.get(accountId) ?? files.set(accountId, new Map()).get(accountId)!;
    const record =
      <R>(name: string, answer: (...args: unknown[]) => R) =>
      (...args: unknown[]) => {
        calls.push([name, args]);
        return answer(...args);
      };
    Object.assign(window, {
      parleyCalls: calls,
      parley: {
        kind: 'desktop',
        loadSession: record('loadSession', async () => stored),
        saveSession: record('saveSession', async (session) => void (stored = session)),
        clearSession: record('clearSession', async () => void (stored = null)),
        getSettings: record('getSettings', async () => settings),
        updateSettings: record('updateSettings', async (patch) => (settings = { ...settings, ...(patch as object) })),
        setActiveRoom: record('setActiveRoom', () => undefined),
        messageArrived: record('messageArrived', () => undefined),
        setUnread: record('setUnread', () => undefined),
        setSessionState: record('setSessionState', () => undefined),
        openExternal: record('openExternal', () => undefined),
        onOpenRoom: () => () => undefined,
        onLogoutRequested: () => () => undefined,
        onWake: () => () => undefined,
        openLocalStore: (accountId: string) => ({
          get: async (key: string) => {
            const json = await record('localGet', async () => fileOf(accountId).get(key))(accountId, key);
            return json === undefined ? undefined : JSON.parse(json);
          },
          set: (key: string, value: unknown) =>
            record('localSet', async (...[, , json]) => void fileOf(accountId).set(key, json as string))(accountId, key, JSON.stringify(value)),
          delete: (key: string) => record('localDelete', async () => void fileOf(accountId).delete(key))(accountId, key),
          clear: () => record('localClear', async () => void files.delete(accountId))(accountId),
        }),
      },
    });
  });

  await page.goto(pageUrl);
  await page.getByRole('textbox', { name: 'Username or email' }).fill(alice.username);
  await page.getByRole('textbox', { name: 'Password' }).fill(alice.password);
  await page.getByRole('textbox', { name: 'Server URL' }).fill(serverUrl());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: general }).click();
  await expect(page.getByRole('heading', { level: 2, name: general })).toBeVisible();
  await postMessage(bob, randomId, 'lunch at noon?');

  const calls = () => page.evaluate(() => (window as unknown as { parleyCalls: Array<[string, unknown[]]> }).parleyCalls);
  // The start-up cache is written a moment after the room list arrives (localSet).
  await expect
    .poll(async () => {
      const seen = new Set((await calls()).map(([name]) => name));
      return seen.has('messageArrived') && seen.has('localSet');
    })
    .toBe(true);
  const recorded = await calls();
  const names = recorded.map(([name]) => name);
  expect(names).toEqual(
    expect.arrayContaining(['loadSession', 'saveSession', 'setSessionState', 'setActiveRoom', 'setUnread', 'messageArrived', 'localGet', 'localSet']),
  );

  for (const [name, args] of recorded) {
    const channel = CHANNELS[name];
    expect(channel, `${name} has an IPC channel`).toBeDefined();
    const schema = channel! in invokeArgs ? invokeArgs[channel as InvokeChannel] : sendArgs[channel as SendChannel];
    const result = schema.safeParse(args);
    expect(result.success, `${name}(${JSON.stringify(args).slice(0, 200)}): ${JSON.stringify(result.error?.issues)}`).toBe(true);
  }
  const arrived = recorded.find(([name]) => name === 'messageArrived')![1][0] as { roomName: string; message: { text: string } };
  expect(arrived).toMatchObject({ roomName: random, message: { text: 'lunch at noon?' } });
  expect(violations).toEqual([]);
});
