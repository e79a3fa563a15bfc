// Runs in: the renderer. Which refusals mean "not now" rather than "no", and how long to
// wait before trying again. Sends, read reports, entering a room and history pages all
// retry by themselves on these, quietly.
import type { ApiError, ErrorCode } from '../../shared/contract';
import { ApiRequestError } from '../api/client';

/**
 * rate_limited and overloaded come with retryAfterMs; service_unavailable means the server
 * cannot store anything right now (a dependency is down, or the process is restarting).
 */
const NOT_NOW: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'overloaded', 'service_unavailable']);

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30_000;

/** The contract's error inside anything a request or an ack can fail with (a timeout counts as unavailable). */
export function refusalOf(error: unknown): ApiError {
  if (error instanceof ApiRequestError) return error.error;
  const candidate = error as Partial<ApiError> | null;
  if (candidate && typeof candidate.code === 'string' && typeof candidate.message === 'string') return candidate as ApiError;
  return { code: 'service_unavailable', message: 'The server did not answer in time.' };
}

/** The server said "not now": try again later, without bothering the user. */
export function isNotNow(error: Pick<ApiError, 'code'>): boolean {
  return NOT_NOW.has(error.code);
}

/**
 * How long to wait before retry number `attempt` (1 for the first): the server's
 * retryAfterMs when it gave one, else 1 s doubling up to 30 s; plus up to half of that
 * again at random, so clients refused together do not all come back together.
 */
export function retryDelay(error: Pick<ApiError, 'retryAfterMs'>, attempt: number, random: () => number = Math.random): number {
  const base = error.retryAfterMs ?? Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(Math.max(base, 50) * (1 + random() / 2));
}

/**
 * Calls `request` until it succeeds, fails for another reason, or `tries` attempts were
 * refused with "not now" (each after retryDelay). `stillWanted` ends the waiting early:
 * the answer is no longer needed (the user moved on, or signed out).
 */
export async function withRetries<T>(request: () => Promise<T>, stillWanted: () => boolean, tries = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      const refusal = refusalOf(error);
      if (!isNotNow(refusal) || attempt >= tries || !stillWanted()) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryDelay(refusal, attempt)));
      if (!stillWanted()) throw error;
    }
  }
}
