// Runs in: Node (the Playwright configs and workers, the benchmarks, scripts).
// The one Chromium that browser tests, the desktop-page check, the renderer benchmark, the
// screenshots and the icon renderer all launch, with one set of flags. Playwright cannot
// download browsers here: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's
// own download if there is one.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/**
 * No sandbox (test machines and containers run as root), no GPU, and none of Chromium's
 * own traffic (component updates, sync, first-run pages) to disturb timings.
 */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The Chromium to launch, or null when there is none. */
export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', bundledChromium()];
  return candidates.find((candidate): candidate is string => !!candidate && existsSync(candidate)) ?? null;
}

function bundledChromium(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

export const NO_CHROMIUM = 'no Chromium found (set CHROMIUM_PATH or apt-get install -y chromium).';

/** For Playwright configs' `use.launchOptions`, and for launchChromium. */
export function chromiumLaunchOptions(): LaunchOptions {
  return { executablePath: chromiumPath() ?? undefined, args: [...CHROMIUM_ARGS] };
}

export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ ...chromiumLaunchOptions(), ...options });
}
