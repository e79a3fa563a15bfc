// Runs in: the Playwright runner and its workers (Node).
// Finding Electron's binary, and launching the built desktop app on a profile folder of
// its own against the test backend.
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test';

export const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const NO_ELECTRON =
  "Electron tests skipped: Electron's binary is not installed (node_modules/electron/dist); with internet, run `npm run setup:electron`.";

/** The Electron executable, or null when the npm package was installed without its binary. */
export function electronBinary(): string | null {
  try {
    const binary: unknown = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Set by globalSetup once the backend answers. */
export function serverUrl(): string {
  const url = process.env.PARLEY_TEST_SERVER_URL;
  if (!url) throw new Error('PARLEY_TEST_SERVER_URL is not set: run these tests with -c tests/electron/playwright.config.ts');
  return url;
}

export function newProfile(): string {
  return mkdtempSync(path.join(tmpdir(), 'parley-electron-profile-'));
}

export interface RunningApp {
  app: ElectronApplication;
  window: Page;
}

/** The environment of an app launched on a profile folder: the test backend, that profile. */
export function appEnv(profile: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  delete env.ELECTRON_RENDERER_URL;
  delete env.ELECTRON_RUN_AS_NODE;
  env.PARLEY_SERVER_URL = serverUrl();
  env.PARLEY_USER_DATA_DIR = profile;
  return env;
}

/** Electron's command line: the app folder (package.json "main" = out/main/index.js). */
export function appArgs(): string[] {
  // Chromium refuses to run its sandbox as root (CI containers): only then is it switched off.
  return [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), appRoot];
}

/** Starts the built app (out/) with its own profile folder; the same folder = the same installation. */
export async function launchParley(profile: string): Promise<RunningApp> {
  const executablePath = electronBinary();
  if (!executablePath) throw new Error(NO_ELECTRON);
  const app = await electron.launch({ executablePath, args: appArgs(), env: appEnv(profile), cwd: appRoot });
  const window = await app.firstWindow();
  return { app, window };
}
