// Backpressure: a bound on the database work this process has in flight (requests and
// socket events that query it). Beyond the bound new work is refused at once with
// `503 overloaded` and a retry-after, instead of queueing behind the driver's pool until
// everything times out. Per-user limits (limits.ts) stop one user's flood long before it
// could fill this; the bound protects the process from many users at once.
import { AppError } from '../domain/errors.js';

/** A few hundred queries at once keep a MongoDB pool (100 connections by default) busy without a queue that outlasts timeouts. */
export const DEFAULT_MAX_DATABASE_WORK = 300;
/** Clients wait about this long before trying again (they add their own jitter). */
const OVERLOADED_RETRY_AFTER_MS = 1000;

export class WorkBound {
  private running = 0;

  constructor(readonly max: number) {}

  get size(): number {
    return this.running;
  }

  /** Whether new work would be refused right now. */
  full(): boolean {
    return this.running >= this.max;
  }

  /** Runs `work` counted against the bound, or throws `overloaded` without running it. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.full()) throw overloaded();
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
    }
  }
}

export function overloaded(): AppError {
  return new AppError('overloaded', 'Parley is busy right now; try again in a moment.', undefined, OVERLOADED_RETRY_AFTER_MS);
}
