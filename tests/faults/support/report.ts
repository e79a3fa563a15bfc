// Compares what the clients sent, were acknowledged and received with the stored
// history, and prints one summary line per scenario (quoted in reports).
import type { Message } from '../../../src/shared/contract.js';
import type { ChatClient } from './chatClient.js';

export interface Tally {
  sent: number;
  acked: number;
  /** Distinct sent messages (by clientId) found in the history. */
  inHistory: number;
  /** Stored copies beyond the first of one clientId, plus ids repeated across pages. */
  duplicates: number;
  /** Acknowledged messages missing from the history: must be 0. */
  lostAcked: string[];
  /** Messages sent more than once (after a drop, a refusal or a timeout). */
  resent: number;
  /** Per client: history messages it never received (live or by catch-up): must be 0. */
  gaps: Record<string, string[]>;
  /** Per client: messages it holds that the history does not have: must be 0. */
  phantoms: Record<string, string[]>;
  /**
   * The gaps by cause: messages that needed a resend (stored by a process that died
   * before delivering them), and the rest (missed by live delivery and catch-up).
   */
  gapCauses: { resent: number; other: number };
}

export function tally(clients: ChatClient[], history: Message[]): Tally {
  const copies = new Map<string, number>();
  const ids = new Map<string, number>();
  for (const m of history) {
    ids.set(m.id, (ids.get(m.id) ?? 0) + 1);
    const key = `${m.authorId}/${m.clientId}`;
    copies.set(key, (copies.get(key) ?? 0) + 1);
  }
  let duplicates = 0;
  for (const n of copies.values()) duplicates += n - 1;
  for (const n of ids.values()) duplicates += n - 1;
  const byClientId = new Map(history.map((m) => [m.clientId, m]));

  let sent = 0;
  let acked = 0;
  let inHistory = 0;
  let resent = 0;
  const lostAcked: string[] = [];
  const gaps: Record<string, string[]> = {};
  const phantoms: Record<string, string[]> = {};
  for (const client of clients) {
    for (const entry of client.outbox.values()) {
      sent++;
      if (entry.attempts > 1) resent++;
      if (entry.acked) acked++;
      const stored = byClientId.get(entry.clientId);
      if (stored) inHistory++;
      else if (entry.acked) lostAcked.push(entry.clientId);
    }
    const missing = history.filter((m) => !client.held.has(m.id)).map((m) => m.id);
    if (missing.length) gaps[client.name] = missing;
    const extra = [...client.held.keys()].filter((id) => !ids.has(id));
    if (extra.length) phantoms[client.name] = extra;
  }
  const retriedIds = new Set(clients.flatMap((c) => [...c.outbox.values()].filter((e) => e.attempts > 1 && e.acked).map((e) => e.acked!.id)));
  const gapCauses = { resent: 0, other: 0 };
  for (const id of Object.values(gaps).flat()) gapCauses[retriedIds.has(id) ? 'resent' : 'other']++;
  return { sent, acked, inHistory, duplicates, lostAcked, resent, gaps, phantoms, gapCauses };
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

export const max = (values: number[]) => (values.length ? Math.max(...values) : 0);

const countOf = (record: Record<string, string[]>) => Object.values(record).reduce((n, list) => n + list.length, 0);

/** One line, `[faults] <scenario>: key=value ...`, printed to the test output. */
export function printSummary(scenario: string, fields: Record<string, string | number | boolean>): string {
  const line = `[faults] ${scenario}: ${Object.entries(fields)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`;
  console.log(line);
  return line;
}

/** The usual fields of a tally, for printSummary. */
export function tallyFields(t: Tally): Record<string, number> {
  return {
    sent: t.sent,
    acked: t.acked,
    inHistory: t.inHistory,
    duplicates: t.duplicates,
    lostAcked: t.lostAcked.length,
    resent: t.resent,
    gaps: countOf(t.gaps),
    gapsOfResent: t.gapCauses.resent,
    gapsOther: t.gapCauses.other,
    phantoms: countOf(t.phantoms),
  };
}

/** "max/median (n)" of a list of durations. */
export const timing = (values: number[]) => `${max(values)}/${median(values)}(n=${values.length})`;

/** For a failing run: which messages each client missed, who sent them, and how many attempts the send took. */
export function explainGaps(t: Tally, history: Message[], clients: ChatClient[], limit = 8): string[] {
  const byId = new Map(history.map((m) => [m.id, m]));
  const entries = new Map(clients.flatMap((c) => [...c.outbox.values()].map((e) => [e.clientId, e] as const)));
  return Object.entries(t.gaps).map(([name, ids]) => {
    const shown = ids.slice(0, limit).map((id) => {
      const m = byId.get(id)!;
      const e = entries.get(m.clientId);
      return `${m.clientId}(id ${id}, stored ${m.createdAt}, attempts ${e?.attempts ?? '?'})`;
    });
    return `[faults]   ${name} never received ${ids.length}: ${shown.join(', ')}${ids.length > limit ? ', ...' : ''}`;
  });
}

/**
 * Runs a scenario; if it throws before its summary is printed (a backend crashed, a
 * wait timed out), prints a summary line saying so, with the dead backends, first.
 */
export async function scenario<T>(name: string, backends: Array<{ name: string; alive(): boolean; lines: string[] }>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const dead = backends.filter((b) => !b.alive());
    printSummary(name, {
      aborted: true,
      deadBackends: dead.map((b) => b.name).join(',') || 'none',
      error: JSON.stringify((error instanceof Error ? error.message : String(error)).split('\n')[0]),
    });
    for (const b of dead)
      console.log(
        `[faults]   ${b.name} last words: ${b.lines
          .filter((l) => l.startsWith('[stderr]'))
          .slice(0, 12)
          .join(' | ')}`,
      );
    throw error;
  }
}
