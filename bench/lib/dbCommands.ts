// Counts the database commands a piece of work makes the server send, from the
// database's own counters (`serverStatus` metrics.commands, kept by FerretDB and MongoDB
// alike), so the server needs no hook. Only commands that read or write data count;
// driver housekeeping (hello, ping, endSessions) and the counting itself do not. The
// counters are the whole database server's: nothing else may use it meanwhile.
import type { Db } from 'mongodb';

const DATA_COMMANDS = new Set(['find', 'getMore', 'aggregate', 'count', 'distinct', 'insert', 'update', 'delete', 'findAndModify']);

type Counters = Record<string, number>;

async function dataCommandTotals(db: Db): Promise<Counters> {
  const status = (await db.admin().command({ serverStatus: 1 })) as { metrics?: { commands?: Record<string, { total?: unknown }> } };
  const totals: Counters = {};
  for (const [name, counter] of Object.entries(status.metrics?.commands ?? {})) {
    if (DATA_COMMANDS.has(name)) totals[name] = Number(counter.total ?? 0);
  }
  return totals;
}

export interface CommandCount<T> {
  result: T;
  /** Data commands per repetition, by command name (averaged over `repetitions`). */
  byName: Counters;
  /** All data commands per repetition. */
  perRequest: number;
}

/** Runs `work` (which makes `repetitions` requests) and counts the data commands it caused, per request. */
export async function countCommands<T>(db: Db, repetitions: number, work: () => Promise<T>): Promise<CommandCount<T>> {
  const before = await dataCommandTotals(db);
  const result = await work();
  const after = await dataCommandTotals(db);
  const byName: Counters = {};
  let total = 0;
  for (const [name, value] of Object.entries(after)) {
    const delta = value - (before[name] ?? 0);
    if (delta > 0) {
      byName[name] = Math.round((delta / repetitions) * 100) / 100;
      total += delta;
    }
  }
  return { result, byName, perRequest: Math.round((total / repetitions) * 100) / 100 };
}
