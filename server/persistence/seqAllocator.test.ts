import { describe, expect, it } from 'vitest';
import { SeqAllocator } from './seqAllocator.js';

/** An allocator whose sources report fixed values and count how often each was asked. */
function allocator(known: { tail: number; head: number; stored: number }) {
  const asked = { tail: 0, head: 0, stored: 0 };
  const seqs = new SeqAllocator({
    heads: { lastSeq: async () => (asked.head++, known.head) },
    newestInTail: async () => (asked.tail++, known.tail),
    highestStored: async () => (asked.stored++, known.stored),
  });
  return { seqs, asked, known };
}

describe('SeqAllocator after a collision', () => {
  it('jumps past what the room tail knows without reading the head or the messages', async () => {
    const { seqs, asked } = allocator({ tail: 40, head: 10, stored: 40 });
    expect(await seqs.next('r')).toBe(11); // the first send starts from the head
    await seqs.taken('r', 11);
    expect(await seqs.next('r')).toBe(41);
    expect(asked).toEqual({ tail: 1, head: 1, stored: 0 }); // the head once: the first load
  });

  it('asks the head when the tail lags behind the taken seq, and the messages only when both do', async () => {
    const { seqs, asked, known } = allocator({ tail: 0, head: 20, stored: 20 });
    expect(await seqs.next('r')).toBe(21);
    known.stored = 30; // another process stored up to 30; its tail append and head write are behind
    await seqs.taken('r', 21);
    expect(await seqs.next('r')).toBe(31);
    expect(asked).toEqual({ tail: 1, head: 2, stored: 1 });
  });

  it('a tail that cannot be read counts as knowing nothing', async () => {
    const seqs = new SeqAllocator({
      heads: { lastSeq: async () => 5 },
      newestInTail: () => Promise.reject(new Error('redis down')),
      highestStored: async () => 9,
    });
    expect(await seqs.next('r')).toBe(6);
    await seqs.taken('r', 6);
    expect(await seqs.next('r')).toBe(10);
  });

  it('never moves backwards, whatever the sources say', async () => {
    const { seqs } = allocator({ tail: 3, head: 3, stored: 3 });
    expect(await seqs.next('r')).toBe(4);
    for (let i = 0; i < 5; i++) await seqs.next('r');
    await seqs.taken('r', 5); // an old collision reported late
    expect(await seqs.next('r')).toBe(10);
  });
});
