// The whole Parley stack for browser tests and screenshots, started from scratch and
// stopped again: a local database (FerretDB or mongod) in a temporary folder, the real
// backend (`tsx server/main.ts`) as a child process on a free port with a fresh
// database name, the web client built once against that backend, and the built client
// served by vite's preview server. Used by tests/e2e/globalSetup.ts and
// scripts/screenshots.ts. Runs in Node (the Playwright runner or tsx).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { preview, type PreviewServer } from 'vite';
import { startLocalDatabase, type LocalDatabase } from '../../server/infra/localDatabase.js';
import { freePort } from '../../scripts/freePort.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Stack {
  /** The backend, e.g. http://127.0.0.1:41234 (the API is under /api). */
  apiUrl: string;
  /** The served web client, e.g. http://127.0.0.1:41235/ */
  webUrl: string;
  /** Where the database, backend and build logs of this run are kept until stop(). */
  workDir: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Progress lines (default: silent). */
  log?: (line: string) => void;
  /** Keep the temporary folder (logs) after stop(). */
  keepWorkDir?: boolean;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => {});
  const workDir = mkdtempSync(path.join(tmpdir(), 'parley-e2e-'));
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    cleanups.length = 0;
    if (!options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  };

  try {
    log(`stack: work folder ${workDir}`);
    const db: LocalDatabase = await startLocalDatabase({ dataDir: path.join(workDir, 'db'), port: 0 });
    cleanups.push(() => db.stop());
    log(`stack: database (${db.engine}) at ${db.uri}`);

    const apiPort = await freePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    // Chosen now so the backend can allow the web client's origin (it allows only listed origins).
    const webPort = await freePort();
    const backend = startBackend({
      workDir,
      env: {
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        MONGODB_URI: db.uri,
        MONGODB_DB: `e2e_${randomBytes(6).toString('hex')}`,
        CORS_ORIGINS: `http://127.0.0.1:${webPort},http://localhost:${webPort}`,
        LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
        // All simulated users sign in from 127.0.0.1: budgets sized for a test run, not for one person.
        AUTH_RATE_LIMIT_PER_IP: '100000',
        AUTH_RATE_LIMIT_PER_ACCOUNT: '100000',
        // Tests seed rooms of hundreds of messages through the API in seconds.
        LIMIT_SENDS_PER_SECOND: '100000',
        LIMIT_SEND_BURST: '100000',
      },
    });
    cleanups.push(() => backend.stop());
    await waitForHealth(apiUrl, backend);
    log(`stack: backend at ${apiUrl}`);

    const outDir = path.join(workDir, 'web');
    await buildWebClient(apiUrl, outDir, workDir);
    log(`stack: web client built into ${outDir}`);

    const server: PreviewServer = await preview({
      root: repoRoot,
      configFile: path.join(repoRoot, 'vite.web.config.ts'),
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: webPort, strictPort: true, open: false },
    });
    cleanups.push(() => server.close());
    const webUrl = server.resolvedUrls?.local[0];
    if (!webUrl) throw new Error('vite preview did not report a URL');
    log(`stack: web client at ${webUrl}`);

    return { apiUrl, webUrl, workDir, stop };
  } catch (error) {
    options.keepWorkDir = true; // keep the logs that explain the failure
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)} (logs in ${workDir})`, { cause: error });
  }
}

interface Backend {
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

function startBackend({ workDir, env }: { workDir: string; env: Record<string, string> }): Backend {
  const logFile = path.join(workDir, 'backend.log');
  const out = createWriteStream(logFile);
  const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
  const child = spawn(tsx, ['server/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: false,
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return {
    child,
    exited,
    async stop() {
      process.off('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      out.end();
    },
  };
}

/** Readiness signal of the backend: GET /api/health answers 200. */
async function waitForHealth(apiUrl: string, backend: Backend, timeoutMs = 60_000): Promise<void> {
  let exitCode: number | null | undefined;
  void backend.exited.then((code) => (exitCode = code ?? -1));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`The backend exited with code ${exitCode} during start-up.`);
    try {
      const response = await fetch(`${apiUrl}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    // Poll again on the next health answer; no fixed delay beyond a short back-off.
    await Promise.race([backend.exited, new Promise((r) => setTimeout(r, 100))]);
  }
  throw new Error(`The backend did not answer GET /api/health with 200 within ${timeoutMs / 1000} s.`);
}

/**
 * `npm run build:web` with the backend's URL baked in as the default server. The output
 * goes to a folder of this run rather than dist/web, so a build running at the same
 * time in the working tree (or one made for another backend) is never served by mistake.
 */
async function buildWebClient(apiUrl: string, outDir: string, workDir: string): Promise<void> {
  if (!existsSync(path.join(repoRoot, 'vite.web.config.ts'))) {
    throw new Error('vite.web.config.ts is missing: the web client cannot be built yet.');
  }
  const logFile = path.join(workDir, 'build-web.log');
  const out = createWriteStream(logFile);
  const child = spawn('npm', ['run', 'build:web', '--', '--outDir', outDir, '--emptyOutDir'], {
    cwd: repoRoot,
    env: { ...process.env, VITE_DEFAULT_SERVER_URL: apiUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  out.end();
  if (code !== 0) throw new Error(`npm run build:web failed with code ${code}; see ${logFile}`);
  if (!existsSync(path.join(outDir, 'index.html'))) throw new Error(`npm run build:web produced no ${outDir}/index.html`);
}
