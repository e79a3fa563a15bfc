// Runs in: the Playwright runner and workers (Node).
// A Chromium for the desktop-page check: CHROMIUM_PATH, Debian's /usr/bin/chromium, or
// Playwright's own download; null if there is none.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', safe(() => chromium.executablePath())];
  return candidates.find((candidate): candidate is string => !!candidate && existsSync(candidate)) ?? null;
}

function safe(get: () => string): string | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

export const NO_CHROMIUM = 'Desktop page check skipped: no Chromium found (set CHROMIUM_PATH or apt-get install -y chromium).';
