// MessageService on fakes: how sends and a room change's hold interleave. A send under
// way when a hold begins finishes first (it checked the members before the change); a
// send arriving during the hold waits, then checks the room as the change left it.
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/contract.js';
import { MemoryRoomTail } from '../cache/roomTail.js';
import { newRoom, addMember, removeMember, type Room } from '../domain/membership.js';
import type { NewMessage } from '../persistence/messages.js';
import { SeqAllocator } from '../persistence/seqAllocator.js';
import { MessageService } from './messages.js';
import { RecordingEvents, recordingLogger } from './testing/fakes.js';

const ann = { userId: 'a'.repeat(24), username: 'ann' };
const bob = { userId: 'b'.repeat(24), username: 'bob' };

function setup() {
  let room: Room | null = addMember(newRoom('r'.repeat(24), 'General', ann, new Date()), ann.userId, bob, new Date());
  const stored: Message[] = [];
  /** Inserts wait here while a test holds them. */
  let gate: Promise<void> = Promise.resolve();
  const events = new RecordingEvents();
  const service = new MessageService({
    rooms: { get: async () => room },
    messages: {
      insertOnce: async (input: NewMessage, seqs) => {
        const seq = await seqs.next(input.roomId);
        await gate;
        const message: Message = {
          id: `m${seq}`.padEnd(24, '0'),
          roomId: input.roomId,
          seq,
          authorId: input.authorId,
          authorUsername: input.authorUsername,
          text: input.text,
          clientId: input.clientId,
          createdAt: new Date().toISOString(),
        };
        stored.push(message);
        return { created: true, message };
      },
      range: async () => ({ messages: [], more: false }),
      findInRoom: async () => null,
    },
    seqs: new SeqAllocator({ heads: { lastSeq: async () => 0 }, newestInTail: async () => 0, highestStored: async () => 0 }),
    heads: { lastSeq: async () => 0, advance: async () => {} },
    readMarkers: { advance: async () => {} },
    mentions: { record: async () => {} },
    tail: new MemoryRoomTail(),
    events,
    logger: recordingLogger(),
  });
  return {
    service,
    stored,
    events,
    change: (next: (r: Room) => Room | null) => void (room = room && next(room)),
    holdInserts: () => {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return open;
    },
  };
}

const send = (service: MessageService, authorId: string, clientId: string) => service.send({ roomId: 'r'.repeat(24), authorId, clientId, text: 'hi' });

describe('MessageService sends and room holds', () => {
  it('a hold resolves only once the sends under way are stored and pushed', async () => {
    const { service, stored, events, holdInserts } = setup();
    const open = holdInserts();
    const sending = send(service, bob.userId, 'c1');
    let held = false;
    const holding = service.holdRoom('r'.repeat(24)).then((release) => {
      held = true;
      return release;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(held).toBe(false);
    open();
    await sending;
    (await holding)();
    expect(stored.map((m) => m.clientId)).toEqual(['c1']);
    expect(events.log).toHaveLength(1);
  });

  it('a send arriving during a hold waits, then checks the room as the change left it', async () => {
    const { service, stored, events, change } = setup();
    const release = await service.holdRoom('r'.repeat(24));
    const late = send(service, bob.userId, 'late');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stored).toEqual([]);
    change((room) => removeMember(room, ann.userId, bob.userId));
    release();
    await expect(late).rejects.toMatchObject({ code: 'room_not_found' });
    expect(stored).toEqual([]);
    expect(events.log).toEqual([]);
  });

  it('holds on the same room add up: sends go only when the last is released', async () => {
    const { service, stored } = setup();
    const first = await service.holdRoom('r'.repeat(24));
    const second = await service.holdRoom('r'.repeat(24));
    const waiting = send(service, ann.userId, 'c1');
    first();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(stored).toEqual([]);
    second();
    await waiting;
    expect(stored.map((m) => m.clientId)).toEqual(['c1']);
  });
});
