// `npm start`: the whole app on this machine.
//   1. the backend (server/main.ts, which starts its own local database: LOCAL_DB=1) on http://127.0.0.1:4000
//   2. the web client, built (`npm run build:web`) and served on http://127.0.0.1:5173
//   3. the desktop app (electron-vite build, then Electron) if Electron's binary is
//      installed; otherwise a plain note on how to get it, and the web client's address.
// Ctrl+C or SIGTERM stops everything; quitting the desktop app (tray menu > Quit) does too.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { preview, type PreviewServer } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BACKEND_URL = 'http://127.0.0.1:4000';
const WEB_HOST = '127.0.0.1';
const WEB_PORT = 5173;
const BACKEND_READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

const children = new Set<ChildProcess>();
let webServer: PreviewServer | undefined;
let stopping = false;

function say(message: string): void {
  console.log(`[start] ${message}`);
}

/** Runs a command with this terminal's output; resolves with its exit code. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { child: ChildProcess; exited: Promise<number> } {
  const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
  children.add(child);
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    });
    child.once('error', (error) => {
      children.delete(child);
      say(`${command} could not start: ${error.message}`);
      resolve(1);
    });
  });
  return { child, exited };
}

function npmCommand(): string {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

function localBin(name: string): string {
  return path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
}

/** The Electron executable, or null when only the npm package is installed (no binary download). */
function electronBinary(): string | null {
  try {
    const binary: unknown = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

async function waitForBackend(exited: Promise<number>): Promise<void> {
  const deadline = Date.now() + BACKEND_READY_TIMEOUT_MS;
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error('the backend exited before it was ready (see its output above)');
    try {
      const response = await fetch(`${BACKEND_URL}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`the backend did not answer at ${BACKEND_URL}/api/health within ${BACKEND_READY_TIMEOUT_MS / 1000}s`);
}

async function stop(code: number): Promise<never> {
  if (stopping) return new Promise<never>(() => {});
  stopping = true;
  say('stopping…');
  await webServer?.close().catch(() => {});
  const running = [...children];
  for (const child of running) child.kill('SIGTERM');
  const killer = setTimeout(() => {
    for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }, STOP_TIMEOUT_MS);
  await Promise.all(
    running.map((child) => (child.exitCode !== null || child.signalCode !== null ? null : new Promise((resolve) => child.once('exit', resolve)))),
  );
  clearTimeout(killer);
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  say(`starting the backend on ${BACKEND_URL}`);
  // LOCAL_DB=1: with no MONGODB_URI in the environment, the backend starts the local database.
  const backend = run(process.execPath, ['--import', 'tsx', 'server/main.ts'], { ...process.env, HOST: '127.0.0.1', PORT: '4000', LOCAL_DB: '1' });
  void backend.exited.then((code) => {
    if (!stopping) {
      say(`the backend stopped (exit code ${code})`);
      void stop(code || 1);
    }
  });

  say('building the web client (npm run build:web)');
  const build = run(npmCommand(), ['run', 'build:web'], { ...process.env, VITE_DEFAULT_SERVER_URL: BACKEND_URL });
  const [buildCode] = await Promise.all([build.exited, waitForBackend(backend.exited)]);
  if (buildCode !== 0) throw new Error(`npm run build:web failed (exit code ${buildCode})`);
  say('backend ready');

  webServer = await preview({
    configFile: path.join(root, 'vite.web.config.ts'),
    preview: { host: WEB_HOST, port: WEB_PORT, strictPort: true, open: false },
    logLevel: 'warn',
  });
  const webUrl = `http://${WEB_HOST}:${WEB_PORT}`;
  say(`web client: ${webUrl}`);

  const electron = electronBinary();
  if (!electron) {
    say("the desktop app needs Electron's binary, which is not installed here.");
    say('  With internet access, get it with `npm run setup:electron` (npm does not run');
    say("  Electron's download script by itself here: package.json allowScripts), then run `npm start` again.");
    say(`Meanwhile use Parley in a browser at ${webUrl} (Ctrl+C stops everything).`);
    return;
  }

  say('building the desktop app (electron-vite build)');
  const desktopBuild = run(localBin('electron-vite'), ['build'], { ...process.env, VITE_DEFAULT_SERVER_URL: BACKEND_URL });
  const desktopCode = await desktopBuild.exited;
  if (desktopCode !== 0) throw new Error(`electron-vite build failed (exit code ${desktopCode})`);

  say(`starting the desktop app (the web client stays at ${webUrl})`);
  const app = run(electron, ['.'], { ...process.env, PARLEY_SERVER_URL: BACKEND_URL });
  void app.exited.then((code) => {
    if (stopping) return;
    say('the desktop app quit');
    void stop(code);
  });
}

main().catch((error: unknown) => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  void stop(1);
});
