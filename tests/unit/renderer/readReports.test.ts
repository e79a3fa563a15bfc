import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { READ_INTERVAL_MS, ReadReporter } from '../../../src/renderer/session/readReports';
import { OTHER_ROOM, ROOM } from './helpers';

let sent: Array<{ roomId: string; seq: number; at: number }>;
let answer: () => Promise<void>;
let reporter: ReadReporter;

beforeEach(() => {
  vi.useFakeTimers();
  sent = [];
  answer = async () => {};
  reporter = new ReadReporter(async (roomId, seq) => {
    sent.push({ roomId, seq, at: Date.now() });
    return answer();
  });
});

afterEach(() => {
  reporter.dispose();
  vi.useRealTimers();
});

describe('read reports', () => {
  it('50 messages in 5 s make at most 3 reports, and the last one carries the newest seq', async () => {
    for (let seq = 1; seq <= 50; seq++) {
      reporter.seen(ROOM, seq);
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(READ_INTERVAL_MS);
    expect(sent.length).toBeLessThanOrEqual(3);
    expect(sent.at(-1)?.seq).toBe(50);
    // Never two reports for a room within the interval.
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(READ_INTERVAL_MS);
  });

  it('the first report goes at once; later ones wait for the interval (trailing)', async () => {
    reporter.seen(ROOM, 1);
    expect(sent.map((s) => s.seq)).toEqual([1]);
    reporter.seen(ROOM, 2);
    reporter.seen(ROOM, 3);
    await vi.advanceTimersByTimeAsync(READ_INTERVAL_MS - 1);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((s) => s.seq)).toEqual([1, 3]);
  });

  it('rooms are throttled separately; nothing older or equal is sent again', async () => {
    reporter.seen(ROOM, 5);
    reporter.seen(OTHER_ROOM, 7);
    reporter.seen(ROOM, 4);
    reporter.seen(ROOM, 5);
    await vi.advanceTimersByTimeAsync(READ_INTERVAL_MS * 2);
    expect(sent.map((s) => `${s.roomId === ROOM ? 'a' : 'b'}${s.seq}`)).toEqual(['a5', 'b7']);
  });

  it('leaving the room or losing focus sends what waits at once, and only once', async () => {
    reporter.seen(ROOM, 1);
    reporter.seen(ROOM, 9);
    reporter.seen(OTHER_ROOM, 4);
    reporter.seen(OTHER_ROOM, 6);
    reporter.flush(ROOM);
    expect(sent.map((s) => s.seq)).toEqual([1, 4, 9]);
    reporter.flush();
    expect(sent.map((s) => s.seq)).toEqual([1, 4, 9, 6]);
    await vi.advanceTimersByTimeAsync(READ_INTERVAL_MS * 2);
    expect(sent).toHaveLength(4);
  });

  it('a "not now" refusal is sent again after retryAfterMs (with jitter), carrying the newest seq', async () => {
    answer = () => Promise.reject({ code: 'rate_limited', message: 'Slow down.', retryAfterMs: 10_000 });
    reporter.seen(ROOM, 3);
    await vi.advanceTimersByTimeAsync(0);
    answer = async () => {};
    reporter.seen(ROOM, 4);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(sent.map((s) => s.seq)).toEqual([3]);
    await vi.advanceTimersByTimeAsync(5_001);
    expect(sent.map((s) => s.seq)).toEqual([3, 4]);
  });

  it('a refusal that means "no" (the room is gone) is dropped', async () => {
    answer = () => Promise.reject({ code: 'room_not_found', message: 'No such room.' });
    reporter.seen(ROOM, 3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent).toHaveLength(1);
  });

  it('after dispose (sign-out) no timer sends anything', async () => {
    reporter.seen(ROOM, 1);
    reporter.seen(ROOM, 2);
    reporter.dispose();
    await vi.advanceTimersByTimeAsync(60_000);
    reporter.seen(ROOM, 3);
    expect(sent.map((s) => s.seq)).toEqual([1]);
  });
});
