// Runs in: the Playwright runner, once before the desktop tests.
// Builds the desktop app if out/ is stale (electron-vite build; needs no Electron binary) and
// starts the backend; workers find it in PARLEY_TEST_SERVER_URL. Without Electron's
// binary the Electron tests skip and this says so in one line; the desktop-page check
// still runs in Chromium. The returned function stops the backend.
import { freePort } from '../../scripts/freePort.js';
import { chromiumPath, NO_CHROMIUM } from '../support/chromium.js';
import { ensureDesktopBuild } from '../support/desktopBuild.js';
import { startBackend } from './support/backend.js';
import { electronBinary, NO_ELECTRON } from './support/electronApp.js';

export default async function globalSetup(): Promise<(() => Promise<void>) | undefined> {
  const hasElectron = electronBinary() !== null;
  const hasChromium = chromiumPath() !== null;
  if (!hasElectron) console.log(NO_ELECTRON);
  if (!hasChromium) console.log(`Desktop page check skipped: ${NO_CHROMIUM}`);
  if (!hasElectron && !hasChromium) return undefined;
  ensureDesktopBuild();
  // The desktop-page check serves the app's page over loopback HTTP (app:// needs Electron):
  // its origin is allowed the way app://parley is.
  const pagePort = await freePort();
  process.env.PARLEY_TEST_PAGE_PORT = String(pagePort);
  const backend = await startBackend({ corsOrigins: [`http://127.0.0.1:${pagePort}`] });
  process.env.PARLEY_TEST_SERVER_URL = backend.url;
  return () => backend.stop();
}
