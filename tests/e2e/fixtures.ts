// Playwright fixtures for Parley's browser tests: the API client, and `people`, which
// opens the web client for a user in a browser context of their own (a fresh profile:
// its own storage, cookies and network state), signed in through the UI. Every locator
// follows docs/ui-names.md.
import { test as base, expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { Api, uniqueName, type TestUser } from './api.js';

export { expect };
export type { TestUser };

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests with \`npx playwright test\` (globalSetup starts the stack).`);
  return value;
}

export const apiUrl = () => requiredEnv('PARLEY_E2E_API_URL');

export interface Person {
  user: TestUser;
  context: BrowserContext;
  page: Page;
}

export interface People {
  /** Registers a user through the API (not the UI). */
  register(prefix: string): Promise<TestUser>;
  /** A new browser context with the web client open and not signed in. */
  openSignedOut(): Promise<{ context: BrowserContext; page: Page }>;
  /** A new browser context with the web client open and `user` signed in through the UI. */
  open(user: TestUser): Promise<Person>;
}

// Playwright reads a fixture's dependencies from its destructuring pattern: `{}` is "none".
/* eslint-disable no-empty-pattern */
export const test = base.extend<{ api: Api; people: People }>({
  baseURL: async ({}, use) => {
    await use(requiredEnv('PARLEY_E2E_WEB_URL'));
  },

  api: async ({}, use) => {
    await use(new Api(apiUrl()));
  },
  /* eslint-enable no-empty-pattern */

  people: async ({ browser, api, baseURL }, use) => {
    const contexts: BrowserContext[] = [];
    const openSignedOut: People['openSignedOut'] = async () => {
      const context = await browser.newContext({ baseURL });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto('/');
      return { context, page };
    };
    await use({
      register: (prefix) => api.register(prefix),
      openSignedOut,
      async open(user) {
        const { context, page } = await openSignedOut();
        await signIn(page, user);
        return { user, context, page };
      },
    });
    for (const context of contexts) await context.close();
  },
});

// ---------- UI helpers, all by role and accessible name ----------

export async function signIn(page: Page, user: Pick<TestUser, 'username' | 'password'>): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Sign in to Parley' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Username or email' }).fill(user.username);
  await page.getByRole('textbox', { name: 'Password' }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectSignedIn(page, user.username);
}

/** The shell's readiness signal: the Rooms navigation and the signed-in username. */
export async function expectSignedIn(page: Page, username: string): Promise<void> {
  await expect(roomList(page)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  await expect(page.getByText(username, { exact: true }).first()).toBeVisible();
}

export const roomList = (page: Page) => page.getByRole('navigation', { name: 'Rooms' });
export const roomButton = (page: Page, roomName: string) => roomList(page).getByRole('button', { name: roomName, exact: true });
export const roomHeading = (page: Page, roomName: string) => page.getByRole('heading', { level: 2, name: roomName, exact: true });
export const messageLog = (page: Page) => page.getByRole('log', { name: 'Messages' });
export const messageBox = (page: Page, roomName: string) => page.getByRole('textbox', { name: `Message #${roomName}` });
/** The message articles in the log whose text contains `text` (exactly this text, nothing longer, when `exact`). */
export const articlesWith = (page: Page, text: string) => messageLog(page).getByRole('article').filter({ hasText: text });
/** The alert (role "alert") that contains `text`; there may be other alerts on the page. */
export const alertWith = (page: Page, text: string) => page.getByRole('alert').filter({ hasText: text });
export const membersList = (page: Page) => page.getByRole('list', { name: 'Members' });
/** A member's list item: the one that names them (yourself may be shown as "alice (you)"). */
export const memberItem = (page: Page, username: string) => membersList(page).getByRole('listitem').filter({ hasText: username });

export async function openRoom(page: Page, roomName: string): Promise<void> {
  await roomButton(page, roomName).click();
  await expect(roomHeading(page, roomName)).toBeVisible();
  await expect(messageLog(page)).toBeVisible();
}

export async function openManage(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Manage' }).click();
  await expect(page.getByRole('tab', { name: 'Manage' })).toHaveAttribute('aria-selected', 'true');
  await expect(membersList(page)).toBeVisible();
}

export async function openChat(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Chat' }).click();
  await expect(page.getByRole('tab', { name: 'Chat' })).toHaveAttribute('aria-selected', 'true');
  await expect(messageLog(page)).toBeVisible();
}

/** Types into the message box and presses Enter. */
export async function sendMessage(page: Page, roomName: string, text: string): Promise<void> {
  const box = messageBox(page, roomName);
  await box.fill(text);
  await box.press('Enter');
  await expect(box).toHaveValue('');
}

/**
 * The role shown in a member's list item: the text of an element, outside the buttons
 * (whose names also say "admin"), that reads exactly "admin" or "member".
 */
export async function shownRole(item: Locator): Promise<string> {
  return item.evaluate((element) => {
    const found = new Set<string>();
    for (const node of element.querySelectorAll('*')) {
      if (node.closest('button, [role="button"]') || node.children.length > 0) continue;
      const text = node.textContent?.trim() ?? '';
      if (text === 'admin' || text === 'member') found.add(text);
    }
    return found.size === 1 ? [...found][0]! : `unclear: "${element.textContent?.trim() ?? ''}"`;
  });
}

export const roomName = (prefix: string) => uniqueName(prefix);
