// One row of the benchmark table: a measured figure for Parley beside the same figure
// for a baseline measured in the same run on the same machine, and the target.
export interface ScenarioResult {
  /** e.g. "1. room fan-out" */
  scenario: string;
  /** e.g. "p99 latency" */
  metric: string;
  unit: string;
  parley: number;
  /** What Parley is compared with (e.g. "bare Socket.IO"), or null when there is no baseline. */
  baselineName: string | null;
  baseline: number | null;
  /** parley / baseline, when there is a baseline. */
  ratio: number | null;
  /** The target in words, e.g. "<= 2x bare Socket.IO p99". */
  target: string;
  /** Whether the target was met; null when the row is informational. */
  met: boolean | null;
  notes?: string;
}

export interface ScenarioOptions {
  /** Multiplies counts (clients, rooms, messages) for larger runs; 1 = the default quick run. */
  scale: number;
  /** Where scenario code may keep temporary files. */
  workDir: string;
  log(message: string): void;
}

export type Scenario = (options: ScenarioOptions) => Promise<ScenarioResult[]>;

export function row(partial: Omit<ScenarioResult, 'ratio'>): ScenarioResult {
  const ratio = partial.baseline && partial.baseline > 0 ? partial.parley / partial.baseline : null;
  return { ...partial, ratio };
}
