import { describe, expect, it } from 'vitest';
import { buildRows, GROUP_MS } from '../../../src/renderer/components/room/rows';
import type { PresenceLine } from '../../../src/renderer/stores/presence';
import { ALICE, BOB, ROOM, message } from './helpers';

const at = (iso: string) => ({ createdAt: iso });
const line = (afterSeq: number | null, id = 'p1'): PresenceLine => ({
  id,
  roomId: ROOM,
  action: 'entered',
  names: ['carol'],
  userIds: ['c'.repeat(24)],
  afterSeq,
  at: 0,
});

/** Rows of a room whose first message is held (every message shown), without the start row. */
const wholeRoom = (...args: Parameters<typeof buildRows>) =>
  buildRows(args[0], args[1], args[2], { atStart: true, atEnd: true }).filter((r) => r.kind !== 'start' && r.kind !== 'unread');

describe('buildRows', () => {
  it('puts a day separator on the first message of each day and groups by author', () => {
    const a = message({ authorId: BOB, ...at('2025-11-24T10:00:00.000Z') });
    const b = message({ authorId: BOB, ...at('2025-11-24T10:01:00.000Z') });
    const c = message({ authorId: ALICE, ...at('2025-11-24T10:02:00.000Z') });
    const d = message({ authorId: ALICE, ...at(new Date(Date.parse('2025-11-24T10:02:00.000Z') + GROUP_MS + 1).toISOString()) });
    const e = message({ authorId: ALICE, ...at('2025-11-26T10:00:00.000Z') });
    const rows = wholeRoom([a, b, c, d, e], [], []);
    expect(rows.map((r) => (r.kind === 'presence' ? r.kind : `${r.day ? 'D' : ''}${r.compact ? 'c' : 'h'}`))).toEqual(['Dh', 'c', 'h', 'h', 'Dh']);
  });

  it('places presence lines after their message, without a second day separator', () => {
    const a = message(at('2025-11-24T10:00:00.000Z'));
    const b = message(at('2025-11-24T10:00:30.000Z'));
    const rows = wholeRoom([a, b], [line(a.seq)], []);
    expect(rows.map((r) => r.kind)).toEqual(['message', 'presence', 'message']);
    const last = rows[2]!;
    expect(last.kind === 'message' && last.day).toBeNull();
    expect(last.kind === 'message' && last.compact).toBe(false);
  });

  it('puts lines of an empty room first, and unanchored ones before the outbox', () => {
    expect(wholeRoom([], [line(0)], []).map((r) => r.kind)).toEqual(['presence']);
    const a = message();
    const rows = buildRows(
      [a],
      [line(null)],
      [{ clientId: 'x', roomId: ROOM, authorId: ALICE, text: 'hi', status: 'sending', error: null, createdAt: a.createdAt }],
    );
    expect(rows.map((r) => r.kind)).toEqual(['message', 'presence', 'pending']);
  });

  it('starts with the start-of-room row once the first message is held', () => {
    const rows = buildRows([message()], [line(0)], [], { atStart: true, atEnd: true });
    expect(rows.map((r) => r.kind)).toEqual(['start', 'presence', 'message']);
  });

  it('until the start is held, the oldest message only gives context, so a prepend never changes a shown row', () => {
    const older = message({ authorId: BOB, ...at('2025-11-24T10:00:00.000Z') });
    const a = message({ authorId: BOB, ...at('2025-11-24T10:01:00.000Z') });
    const b = message({ authorId: BOB, ...at('2025-11-24T10:02:00.000Z') });
    const c = message({ authorId: ALICE, ...at('2025-11-24T10:03:00.000Z') });
    const look = (rows: ReturnType<typeof buildRows>) =>
      rows.flatMap((r) => (r.kind === 'message' ? [`${r.message.id}:${r.day ? 'D' : ''}${r.compact ? 'c' : 'h'}`] : []));

    const before = look(buildRows([a, b, c], [], []));
    // `a` is held back: shown, it would be a day-separated header that `older` then turns into a continuation.
    expect(before).toEqual([`${b.id}:c`, `${c.id}:h`]);
    const after = look(buildRows([older, a, b, c], [], []));
    expect(after.slice(-before.length)).toEqual(before);
    expect(after).toEqual([`${a.id}:c`, `${b.id}:c`, `${c.id}:h`]);
    // Once the first message is held, everything is shown, under the start row.
    const atStart = buildRows([older, a, b, c], [], [], { atStart: true, atEnd: true });
    expect(atStart[0]?.kind).toBe('start');
    expect(look(atStart)).toEqual([`${older.id}:Dh`, `${a.id}:c`, `${b.id}:c`, `${c.id}:h`]);
  });

  it('groups by the gap to the message just before, so older history cannot regroup later rows', () => {
    const base = Date.parse('2025-11-24T10:00:00.000Z');
    const run = [0, 4, 8, 12].map((minutes) => message({ authorId: BOB, createdAt: new Date(base + minutes * 60_000).toISOString() }));
    const looks = wholeRoom(run, [], []).map((r) => (r.kind === 'message' ? (r.compact ? 'c' : 'h') : r.kind));
    expect(looks).toEqual(['h', 'c', 'c', 'c']);
  });

  it('away from the tail, lines and the outbox after the window are not shown; lines before it neither', () => {
    const [a, b, c] = [message(), message(), message()];
    const pending = { clientId: 'x', roomId: ROOM, authorId: ALICE, text: 'hi', status: 'sending' as const, error: null, createdAt: c.createdAt };
    const lines = [line(a.seq - 1, 'before'), line(b.seq, 'inside'), line(c.seq + 5, 'after'), line(null, 'unanchored')];
    const away = buildRows([a, b, c], lines, [pending], { atStart: false, atEnd: false });
    expect(away.map((r) => r.key)).toEqual([b.id, 'inside', c.id]);
    const atTail = buildRows([a, b, c], lines, [pending], { atStart: false, atEnd: true });
    expect(atTail.map((r) => r.key)).toEqual([b.id, 'inside', c.id, 'after', 'unanchored', 'pending-x']);
  });
});

