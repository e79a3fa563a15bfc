// SocketRoomChanges without a network: a stand-in for Socket.IO's server-side events
// delivers one process's requests to another's handlers, so the hold, the write and
// the release can be watched in order.
import { describe, expect, it } from 'vitest';
import { recordingLogger } from '../services/testing/fakes.js';
import { SocketRoomChanges, type RoomHolder } from './roomChanges.js';
import type { ParleyServer } from './types.js';

type Handler = (changeId: string, roomId: string, ack: (ok: true) => void) => void;

/** A process's room holder that logs what happens, with sends under way it can hold the hold on. */
function holder(name: string, log: string[]) {
  let sendsUnderWay: Promise<void> = Promise.resolve();
  const here: RoomHolder & { slowSends(p: Promise<void>): void } = {
    async holdRoom(roomId) {
      log.push(`${name} holds ${roomId}`);
      await sendsUnderWay;
      return () => log.push(`${name} releases ${roomId}`);
    },
    forget: (roomId) => void log.push(`${name} forgets ${roomId}`),
    slowSends: (p) => void (sendsUnderWay = p),
  };
  return here;
}

/** Two processes whose server-side requests reach each other; `peerTimeoutMs` stands for the adapter's timeout. */
function pair(log: string[], peerTimeoutMs = 1_000) {
  const handlers = { a: new Map<string, Handler>(), b: new Map<string, Handler>() };
  const io = (self: 'a' | 'b', peer: 'a' | 'b') =>
    ({
      on: (event: string, handler: Handler) => handlers[self].set(event, handler),
      serverSideEmitWithAck: (event: string, changeId: string, roomId: string) =>
        new Promise((resolve, reject) => {
          setTimeout(() => reject(new Error('timeout')), peerTimeoutMs);
          handlers[peer].get(event)!(changeId, roomId, resolve);
        }),
    }) as unknown as ParleyServer;
  const a = holder('a', log);
  const b = holder('b', log);
  return {
    a,
    b,
    changesA: new SocketRoomChanges(io('a', 'b'), a, true, recordingLogger()),
    changesB: new SocketRoomChanges(io('b', 'a'), b, true, recordingLogger()),
  };
}

describe('SocketRoomChanges', () => {
  it('writes while both processes hold the room, then each forgets it and lets its sends go', async () => {
    const log: string[] = [];
    const { changesA } = pair(log);
    const result = await changesA.change('r1', async () => {
      log.push('write');
      return true;
    });
    expect(result).toBe(true);
    expect(log).toEqual(['a holds r1', 'b holds r1', 'write', 'a forgets r1', 'a releases r1', 'b forgets r1', 'b releases r1']);
  });

  it('lets the held sends go even when the write fails', async () => {
    const log: string[] = [];
    const { changesA } = pair(log);
    await expect(changesA.change('r1', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(log.filter((line) => line.includes('releases'))).toEqual(['a releases r1', 'b releases r1']);
  });

  it('a peer whose hold came after the change ended (it answered too late) lets go at once', async () => {
    const log: string[] = [];
    const { b, changesA } = pair(log, 20);
    let finishSends!: () => void;
    b.slowSends(new Promise<void>((resolve) => (finishSends = resolve)));
    await changesA.change('r1', async () => void log.push('write'));
    expect(log).not.toContain('b releases r1');
    finishSends();
    await expect.poll(() => log.at(-1)).toBe('b releases r1');
  });
});
