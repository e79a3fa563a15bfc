// The desktop shell end to end: the built app, the real backend. Each test has its own
// profile folder (settings file, single-instance lock), i.e. its own installation.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type ElectronApplication, type Page } from '@playwright/test';
import type { ParleyBridge, StoredSession } from '../../src/shared/bridge.js';
import { createRoom, postMessage, register, uniqueName, type TestUser } from './support/api.js';
import { appArgs, appEnv, electronBinary, launchParley, newProfile, NO_ELECTRON, serverUrl } from './support/electronApp.js';

test.skip(electronBinary() === null, NO_ELECTRON);

async function signIn(window: Page, user: TestUser): Promise<void> {
  await window.getByRole('textbox', { name: 'Username or email' }).fill(user.username);
  await window.getByRole('textbox', { name: 'Password' }).fill(user.password);
  await window.getByRole('textbox', { name: 'Server URL' }).fill(serverUrl());
  await window.getByRole('button', { name: 'Sign in' }).click();
  await expect(window.getByRole('button', { name: 'Log out' })).toBeVisible();
}

function storedSession(window: Page): Promise<StoredSession | null> {
  return window.evaluate(() => (window as unknown as { parley: ParleyBridge }).parley.loadSession());
}

function settingsFile(profile: string): { session?: { token: string; tokenProtection: string; expiresAt: string } } {
  return JSON.parse(readFileSync(path.join(profile, 'parley.json'), 'utf8'));
}

function windowState(app: ElectronApplication): Promise<{ count: number; visible: boolean }> {
  return app.evaluate(({ BrowserWindow }) => {
    const windows = BrowserWindow.getAllWindows();
    return { count: windows.length, visible: windows[0]?.isVisible() ?? false };
  });
}

test('signs straight back in after a restart, with the token stored as the flag says', async () => {
  const profile = newProfile();
  const alice = await register('alice');

  const first = await launchParley(profile);
  await signIn(first.window, alice);
  const session = await storedSession(first.window);
  expect(session?.user.username).toBe(alice.username);
  await first.app.close();

  const file = settingsFile(profile);
  expect(['safeStorage', 'plaintext']).toContain(file.session?.tokenProtection);
  if (file.session?.tokenProtection === 'safeStorage') expect(JSON.stringify(file)).not.toContain(session!.token);
  else expect(file.session?.token).toBe(session!.token);

  const second = await launchParley(profile);
  await expect(second.window.getByRole('button', { name: 'Log out' })).toBeVisible();
  await expect(second.window.getByText(alice.username).first()).toBeVisible();
  await expect(second.window.getByRole('heading', { name: 'Sign in to Parley' })).toHaveCount(0);
  await second.app.close();
});

test('wipes a stored session that has expired and asks to sign in', async () => {
  const profile = newProfile();
  const alice = await register('alice');
  writeFileSync(
    path.join(profile, 'parley.json'),
    JSON.stringify({
      session: {
        token: alice.token,
        tokenProtection: 'plaintext',
        expiresAt: new Date(Date.now() - 60_000).toISOString(),
        user: { id: alice.id, username: alice.username, email: `${alice.username}@example.test` },
        serverUrl: serverUrl(),
      },
    }),
  );
  const { app, window } = await launchParley(profile);
  await expect(window.getByRole('heading', { name: 'Sign in to Parley' })).toBeVisible();
  expect(await storedSession(window)).toBeNull();
  expect(settingsFile(profile).session).toBeUndefined();
  await app.close();
});

test('closing the window hides it to the tray; launching again brings it back, still signed in', async () => {
  const profile = newProfile();
  const alice = await register('alice');
  const { app, window } = await launchParley(profile);
  await signIn(window, alice);

  await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
  await expect.poll(() => windowState(app)).toEqual({ count: 1, visible: false });
  expect(app.process().exitCode).toBeNull();

  // The single-instance lock: a second launch exits and shows the first one's window.
  const second = spawn(electronBinary()!, appArgs(), { env: appEnv(profile), stdio: 'ignore' });
  const secondExit = await new Promise<number | null>((resolve) => second.once('exit', (code) => resolve(code)));
  expect(secondExit).toBe(0);
  await expect.poll(() => windowState(app)).toEqual({ count: 1, visible: true });
  await expect(window.getByRole('button', { name: 'Log out' })).toBeVisible();
  expect((await storedSession(window))?.user.username).toBe(alice.username);

  await app.close();
  expect(app.process().exitCode ?? app.process().signalCode).not.toBeNull();
});

test('a message in another room shows a native notification; clicking it opens that room', async () => {
  const alice = await register('alice');
  const bob = await register('bob');
  const general = uniqueName('general');
  const random = uniqueName('random');
  await createRoom(alice, general, [bob]);
  const randomId = await createRoom(alice, random, [bob]);

  const { app, window } = await launchParley(newProfile());
  await signIn(window, alice);
  // Record notifications in the main process instead of handing them to the desktop
  // (there may be no notification service on a test machine).
  await app.evaluate(({ Notification }) => {
    const shown: Electron.Notification[] = [];
    (globalThis as { parleyShownNotifications?: Electron.Notification[] }).parleyShownNotifications = shown;
    Notification.isSupported = () => true;
    Notification.prototype.show = function (this: Electron.Notification) {
      shown.push(this);
    };
  });
  const shown = () =>
    app.evaluate(() =>
      ((globalThis as { parleyShownNotifications?: Electron.Notification[] }).parleyShownNotifications ?? []).map((n) => ({ title: n.title, body: n.body })),
    );

  await window.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: general }).click();
  await expect(window.getByRole('heading', { level: 2, name: general })).toBeVisible();

  await postMessage(bob, randomId, 'lunch at noon?\nthe usual place');
  await expect.poll(shown).toEqual([{ title: `${bob.username} in #${random}`, body: 'lunch at noon?' }]);

  await app.evaluate(() => {
    (globalThis as { parleyShownNotifications?: Electron.Notification[] }).parleyShownNotifications?.[0]?.emit('click');
  });
  await expect(window.getByRole('heading', { level: 2, name: random })).toBeVisible();
  await expect.poll(() => windowState(app)).toEqual({ count: 1, visible: true });
  await app.close();
});
