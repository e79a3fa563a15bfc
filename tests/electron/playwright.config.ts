// End-to-end tests of the desktop app, against the real backend and database:
//   electron      the built Electron app (out/) driven by Playwright's Electron support
//   desktop-page  the built renderer (out/renderer) in Chromium, served exactly as main's
//                 app:// handler serves it (same CSP header), with a stand-in preload bridge
//                 checked against main's IPC validators; runs without Electron's binary
// Run: npm run test:electron   (= playwright test -c tests/electron/playwright.config.ts)
// The Electron tests need Electron's binary (`npm run setup:electron` with internet);
// without it they are skipped and globalSetup says so in one line. On a Linux machine
// without a display, run under a virtual one: xvfb-run -a npm run test:electron
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../support/chromium.js';
import { electronBinary } from './support/electronApp.js';

const hasElectron = electronBinary() !== null;

export default defineConfig({
  testDir: '.',
  globalSetup: './globalSetup.ts',
  // One app at a time: each owns a tray icon and windows on the one display.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // Without the binary, 'dot' keeps the skipped Electron tests to a count.
  reporter: hasElectron ? 'list' : 'dot',
  timeout: 90_000,
  globalTimeout: 10 * 60_000,
  expect: { timeout: 15_000 },
  outputDir: '../../test-results/electron',
  use: {
    actionTimeout: 10_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'electron', testMatch: 'desktop.spec.ts' },
    {
      name: 'desktop-page',
      testMatch: 'page.spec.ts',
      use: {
        browserName: 'chromium',
        launchOptions: chromiumLaunchOptions(),
      },
    },
  ],
});