describe('the New messages line', () => {
  const ms = [1, 2, 3, 4, 5].map((seq) => message({ seq, id: `m${seq}`.padEnd(24, '0') }));
  const kinds = (rows: ReturnType<typeof buildRows>) => rows.map((r) => (r.kind === 'message' ? r.message.seq : r.kind));

  it('goes above the first unread message, once', () => {
    expect(kinds(buildRows(ms, [], [], { atStart: true, atEnd: true, unreadFromSeq: 3 }))).toEqual(['start', 1, 2, 'unread', 3, 4, 5]);
    expect(kinds(buildRows(ms, [], [], { atStart: true, atEnd: true, unreadFromSeq: 1 }))).toEqual(['start', 'unread', 1, 2, 3, 4, 5]);
  });

  it('is not shown when the first unread message is older than the window, nor when nothing is unread', () => {
    // Not at the start: the oldest message held is context only, and seq 1 is outside.
    expect(kinds(buildRows(ms.slice(2), [], [], { atStart: false, atEnd: true, unreadFromSeq: 1 }))).toEqual([4, 5]);
    expect(kinds(buildRows(ms, [], [], { atStart: true, atEnd: true, unreadFromSeq: null }))).toEqual(['start', 1, 2, 3, 4, 5]);
    expect(kinds(buildRows(ms, [], [], { atStart: true, atEnd: true, unreadFromSeq: 9 }))).toEqual(['start', 1, 2, 3, 4, 5]);
  });

  it('sits after the context message when the window starts just before the first unread one', () => {
    expect(kinds(buildRows(ms.slice(1), [], [], { atStart: false, atEnd: true, unreadFromSeq: 3 }))).toEqual(['unread', 3, 4, 5]);
  });
});
