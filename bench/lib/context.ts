// What the harness hands to each backend scenario beyond the shared ScenarioOptions.
import { randomBytes } from 'node:crypto';
import type { ScenarioOptions, ScenarioResult } from './result.js';
import { connectDatabase, type Database } from '../../server/persistence/database.js';

export interface BenchContext extends ScenarioOptions {
  mongoUri: string;
  redisUrl: string;
  /** Node flags for Parley processes (e.g. --cpu-prof with --profile). */
  serverNodeFlags: string[];
  /** Extra data for latest.json (explain output, per-rate tables). */
  details: Record<string, unknown>;
  /** A fresh, uniquely named database with Parley's indexes; dropped at the end of the run. */
  newDatabase(label: string): Promise<Database & { name: string }>;
}

export type BackendScenario = (ctx: BenchContext) => Promise<ScenarioResult[]>;

export function databaseFactory(mongoUri: string, opened: (Database & { name: string })[]): BenchContext['newDatabase'] {
  return async (label) => {
    const name = `bench_${label}_${randomBytes(3).toString('hex')}`;
    const database = await connectDatabase(mongoUri, name);
    const entry = { ...database, name };
    opened.push(entry);
    return entry;
  };
}
