// `npm run bench`: Parley's backend against baselines measured in the same run, on
// this machine, with real clients over loopback. Prints one table and writes
// bench/results/latest.json. Flags: --scale N (multiplies counts), --only 1,3,
// --profile (CPU profiles of the Parley processes into the work folder).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startLocalDatabase } from '../server/infra/localDatabase.js';
import { databaseFactory, type BackendScenario, type BenchContext } from './lib/context.js';
import { repoRoot } from './lib/procs.js';
import type { Scenario, ScenarioResult } from './lib/result.js';
import { fanoutScenario } from './scenarios/fanout.js';
import { sendPathScenario } from './scenarios/sendPath.js';
import { growthScenario } from './scenarios/growth.js';
import { reconnectScenario } from './scenarios/reconnect.js';
import { idleScenario } from './scenarios/idle.js';
import { redisScenario } from './scenarios/redis.js';

interface Args {
  scale: number;
  only: Set<number> | null;
  profile: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { scale: 1, only: null, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const [, inline] = a.split('=');
      return inline ?? argv[++i] ?? '';
    };
    if (a.startsWith('--scale')) args.scale = Number(value());
    else if (a.startsWith('--only')) args.only = new Set(value().split(',').map(Number));
    else if (a === '--profile') args.profile = true;
    else if (a === '--help' || a === '-h') {
      console.log('npm run bench -- [--scale N] [--only 1,3] [--profile]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!(args.scale > 0)) throw new Error('--scale must be a positive number');
  return args;
}

const args = parseArgs(process.argv.slice(2));
const started = Date.now();
const workDir = mkdtempSync(path.join(tmpdir(), 'parley-bench-'));
/** Kept after the run (unlike workDir): CPU profiles of the Parley processes with --profile. */
const profileDir = path.join(tmpdir(), `parley-bench-profiles-${started}`);
const log = (scenario: string) => (message: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${scenario}: ${message}`);

const backend: [number, string, BackendScenario][] = [
  [1, 'room fan-out', fanoutScenario],
  [2, 'send path', sendPathScenario],
  [3, 'data growth', growthScenario],
  [4, 'reconnect storm', reconnectScenario],
  [5, 'idle connections', idleScenario],
  [6, 'redis adapter', redisScenario],
];
const wanted = (n: number) => !args.only || args.only.has(n);

const results: ScenarioResult[] = [];
const details: Record<string, unknown> = {};
/** The machine is shared: its 1-minute load average when each scenario started and ended. */
const load = () => Number(loadavg()[0]!.toFixed(2));
const loadAverage: Record<string, { start: number; end?: number }> = {};
details.loadAverage = loadAverage;
const failures: string[] = [];

const dbDir = path.join(workDir, 'db');
const needsDb = backend.some(([n]) => wanted(n));
const database = needsDb ? await startLocalDatabase({ dataDir: dbDir, port: 0 }) : undefined;
const opened: Awaited<ReturnType<BenchContext['newDatabase']>>[] = [];
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/7';

try {
  for (const [n, name, scenario] of backend) {
    if (!wanted(n)) continue;
    const ctx: BenchContext = {
      scale: args.scale,
      workDir,
      log: log(`${n}. ${name}`),
      mongoUri: database!.uri,
      redisUrl,
      serverNodeFlags: args.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, `scenario-${n}`)}`] : [],
      details,
      newDatabase: databaseFactory(database!.uri, opened),
    };
    const t0 = Date.now();
    loadAverage[n] = { start: load() };
    try {
      results.push(...(await scenario(ctx)));
    } catch (error) {
      failures.push(`${n}. ${name}: ${(error as Error).stack ?? String(error)}`);
      ctx.log(`FAILED: ${(error as Error).message}`);
    }
    loadAverage[n]!.end = load();
    ctx.log(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s (load average ${loadAverage[n]!.start} at the start, ${loadAverage[n]!.end} at the end)`);
  }
} finally {
  for (const d of opened) {
    await d.db.dropDatabase().catch(() => {});
    await d.close().catch(() => {});
  }
  await database?.stop();
}

if (wanted(7)) {
  const rendererFile = path.join(repoRoot, 'bench/scenarios/renderer.ts');
  if (existsSync(rendererFile)) {
    const t0 = Date.now();
    loadAverage[7] = { start: load() };
    try {
      const mod = (await import('./scenarios/renderer.js')) as { rendererScenario: Scenario };
      results.push(...(await mod.rendererScenario({ scale: args.scale, workDir, log: log('7. renderer') })));
    } catch (error) {
      failures.push(`7. renderer: ${(error as Error).stack ?? String(error)}`);
      log('7. renderer')(`FAILED: ${(error as Error).message}`);
    }
    loadAverage[7]!.end = load();
    log('7. renderer')(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  } else {
    log('7. renderer')('bench/scenarios/renderer.ts not present: skipped');
  }
}

rmSync(workDir, { recursive: true, force: true });
if (args.profile) console.log(`CPU profiles of the Parley processes: ${profileDir}`);

const fmt = (n: number | null, unit = '') =>
  n === null || n === undefined ? '—' : `${Number.isInteger(n) ? n : n.toFixed(n >= 100 ? 0 : n >= 10 ? 1 : 2)}${unit ? ` ${unit}` : ''}`;
const table = [
  ['scenario', 'metric', 'Parley', 'baseline', 'ratio', 'target', 'met'],
  ...results.map((r) => [
    r.scenario,
    r.metric,
    fmt(r.parley, r.unit),
    r.baseline === null ? '—' : `${fmt(r.baseline, r.unit)} (${r.baselineName})`,
    r.ratio === null ? '—' : `${r.ratio.toFixed(2)}x`,
    r.target,
    r.met === null ? 'info' : r.met ? 'yes' : 'NO',
  ]),
];
const widths = table[0]!.map((_, c) => Math.max(...table.map((line) => line[c]!.length)));
const render = (line: string[]) => `| ${line.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
console.log('');
console.log(render(table[0]!));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const line of table.slice(1)) console.log(render(line));
for (const r of results) if (r.notes) console.log(`  ${r.scenario} / ${r.metric}: ${r.notes}`);
if (failures.length) console.log(`\nFailed scenarios:\n${failures.join('\n')}`);

let ferretdb = 'unknown';
try {
  ferretdb = execFileSync(path.join(repoRoot, '.tools/bin/ferretdb'), ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? ferretdb;
} catch {
  // not built
}
const outDir = path.join(repoRoot, 'bench/results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  path.join(outDir, 'latest.json'),
  `${JSON.stringify(
    {
      generatedAt: new Date().toISOString(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      args: { scale: args.scale, only: args.only ? [...args.only] : null, profile: args.profile },
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(2))),
        database: database?.engine ?? null,
        ferretdb,
      },
      results,
      failures,
      details,
    },
    null,
    2,
  )}\n`,
);
console.log(`\nWrote bench/results/latest.json (${((Date.now() - started) / 1000).toFixed(0)} s in all).`);
process.exit(failures.length ? 1 : 0);
