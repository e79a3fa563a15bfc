import { describe, expect, it } from 'vitest';
import type { HistoryPage, Message } from '../../../src/shared/contract';
import {
  EMPTY_TIMELINE,
  LIVE_MAX,
  TRIM_TO,
  VIEW_MARGIN,
  WINDOW_MAX,
  addLive,
  addNewer,
  addOlder,
  mergeMessages,
  newMessageCount,
  sawTail,
  showPage,
  type Timeline,
} from '../../../src/renderer/stores/historyWindow';
import { messages } from './helpers';

/** A room's whole history, seq 1..n in order (the server's numbering). */
function room(n: number): Message[] {
  return messages(n).map((m, i) => ({ ...m, seq: i + 1 }));
}

/** What the server answers for a cursor, over `all`. */
function serve(all: Message[], query: { before?: number; after?: number | 'start'; around?: string }, limit = 100): HistoryPage {
  let from: number;
  if (query.before !== undefined) from = Math.max(0, query.before - 1 - limit);
  else if (query.after === 'start') from = 0;
  else if (query.after !== undefined) from = query.after;
  else if (query.around !== undefined) from = Math.max(0, all.findIndex((m) => m.id === query.around) - Math.floor(limit / 2));
  else from = Math.max(0, all.length - limit);
  const to = query.before !== undefined ? query.before - 1 : Math.min(all.length, from + limit);
  const list = all.slice(from, to);
  return { messages: list, hasMore: from > 0, hasOlder: from > 0, hasNewer: to < all.length };
}

const seqs = (t: Timeline) => t.messages.map((m) => m.seq);
const contiguous = (t: Timeline) => t.messages.every((m, i) => i === 0 || m.seq === t.messages[i - 1]!.seq + 1);
const unique = (t: Timeline) => new Set(t.messages.map((m) => m.id)).size === t.messages.length;
const entered = (all: Message[]) => showPage({ ...EMPTY_TIMELINE }, serve(all, {}, 50), { kind: 'latest' });

