// Runs in: Node (test setups). The built desktop app in out/ (electron-vite build: main,
// preload and renderer), rebuilt only when a source is newer than the build, so the
// desktop start test and the Electron tests in one `npm test` build once.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const appRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
const INPUTS = ['src', 'electron.vite.config.ts', 'package.json', 'package-lock.json'];

export function ensureDesktopBuild(): void {
  if (isFresh()) return;
  const build = spawnSync(path.join(appRoot, 'node_modules', '.bin', 'electron-vite'), ['build', '--logLevel', 'error'], { cwd: appRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`electron-vite build failed (exit code ${build.status})`);
}

function isFresh(): boolean {
  const outputs = OUTPUTS.map((file) => path.join(appRoot, file));
  if (!outputs.every(existsSync)) return false;
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  return INPUTS.every((input) => newestChange(path.join(appRoot, input)) < built);
}

function newestChange(file: string): number {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  // A directory's own mtime counts too: a deleted file changes only that.
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((entry) => newestChange(path.join(file, entry))));
}
