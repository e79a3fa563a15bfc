// Browser end-to-end tests of the web build of Parley's renderer against the real
// backend and database. tests/e2e/globalSetup.ts starts the whole stack once (local
// database, backend, web build, static server) and stops it after the run; each test
// creates its own users and opens each of them in a browser context of their own.
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tests/support/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/e2e/globalSetup.ts',
  // Two cores: two workers, each driving two or three browser contexts at once.
  workers: 2,
  fullyParallel: true,
  // In CI one retry, so a test that fails once on a busy machine is reported as "flaky" in
  // the summary (and its trace kept) instead of failing the run; locally none, to see it.
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  // Per test; the history test raises its own.
  timeout: 60_000,
  // The stack (database, backend, web build) starts once, inside globalSetup.
  globalTimeout: 15 * 60_000,
  expect: { timeout: 10_000 },
  outputDir: 'test-results/e2e',
  use: {
    // baseURL is set from the running stack in tests/e2e/fixtures.ts.
    browserName: 'chromium',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    // Playwright cannot download browsers here: Debian's Chromium (tests/support/chromium.ts).
    launchOptions: chromiumLaunchOptions(),
  },
});
