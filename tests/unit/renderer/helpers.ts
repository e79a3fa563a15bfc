// Test data for the renderer's unit tests.
import type { Message, RoomSummary } from '../../../src/shared/contract';

let counter = 0;

/** A 24-hex id that sorts after every earlier one made here (like ObjectIds). */
export function nextId(): string {
  counter += 1;
  return (0x650000000000 + counter).toString(16).padStart(24, '0');
}

let lastSeq = 0;

export const ROOM = 'aaaaaaaaaaaaaaaaaaaaaaaa';
export const OTHER_ROOM = 'bbbbbbbbbbbbbbbbbbbbbbbb';
export const ALICE = '111111111111111111111111';
export const BOB = '222222222222222222222222';

/** A message; each one made here has a larger seq than the one before (unless given). */
export function message(overrides: Partial<Message> = {}): Message {
  const id = overrides.id ?? nextId();
  return {
    id,
    seq: ++lastSeq,
    roomId: ROOM,
    authorId: BOB,
    authorUsername: 'bob',
    text: `message ${id}`,
    clientId: `c-${id}`,
    createdAt: new Date(Date.UTC(2025, 10, 25, 12, 0, 0)).toISOString(),
    ...overrides,
  };
}

export function messages(count: number, overrides: Partial<Message> = {}): Message[] {
  return Array.from({ length: count }, () => message(overrides));
}

export function summary(overrides: Partial<RoomSummary> = {}): RoomSummary {
  return { id: ROOM, name: 'general', role: 'member', memberCount: 2, lastMessage: null, unreadCount: 0, mentionCount: 0, ...overrides };
}
