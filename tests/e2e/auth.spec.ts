// Registering, signing in, keeping the session across reloads and new pages, logging out.
import type { AuthResponse } from '../../src/shared/contract.js';
import { uniqueName } from './api.js';
import { alertWith, apiUrl, expect, expectSignedIn, signIn, test } from './fixtures.js';

test('registers a new account and is signed in straight away', async ({ people }) => {
  const { page } = await people.openSignedOut();
  await expect(page.getByRole('heading', { name: 'Sign in to Parley' })).toBeVisible();
  await page.getByRole('button', { name: 'Create an account' }).click();
  await expect(page.getByRole('heading', { name: 'Create your Parley account' })).toBeVisible();

  // The rules are shown before submitting.
  await expect(page.getByText('At least 8 characters')).toBeVisible();
  await expect(page.getByText('3–32 letters, digits, _ . -')).toBeVisible();
  // The web build points at the backend it was built for.
  await expect(page.getByRole('textbox', { name: 'Server URL' })).toHaveValue(new RegExp(`^${escapeRegExp(apiUrl())}/?$`));

  const username = uniqueName('newbie');
  await page.getByRole('textbox', { name: 'Email' }).fill(`${username}@example.test`);
  await page.getByRole('textbox', { name: 'Username' }).fill(username);
  await page.getByRole('textbox', { name: 'Password' }).fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expectSignedIn(page, username);
  await expect(page.getByText('Pick a room or create one')).toBeVisible();
});

test('a taken username is refused with an error that says so', async ({ people }) => {
  const existing = await people.register('taken');
  const { page } = await people.openSignedOut();
  await page.getByRole('button', { name: 'Create an account' }).click();
  await expect(page.getByRole('heading', { name: 'Create your Parley account' })).toBeVisible();

  await page.getByRole('textbox', { name: 'Email' }).fill(`other-${existing.email}`);
  await page.getByRole('textbox', { name: 'Username' }).fill(existing.username);
  await page.getByRole('textbox', { name: 'Password' }).fill('another good password');
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/register') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Create account' }).click();
  expect((await answer).status()).toBe(409);

  await expect(alertWith(page, 'That username is already taken.')).toBeVisible();
  // And next to the field it is about, linked to it.
  await expect(page.getByRole('textbox', { name: 'Username' })).toHaveAccessibleDescription(/already taken/i);
  // Still on the form, not signed in.
  await expect(page.getByRole('heading', { name: 'Create your Parley account' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);
});

test('a wrong password is refused in an alert', async ({ people }) => {
  const user = await people.register('wrongpw');
  const { page } = await people.openSignedOut();
  await page.getByRole('textbox', { name: 'Username or email' }).fill(user.username);
  await page.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(alertWith(page, 'Wrong username, email or password.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sign in to Parley' })).toBeVisible();
});

test('signs in; the session survives a reload and a new page; logging out ends it', async ({ people, api }) => {
  const user = await people.register('keeper');
  const { context, page } = await people.openSignedOut();

  const login = page.waitForResponse((r) => r.url().endsWith('/api/auth/login') && r.request().method() === 'POST');
  await signIn(page, user);
  const session = (await (await login).json()) as AuthResponse;
  expect(session.user.username).toBe(user.username);

  await page.reload();
  await expectSignedIn(page, user.username);
  await expect(page.getByRole('heading', { name: 'Sign in to Parley' })).toHaveCount(0);

  await page.close();
  const again = await context.newPage();
  await again.goto('/');
  await expectSignedIn(again, user.username);
  await expect(again.getByRole('heading', { name: 'Sign in to Parley' })).toHaveCount(0);

  const logout = again.waitForResponse((r) => r.url().endsWith('/api/auth/logout') && r.request().method() === 'POST');
  await again.getByRole('button', { name: 'Log out' }).click();
  expect((await logout).status()).toBe(204);
  await expect(again.getByRole('heading', { name: 'Sign in to Parley' })).toBeVisible();
  // The server no longer accepts the browser's token, and a reload stays signed out.
  await expect(api.me(session.token)).rejects.toMatchObject({ status: 401 });
  await again.reload();
  await expect(again.getByRole('heading', { name: 'Sign in to Parley' })).toBeVisible();
  await expect(again.getByRole('button', { name: 'Log out' })).toHaveCount(0);
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
