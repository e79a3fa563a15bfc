// Screenshots of the web client for docs/screenshots: `npm run screenshots`.
// Starts the same stack as the browser tests (tests/e2e/stack.ts), seeds two users, a
// few rooms and a conversation through the REST API, and saves PNGs of the sign-in,
// room list, chat and manage views (light), typing, mentions and the New messages line,
// and the chat view (dark).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import type { Browser } from 'playwright-core';
import { repoRoot, startStack } from '../tests/e2e/stack.js';
import { ParleyApi, type ApiUser as TestUser } from '../tests/support/apiClient.js';
import { launchChromium } from '../tests/support/chromium.js';

const outDir = path.join(repoRoot, 'docs/screenshots');
const viewport = { width: 1280, height: 800 };

const stack = await startStack({ log: (line) => console.log(line) });
let browser: Browser | undefined;
try {
  const api = new ParleyApi(stack.apiUrl);
  const register = (username: string): Promise<TestUser> => api.registerAs({ username, password: 'screenshots-only-pw' });
  const alice = await register('alice');
  const bob = await register('bob');

  const general = await api.createRoom(alice, 'general');
  const design = await api.createRoom(alice, 'design-review');
  const random = await api.createRoom(bob, 'random');
  await api.addMember(alice, general.id, bob.username);
  await api.addMember(alice, design.id, bob.username);
  await api.addMember(bob, random.id, alice.username);
  await api.setRole(alice, design.id, bob, 'admin');

  const conversation: Array<[TestUser, string]> = [
    [alice, 'Morning! Did the new build go out?'],
    [bob, 'It did, about ten minutes ago. Desktop and web both.'],
    [alice, 'Great. Any reports from the early testers yet?'],
    [bob, 'One: the room list jumps when a new message arrives in a room further down.'],
    [alice, 'I can reproduce that. I will look at it after lunch.'],
    [bob, 'Thanks! Also, history now loads back to the very first message without stalling.'],
    [alice, 'Nice — 600 messages scroll smoothly here.\nShift+Enter for a new line works too.'],
  ];
  for (const [author, text] of conversation) await api.send(author, general.id, text);
  await api.send(bob, design.id, 'Mock-ups for the settings dialog are in the shared folder.');
  await api.send(bob, design.id, 'Dark theme colours still need a second look.');
  await api.send(alice, random.id, 'Anyone up for lunch at noon?');

  browser = await launchChromium();
  mkdirSync(outDir, { recursive: true });
  const shoot = async (page: Page, name: string) => {
    const file = path.join(outDir, `${name}.png`);
    await page.screenshot({ path: file });
    console.log(`screenshots: ${path.relative(repoRoot, file)}`);
  };

  const open = async (colorScheme: 'light' | 'dark') => {
    const context = await browser!.newContext({ viewport, colorScheme, baseURL: stack.webUrl });
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Sign in to Parley' })).toBeVisible();
    return page;
  };
  const signIn = async (page: Page, user: TestUser) => {
    await page.getByRole('textbox', { name: 'Username or email' }).fill(user.username);
    await page.getByRole('textbox', { name: 'Password' }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('navigation', { name: 'Rooms' })).toBeVisible();
  };
  const openRoom = async (page: Page, name: string, lastText: string) => {
    await page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name, exact: true }).click();
    await expect(page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
    await expect(page.getByRole('log', { name: 'Messages' }).getByRole('article').filter({ hasText: lastText })).toBeVisible();
  };
  const lastText = conversation[conversation.length - 1]![1].split('\n')[0]!;

  // Sign-in, with the fields filled in.
  const page = await open('light');
  await page.getByRole('textbox', { name: 'Username or email' }).fill(alice.username);
  await page.getByRole('textbox', { name: 'Password' }).fill(alice.password);
  await shoot(page, 'sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Rooms' })).toBeVisible();
  await expect(page.getByText('Pick a room or create one')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: 'random', exact: true })).toBeVisible();
  await shoot(page, 'room-list');

  // Bob is in the room too, so "Here now" has two people and Alice sees him enter.
  const bobPage = await open('light');
  await signIn(bobPage, bob);
  await openRoom(page, 'general', lastText);
  await openRoom(bobPage, 'general', lastText);
  await expect(page.getByText(`${bob.username} entered`)).toBeVisible();
  await page.getByRole('textbox', { name: 'Message #general' }).fill('Lunch after the stand-up?');
  await shoot(page, 'chat');

  await page.getByRole('tab', { name: 'Manage' }).click();
  await expect(page.getByRole('list', { name: 'Members' })).toBeVisible();
  await shoot(page, 'manage');

  // Conversations (issue 12): bob mentions alice in another room and types in this one;
  // alice sees her mention badge, who is typing, and the @ suggestions in her composer.
  await page.getByRole('tab', { name: 'Chat' }).click();
  await api.send(bob, design.id, `@${alice.username} could you check the dark theme before Friday?`);
  await expect(page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: 'design-review', exact: true })).toHaveAccessibleDescription(
    /1 mention/,
  );
  const box = page.getByRole('textbox', { name: 'Message #general' });
  await box.fill('');
  await bobPage.getByRole('textbox', { name: 'Message #general' }).pressSequentially('Sounds good');
  await expect(page.getByRole('status').filter({ hasText: `${bob.username} is typing…` })).toBeVisible();
  await shoot(page, 'typing-and-mention-badge');
  await box.pressSequentially('Thanks @b');
  await expect(page.getByRole('listbox', { name: 'Mention someone' })).toBeVisible();
  await shoot(page, 'mention-suggestions');
  await box.fill('');
  // The room with unread messages opens at the New messages line; the mention of alice is
  // highlighted; a message offers Copy link on hover.
  await openRoom(page, 'design-review', 'could you check');
  await expect(page.getByRole('separator', { name: 'New messages' })).toBeVisible();
  await page.getByRole('log', { name: 'Messages' }).getByRole('article').filter({ hasText: 'Mock-ups' }).hover();
  await shoot(page, 'new-messages-and-mentions');

  const dark = await open('dark');
  await signIn(dark, alice);
  await openRoom(dark, 'general', lastText);
  await shoot(dark, 'chat-dark');
} finally {
  await browser?.close();
  await stack.stop();
}
