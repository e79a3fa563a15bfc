import { describe, expect, it } from 'vitest';
import { buildRows, GROUP_MS } from '../../../src/renderer/components/room/rows';
import type { PresenceLine } from '../../../src/renderer/stores/presence';
import { ALICE, BOB, ROOM, message } from './helpers';

const at = (iso: string) => ({ createdAt: iso });
const line = (afterId: string | null, id = 'p1'): PresenceLine => ({
  id,
  roomId: ROOM,
  action: 'entered',
  names: ['carol'],
  userIds: ['c'.repeat(24)],
  afterId,
  at: 0,
});

describe('buildRows', () => {
  it('puts a day separator on the first message of each day and groups by author', () => {
    const a = message({ authorId: BOB, ...at('2025-11-24T10:00:00.000Z') });
    const b = message({ authorId: BOB, ...at('2025-11-24T10:01:00.000Z') });
    const c = message({ authorId: ALICE, ...at('2025-11-24T10:02:00.000Z') });
    const d = message({ authorId: ALICE, ...at(new Date(Date.parse('2025-11-24T10:02:00.000Z') + GROUP_MS + 1).toISOString()) });
    const e = message({ authorId: ALICE, ...at('2025-11-26T10:00:00.000Z') });
    const rows = buildRows([a, b, c, d, e], [], []);
    expect(rows.map((r) => (r.kind === 'presence' || r.kind === 'start' ? r.kind : `${r.day ? 'D' : ''}${r.compact ? 'c' : 'h'}`))).toEqual([
      'Dh',
      'c',
      'h',
      'h',
      'Dh',
    ]);
  });

  it('places presence lines after their message, without a second day separator', () => {
    const a = message(at('2025-11-24T10:00:00.000Z'));
    const b = message(at('2025-11-24T10:00:30.000Z'));
    const rows = buildRows([a, b], [line(a.id)], []);
    expect(rows.map((r) => r.kind)).toEqual(['message', 'presence', 'message']);
    const last = rows[2]!;
    expect(last.kind === 'message' && last.day).toBeNull();
    expect(last.kind === 'message' && last.compact).toBe(false);
  });

  it('puts lines of an empty room first, and unanchored ones before the outbox', () => {
    expect(buildRows([], [line('')], []).map((r) => r.kind)).toEqual(['presence']);
    const a = message();
    const rows = buildRows(
      [a],
      [line(null)],
      [{ clientId: 'x', roomId: ROOM, authorId: ALICE, text: 'hi', status: 'sending', error: null, createdAt: a.createdAt }],
    );
    expect(rows.map((r) => r.kind)).toEqual(['message', 'presence', 'pending']);
  });

  it('starts with the start-of-room row once the first message is held', () => {
    const rows = buildRows([message()], [line('')], [], true);
    expect(rows.map((r) => r.kind)).toEqual(['start', 'presence', 'message']);
  });
});
