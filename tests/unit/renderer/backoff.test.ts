import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../../src/renderer/api/client';
import { isNotNow, refusalOf, retryDelay } from '../../../src/renderer/lib/backoff';

describe('back-off', () => {
  it('waits at least the server’s retryAfterMs, plus up to half of it again', () => {
    expect(retryDelay({ retryAfterMs: 2000 }, 1, () => 0)).toBe(2000);
    expect(retryDelay({ retryAfterMs: 2000 }, 1, () => 0.999)).toBeLessThanOrEqual(3000);
    expect(retryDelay({ retryAfterMs: 2000 }, 7, () => 0)).toBe(2000);
  });

  it('without retryAfterMs: 1 s doubling, at most 30 s', () => {
    expect([1, 2, 3, 6, 20].map((attempt) => retryDelay({}, attempt, () => 0))).toEqual([1000, 2000, 4000, 30_000, 30_000]);
  });

  it('"not now" is rate_limited, overloaded and service_unavailable; anything else is "no"', () => {
    expect(['rate_limited', 'overloaded', 'service_unavailable'].every((code) => isNotNow({ code } as never))).toBe(true);
    expect(['invalid_text', 'room_not_found', 'internal_error'].some((code) => isNotNow({ code } as never))).toBe(false);
  });

  it('finds the contract’s error in a request error, an ack, or a timeout', () => {
    const error = { code: 'rate_limited' as const, message: 'Slow down.', retryAfterMs: 5 };
    expect(refusalOf(new ApiRequestError(429, error))).toEqual(error);
    expect(refusalOf(error)).toBe(error);
    expect(refusalOf(new Error('operation has timed out')).code).toBe('service_unavailable');
  });
});
