import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientIdSchema } from '../../../src/shared/contract';
import { afterNextPaint } from '../../../src/renderer/lib/afterPaint';
import { newClientId } from '../../../src/renderer/lib/clientId';
import { formatUnread } from '../../../src/renderer/lib/unread';
import { linkify } from '../../../src/renderer/lib/linkify';
import { isHttpUrl } from '../../../src/shared/urls';

describe('linkify', () => {
  it('finds http(s) links and leaves the rest as text', () => {
    expect(linkify('see https://example.com/a?b=1, and http://x.io.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', url: 'https://example.com/a?b=1' },
      { kind: 'text', text: ', and ' },
      { kind: 'link', text: 'http://x.io', url: 'http://x.io' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps balanced parentheses in a URL and drops a closing one that ends the sentence', () => {
    expect(linkify('(https://en.wikipedia.org/wiki/Foo_(bar))')[1]).toMatchObject({ url: 'https://en.wikipedia.org/wiki/Foo_(bar)' });
  });

  it('never links other schemes, and markup stays text', () => {
    expect(linkify('javascript:alert(1) <img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: 'javascript:alert(1) <img src=x onerror=alert(1)>' }]);
    expect(isHttpUrl('file:///etc/passwd')).toBe(false);
  });
});

describe('client ids', () => {
  it('match the contract and differ every time', () => {
    const ids = new Set(Array.from({ length: 100 }, newClientId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(clientIdSchema.safeParse(id).success).toBe(true);
  });
});

describe('formatUnread', () => {
  it('shows 999+ at the cap', () => {
    expect(formatUnread(3)).toBe('3');
    expect(formatUnread(999)).toBe('999+');
  });
});

describe('afterNextPaint', () => {
  afterEach(() => vi.unstubAllGlobals());
  /** Animation frames that run when the test says (the frame is painted right after them). */
  function stubFrames() {
    const frames = new Map<number, () => void>();
    let next = 1;
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => (frames.set(next, cb), next++));
    vi.stubGlobal('cancelAnimationFrame', (id: number) => frames.delete(id));
    return () => {
      const due = [...frames.values()];
      frames.clear();
      due.forEach((cb) => cb());
    };
  }
  const aTask = () => new Promise((resolve) => setTimeout(resolve));

  it('calls back in the first task after the next frame, not in the frame itself', async () => {
    const runFrame = stubFrames();
    const seen: string[] = [];
    afterNextPaint(() => seen.push('after paint'));
    await aTask();
    expect(seen).toEqual([]);
    runFrame();
    expect(seen).toEqual([]);
    await aTask();
    expect(seen).toEqual(['after paint']);
  });

  it('calls nothing once cancelled, before or after the frame', async () => {
    const runFrame = stubFrames();
    const seen: number[] = [];
    afterNextPaint(() => seen.push(1))();
    const cancelSecond = afterNextPaint(() => seen.push(2));
    runFrame();
    cancelSecond();
    await aTask();
    expect(seen).toEqual([]);
  });
});
