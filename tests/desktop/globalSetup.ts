// Runs in: the Vitest runner, once before the desktop start test: builds out/ if it is stale.
import { ensureDesktopBuild } from '../support/desktopBuild.js';

export default function globalSetup(): void {
  ensureDesktopBuild();
}
