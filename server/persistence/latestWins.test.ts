import { describe, expect, it } from 'vitest';
import { LatestWins } from './latestWins.js';

/** A write that stays under way until `finish` is called, then stores its value. */
function heldStore() {
  const stored = new Map<string, number>();
  let finish: () => void = () => {};
  const writes = new LatestWins<number>(
    (key, value) =>
      new Promise<void>((resolve) => {
        finish = () => {
          stored.set(key, value);
          resolve();
        };
      }),
    (a, b) => a > b,
  );
  return { stored, writes, finish: () => finish() };
}

describe('LatestWins.readMerging', () => {
  it('reports a value whose write lands while the read is under way (the read saw the old value)', async () => {
    const { stored, writes, finish } = heldStore();
    stored.set('k', 1);
    const settled = writes.submit('k', 2);
    const { stored: seen, unsettled } = await writes.readMerging(['k'], async () => {
      const before = stored.get('k');
      await new Promise((resolve) => setImmediate(resolve)); // the write starts
      finish(); // and lands, and its slot goes, before the read returns
      await settled;
      await new Promise((resolve) => setImmediate(resolve));
      return before;
    });
    expect(seen).toBe(1);
    expect(stored.get('k')).toBe(2);
    expect(unsettled.get('k')).toBe(2);
  });

  it('reports a value submitted during the read, and nothing for keys never written', async () => {
    const { writes } = heldStore();
    const { unsettled } = await writes.readMerging(['a', 'b'], async () => {
      void writes.submit('a', 7);
    });
    expect(unsettled.get('a')).toBe(7);
    expect(unsettled.has('b')).toBe(false);
  });

  it('keeps the newest of what it saw before and after the read', async () => {
    const { writes } = heldStore();
    void writes.submit('k', 5);
    const { unsettled } = await writes.readMerging(['k'], async () => {
      void writes.submit('k', 3); // older than what is held: ignored
    });
    expect(unsettled.get('k')).toBe(5);
  });
});
