// Real child processes for the fault tests: Parley backends (`node --import tsx
// server/main.ts`), a private redis-server and the local database (FerretDB), all on
// loopback ports chosen here. Every child is registered so that `stopAll()` (called
// from afterAll) and, as a last resort, the test worker's exit kill them, also when a
// test fails half-way.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalDatabase, type LocalDatabase } from '../../../server/infra/localDatabase.js';
import { freePort } from '../../../scripts/freePort.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// ---------- bookkeeping ----------

const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function exitOf(child: ChildProcess): Promise<Exit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something other than undefined; throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string | (() => string),
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(everyMs);
  }
}

/** Polls `condition` until it holds (true) or the time is up (false). */
export async function until(condition: () => boolean, timeoutMs: number, everyMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}

/** A scratch folder for one test file: databases' files and the backends' logs. */
export function scratchDir(label: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `parley-faults-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---------- backend ----------

export interface BackendOptions {
  /** INSTANCE_ID, also the name in logs and summaries. */
  name: string;
  mongodbUri: string;
  mongodbDb: string;
  redisUrl: string;
  livenessMs: number;
  shutdownGraceMs?: number;
  /** Full JSON log of the process goes here. */
  logDir: string;
  env?: Record<string, string>;
}

export interface Backend {
  name: string;
  url: string;
  pid: number;
  logFile: string;
  /** Every stdout/stderr line so far (JSON log lines and anything Node prints on a crash). */
  lines: string[];
  exited: Promise<Exit>;
  alive(): boolean;
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL if still running, then wait for the exit. */
  kill(): Promise<Exit>;
}

const STARTUP_TIMEOUT_MS = 30_000;
/** Every variable server/config.ts reads; none may leak in from the shell running the tests. */
const PARLEY_VARIABLES = [
  'PORT',
  'HOST',
  'MONGODB_URI',
  'MONGODB_DB',
  'NODE_ENV',
  'LOCAL_DB',
  'SESSION_TTL_DAYS',
  'LOG_LEVEL',
  'CORS_ORIGINS',
  'DATA_DIR',
  'TRUST_PROXY',
  'REDIS_URL',
  'INSTANCE_ID',
  'PRESENCE_LIVENESS_MS',
  'SHUTDOWN_GRACE_MS',
  'LIMIT_SENDS_PER_SECOND',
  'LIMIT_SEND_BURST',
  'LIMIT_SENDS_IN_FLIGHT_PER_USER',
  'LIMIT_ROOMS_CREATED_PER_MINUTE',
  'LIMIT_ROOM_CHANGES_PER_MINUTE',
  'LIMIT_ROOM_VIEWS_PER_10S',
  'LIMIT_READ_MARKS_PER_10S',
  'LIMIT_TYPING_PER_10S',
  'LIMIT_EVENTS_IN_FLIGHT_PER_CONNECTION',
  'LIMIT_SOCKETS_PER_USER',
  'LIMIT_SOCKET_OPENS_PER_MINUTE',
  'MAX_DATABASE_WORK',
];

function inheritedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of PARLEY_VARIABLES) delete env[name];
  return env;
}

export async function spawnBackend(options: BackendOptions): Promise<Backend> {
  const logFile = path.join(options.logDir, `${options.name}.log`);
  mkdirSync(options.logDir, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: {
      ...inheritedEnv(),
      PORT: '0',
      HOST: '127.0.0.1',
      MONGODB_URI: options.mongodbUri,
      MONGODB_DB: options.mongodbDb,
      REDIS_URL: options.redisUrl,
      INSTANCE_ID: options.name,
      PRESENCE_LIVENESS_MS: String(options.livenessMs),
      SHUTDOWN_GRACE_MS: String(options.shutdownGraceMs ?? 3000),
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const lines: string[] = [];
  let listening: ((url: string) => void) | undefined;
  const onData = (stream: 'out' | 'err') => {
    let partial = '';
    return (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(stream === 'err' ? `[stderr] ${line}` : line);
        appendFileSync(logFile, `${stream === 'err' ? '[stderr] ' : ''}${line}\n`);
        if (listening && line.includes('"parley server listening"')) {
          const url = (JSON.parse(line) as { url?: string }).url;
          if (url) listening(url);
        }
      }
    };
  };
  child.stdout.on('data', onData('out'));
  child.stderr.on('data', onData('err'));
  const exited = exitOf(child);

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`backend ${options.name} did not log "parley server listening" within ${STARTUP_TIMEOUT_MS} ms; log: ${logFile}`)),
      STARTUP_TIMEOUT_MS,
    );
    listening = (u) => {
      clearTimeout(timer);
      resolve(u);
    };
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`backend ${options.name} exited during start-up (${JSON.stringify(exit)}):\n${lines.slice(-20).join('\n')}`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });

  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name: options.name,
    url,
    pid: child.pid!,
    logFile,
    lines,
    exited,
    alive,
    signal: (signal) => void child.kill(signal),
    async kill() {
      if (alive()) child.kill('SIGKILL');
      return exited;
    },
  };
}

// ---------- redis ----------

export interface RedisServer {
  port: number;
  url: string;
  alive(): boolean;
  /** Kills the server (SIGKILL: nothing is saved, as configured). */
  crash(): Promise<void>;
  /** Starts it again on the same port (empty, since nothing was saved). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A private redis-server on a free loopback port; never the machine's own Redis. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
      stdio: 'ignore',
    });
    track(child);
    const started = child;
    await waitFor(
      `redis-server on port ${port}`,
      async () => {
        if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode} (port ${port} taken?)`);
        return (await redisPing(port)) ? true : undefined;
      },
      10_000,
    );
  };
  const halt = async (signal: NodeJS.Signals) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = exitOf(child);
    child.kill(signal);
    await exited;
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    alive: () => !!child && child.exitCode === null && child.signalCode === null,
    crash: () => halt('SIGKILL'),
    restart: launch,
    stop: () => halt('SIGKILL'),
  };
}

function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

// ---------- database ----------

export interface TestDatabase {
  uri: string;
  engine: string;
  /** Stops the database (SIGTERM, its files stay). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data folder. */
  start(): Promise<void>;
}

/** The local database (FerretDB, or mongod when on PATH) on a fixed port, so it can be restarted in place. */
export async function startDatabase(dataDir: string): Promise<TestDatabase> {
  const port = await freePort();
  let current: LocalDatabase | undefined = await startLocalDatabase({ dataDir, port });
  const uri = current.uri;
  return {
    uri,
    engine: current.engine,
    async stop() {
      await current?.stop();
      current = undefined;
    },
    async start() {
      if (current) return;
      current = await startLocalDatabase({ dataDir, port });
    },
  };
}
