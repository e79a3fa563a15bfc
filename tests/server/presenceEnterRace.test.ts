// The "room:enter" answer lists who is viewing. The client replaces its list with it, so
// the list must be read after everything else the answer waits for: one read earlier
// would undo an "entered" pushed to the new viewer meanwhile (seen in a browser test as
// a member missing from "Here now"). Here the history read of one entering viewer is
// held while another member enters; the first viewer's answer must list both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, RoomEnterAnswer } from '../../src/shared/contract.js';
import { ask, nextEvent } from '../support/events.js';
import { withMethod } from '../support/faultyRepositories.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** While set, the next history read waits for it (and says it has started). */
let hold: { started: () => void; release: Promise<void> } | null = null;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    repositories: (real) => ({
      ...real,
      messages: withMethod(real.messages, 'range', (original) => async (...args) => {
        const held = hold;
        hold = null;
        if (held) {
          held.started();
          await held.release;
        }
        return original(...args);
      }),
    }),
  });
});
afterAll(() => server.close());

describe('entering a room while another member enters', () => {
  it('answers a viewer list that includes whoever entered while the answer was being read (5 rounds)', async () => {
    const [ann, bob] = await Promise.all([server.register('ann'), server.register('bob')]);
    for (let round = 0; round < 5; round++) {
      const roomId = await server.createRoom(ann, `Enter race ${round}`, bob);
      const [annSocket, bobSocket] = await Promise.all([server.socket(ann.token), server.socket(bob.token)]);
      let release!: () => void;
      const started = new Promise<void>((resolve) => {
        hold = { started: resolve, release: new Promise<void>((r) => (release = r)) };
      });
      // Ann's enter stops at its history read; Bob enters meanwhile and Ann is told.
      const annAnswer = ask<Ack<RoomEnterAnswer>>(annSocket, 'room:enter', { roomId });
      await started;
      const bobPushed = nextEvent(annSocket, 'room:presence', (e) => e.roomId === roomId && e.user.userId === bob.user.id && e.action === 'entered');
      const bobAnswer = await ask<Ack<RoomEnterAnswer>>(bobSocket, 'room:enter', { roomId });
      expect(bobAnswer.ok).toBe(true);
      await bobPushed;
      release();
      const answer = await annAnswer;
      if (!answer.ok) throw new Error(JSON.stringify(answer.error));
      expect(answer.viewers.map((v) => v.userId).sort()).toEqual([ann.user.id, bob.user.id].sort());
      annSocket.disconnect();
      bobSocket.disconnect();
    }
  });
});
