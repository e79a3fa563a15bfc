// Runs in: the Playwright runner (Node).
// The real backend for the Electron tests: `server/main.ts` as a child process on a free
// loopback port, with its own local database in a temporary folder (or MONGODB_URI).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appRoot } from './electronApp.js';
import { freePort } from '../../../scripts/freePort.js';

export interface Backend {
  url: string;
  stop(): Promise<void>;
}

/** `corsOrigins`: browser origins the backend accepts besides the defaults (the desktop app's app://parley). */
export async function startBackend(options: { corsOrigins?: string[] } = {}): Promise<Backend> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'parley-electron-backend-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(workDir, 'backend.log');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: appRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOCAL_DB: '1',
      DATA_DIR: path.join(workDir, 'data'),
      LOG_LEVEL: 'warn',
      ...(options.corsOrigins ? { CORS_ORIGINS: ['app://parley', ...options.corsOrigins].join(',') } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));

  const stop = async () => {
    if (!gone) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(workDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (gone) {
      await stop().catch(() => {});
      throw new Error(`the test backend exited before it was ready (log: ${logFile})`);
    }
    try {
      if ((await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) })).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`the test backend did not become healthy at ${url}`);
}