describe('mergeMessages', () => {
  it('merges by id, in seq order, without duplicates', () => {
    const [a, b, c, d] = room(4);
    const { messages: merged, added } = mergeMessages([a!, c!], [d!, b!, c!, b!]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(added).toBe(2);
  });

  it('orders by seq, not by id (a message stored later can carry a smaller id)', () => {
    const [a, b] = room(2);
    const late = { ...a!, seq: 3 };
    expect(mergeMessages([b!], [late, { ...b! }]).messages.map((m) => m.seq)).toEqual([2, 3]);
  });

  it('keeps the same array when nothing is new, and counts what went before the oldest', () => {
    const list = room(5);
    expect(mergeMessages(list, [list[1]!]).messages).toBe(list);
    expect(mergeMessages(list.slice(2, 4), [list[0]!, list[1]!, list[4]!]).before).toBe(2);
  });
});

describe('the history window', () => {
  it('entering shows the latest page at the tail, with the pushes that came meanwhile', () => {
    const all = room(300);
    const entering = addLive({ ...EMPTY_TIMELINE }, [all[299]!], null);
    const t = showPage(entering, serve(all.slice(0, 299), {}, 50), { kind: 'latest' });
    expect(seqs(t)).toEqual(all.slice(249).map((m) => m.seq));
    expect(t).toMatchObject({ loaded: true, hasOlder: true, hasNewer: false, tailSeq: 300, generation: 1 });
    expect(newMessageCount(t)).toBe(0);
  });

  it('jump to first replaces the window with the first page; scrolling down walks to the tail without gaps or duplicates', () => {
    const all = room(450);
    let t = showPage(entered(all), serve(all, { after: 'start' }), { kind: 'first' });
    expect(t).toMatchObject({ hasOlder: false, hasNewer: true, generation: 2, anchor: { kind: 'first' } });
    expect(seqs(t)[0]).toBe(1);
    let pages = 0;
    while (t.hasNewer) {
      t = addNewer(t, serve(all, { after: t.messages.at(-1)!.seq }), null);
      pages++;
    }
    expect(pages).toBe(4);
    expect(seqs(t)).toEqual(all.map((m) => m.seq));
    expect(contiguous(t) && unique(t)).toBe(true);
  });

  it('holds at most WINDOW_MAX messages: scrolling down drops the oldest pages, scrolling up again reloads them', () => {
    const all = room(2500);
    let t = showPage(entered(all), serve(all, { after: 'start' }), { kind: 'first' });
    for (let i = 0; i < 20; i++) {
      // The reader is at the bottom of the window each time the next page loads.
      const view = { fromSeq: t.messages.at(-10)!.seq, toSeq: t.messages.at(-1)!.seq };
      t = addNewer(t, serve(all, { after: t.messages.at(-1)!.seq }), view);
      expect(t.messages.length).toBeLessThanOrEqual(WINDOW_MAX);
    }
    expect(t.hasOlder).toBe(true);
    expect(seqs(t).at(-1)).toBe(2100);
    expect(t.messages.length).toBeGreaterThanOrEqual(TRIM_TO);
    expect(contiguous(t)).toBe(true);
    // Back up: older pages come back from the server, the far end is dropped instead.
    for (let i = 0; i < 12; i++) {
      const view = { fromSeq: t.messages[0]!.seq, toSeq: t.messages[10]!.seq };
      t = addOlder(t, serve(all, { before: t.messages[0]!.seq }), view);
      expect(t.messages.length).toBeLessThanOrEqual(WINDOW_MAX);
    }
    expect(t).toMatchObject({ hasOlder: false, hasNewer: true });
    expect(seqs(t)[0]).toBe(1);
    expect(contiguous(t) && unique(t)).toBe(true);
  });

  it('never drops messages within VIEW_MARGIN of what is on screen', () => {
    const all = room(WINDOW_MAX + 200);
    const t = showPage({ ...EMPTY_TIMELINE }, { messages: all.slice(0, WINDOW_MAX), hasMore: false, hasOlder: false, hasNewer: true }, { kind: 'first' });
    // On screen: seq 60..80, near the top. A newer page arrives (the reader scrolled a lot at once).
    const next = addNewer(t, serve(all, { after: WINDOW_MAX }), { fromSeq: 60, toSeq: 80 });
    expect(seqs(next)[0]).toBe(1); // the front is within the margin: nothing dropped there
    expect(seqs(next).at(-1)).toBeGreaterThanOrEqual(80 + VIEW_MARGIN);
    // Cut back well below the bound, so the next trims are a few pages away.
    expect(next.messages.length).toBe(TRIM_TO);
    expect(next.hasNewer).toBe(true);
  });

  it('counts messages that arrive away from the tail, keeps them aside, and shows each once on return', () => {
    const all = room(600);
    const before = entered(all.slice(0, 597));
    let t = showPage(before, serve(all.slice(0, 597), { after: 'start' }), { kind: 'first' });
    // Three messages arrive while the reader is at the start, one of them twice.
    t = addLive(t, [all[597]!], null);
    t = addLive(t, [all[598]!, all[597]!], null);
    t = addLive(t, [all[599]!], null);
    expect(seqs(t).at(-1)).toBe(100);
    expect(newMessageCount(t)).toBe(3);
    expect(sawTail(t)).toBe(t); // looking at the bottom of an old window is not seeing the tail
    // "Jump to latest": the latest page (which already has two of them) plus what is held aside.
    t = showPage(t, serve(all.slice(0, 599), {}), { kind: 'latest' });
    expect(seqs(t).slice(-4)).toEqual([597, 598, 599, 600]);
    expect(unique(t) && contiguous(t)).toBe(true);
    expect(t.hasNewer).toBe(false);
    expect(newMessageCount(t)).toBe(0);
  });

  it('scrolling down back to the tail brings the pushes held meanwhile, without duplicates', () => {
    const all = room(250);
    let t = showPage(entered(all.slice(0, 240)), serve(all.slice(0, 240), { after: 'start' }), { kind: 'first' });
    t = addLive(t, all.slice(240), null);
    expect(t.live).toHaveLength(10);
    t = addNewer(t, serve(all.slice(0, 240), { after: 100 }), null);
    t = addNewer(t, serve(all.slice(0, 245), { after: 200 }), null);
    expect(t.hasNewer).toBe(false);
    expect(seqs(t).at(-1)).toBe(250);
    expect(unique(t) && contiguous(t)).toBe(true);
    expect(t.live).toEqual([]);
  });

  it('keeps at most LIVE_MAX pushes aside', () => {
    const all = room(LIVE_MAX + 400);
    let t = showPage(entered(all.slice(0, 100)), serve(all, { after: 'start' }, 50), { kind: 'first' });
    for (const m of all.slice(100)) t = addLive(t, [m], null);
    expect(t.live).toHaveLength(LIVE_MAX);
    expect(t.live.at(-1)!.seq).toBe(all.length);
    expect(newMessageCount(t)).toBe(all.length - 100);
  });

  it('at the tail, live messages join the window and the oldest are dropped beyond WINDOW_MAX', () => {
    const all = room(WINDOW_MAX + 300);
    let t = showPage({ ...EMPTY_TIMELINE }, { messages: all.slice(0, WINDOW_MAX), hasMore: false, hasOlder: false, hasNewer: false }, { kind: 'latest' });
    for (const m of all.slice(WINDOW_MAX)) {
      t = addLive(t, [m], { fromSeq: m.seq - 20, toSeq: m.seq - 1 });
      expect(t.messages.length).toBeLessThanOrEqual(WINDOW_MAX);
    }
    expect(contiguous(t)).toBe(true);
    expect(seqs(t).at(-1)).toBe(all.length);
    expect(t).toMatchObject({ hasOlder: true, hasNewer: false, lastGrowth: 'live' });
  });

  it('a reader far up an attached window is not moved: the newest are dropped instead, and counted', () => {
    const all = room(WINDOW_MAX + 5);
    let t = showPage({ ...EMPTY_TIMELINE }, { messages: all.slice(0, WINDOW_MAX), hasMore: false, hasOlder: false, hasNewer: false }, { kind: 'latest' });
    for (const m of all.slice(WINDOW_MAX)) t = addLive(t, [m], { fromSeq: 1, toSeq: 20 });
    expect(seqs(t)[0]).toBe(1);
    expect(t.messages).toHaveLength(TRIM_TO);
    expect(t.hasNewer).toBe(true);
    expect(newMessageCount(t)).toBe(5);
  });

  it('opening at a message shows the page around it, and counts from the known tail', () => {
    const all = room(500);
    const target = all[199]!;
    const t = showPage({ ...EMPTY_TIMELINE }, serve(all, { around: target.id }), { kind: 'message', messageId: target.id }, 500);
    expect(t.messages.some((m) => m.id === target.id)).toBe(true);
    expect(t).toMatchObject({ hasOlder: true, hasNewer: true, tailSeq: 500, seenTailSeq: 500 });
    expect(
      newMessageCount(
        addLive(
          t,
          room(1).map((m) => ({ ...m, seq: 501 })),
          null,
        ),
      ),
    ).toBe(1);
  });

  it('pushes older than the window are left to the history it loads later', () => {
    const all = room(300);
    const t = entered(all);
    expect(addLive(t, [all[10]!], null).messages).toBe(t.messages);
  });

  it('walks 10,000 messages quickly', () => {
    const all = room(10_000);
    const started = performance.now();
    let t = showPage(entered(all), serve(all, { after: 'start' }, 200), { kind: 'first' });
    while (t.hasNewer) t = addNewer(t, serve(all, { after: t.messages.at(-1)!.seq }, 200), { fromSeq: t.messages.at(-5)!.seq, toSeq: t.messages.at(-1)!.seq });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(t.messages.length).toBeLessThanOrEqual(WINDOW_MAX);
    expect(seqs(t).at(-1)).toBe(10_000);
  });
});
