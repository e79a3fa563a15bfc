// The room tail in Redis, shared by every backend process: per room a sorted set of
// messages scored by seq, and a "filled" key that says the set holds the room's newest
// messages. Appends always add (even before a fill), and a fill adds what it read, so a
// fill racing a send ends with both: sorted-set adds commute.
import type { Redis } from 'ioredis';
import type { Message } from '../../src/shared/contract.js';
import { TAIL_LIFETIME_MS, TAIL_SIZE, type RoomTail } from './roomTail.js';

const keys = {
  tail: (roomId: string) => `parley:tail:${roomId}`,
  filled: (roomId: string) => `parley:tail-filled:${roomId}`,
};

/** One fixed field order, so the same message is always the same set member. */
const encode = (m: Message) => JSON.stringify([m.id, m.roomId, m.authorId, m.authorUsername, m.text, m.clientId, m.seq, m.createdAt]);

function decode(raw: string): Message {
  const [id, roomId, authorId, authorUsername, text, clientId, seq, createdAt] = JSON.parse(raw) as [
    string,
    string,
    string,
    string,
    string,
    string,
    number,
    string,
  ];
  return { id, roomId, authorId, authorUsername, text, clientId, seq, createdAt };
}

export class RedisRoomTail implements RoomTail {
  constructor(private readonly redis: Redis) {}

  async read(roomId: string): Promise<Message[] | null> {
    const results = await this.redis.multi().exists(keys.filled(roomId)).zrange(keys.tail(roomId), 0, -1).exec();
    if (!results) return null;
    const [[filledError, filled], [rangeError, raw]] = results as [[Error | null, number], [Error | null, string[]]];
    if (filledError || rangeError) throw filledError ?? rangeError;
    if (filled !== 1) return null;
    const bySeq = new Map<number, Message>();
    for (const message of raw.map(decode)) if (!bySeq.has(message.seq)) bySeq.set(message.seq, message);
    return [...bySeq.values()];
  }

  async fill(roomId: string, newest: Message[]): Promise<void> {
    const tx = this.redis.multi();
    if (newest.length > 0) tx.zadd(keys.tail(roomId), ...newest.flatMap((m) => [m.seq, encode(m)]));
    this.trim(tx, roomId);
    await tx.set(keys.filled(roomId), '1', 'PX', TAIL_LIFETIME_MS).exec();
  }

  async append(message: Message): Promise<void> {
    const tx = this.redis.multi().zadd(keys.tail(message.roomId), message.seq, encode(message));
    await this.trim(tx, message.roomId).exec();
  }

  async newestSeq(roomId: string): Promise<number> {
    const [, score] = await this.redis.zrange(keys.tail(roomId), -1, -1, 'WITHSCORES');
    return score === undefined ? 0 : Number(score);
  }

  async drop(roomId: string): Promise<void> {
    await this.redis.del(keys.filled(roomId), keys.tail(roomId));
  }

  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(cursor, 'MATCH', 'parley:tail-filled:*', 'COUNT', 1000);
      if (found.length > 0) await this.redis.del(...found);
      cursor = next;
    } while (cursor !== '0');
  }

  private trim(tx: ReturnType<Redis['multi']>, roomId: string) {
    return tx.zremrangebyrank(keys.tail(roomId), 0, -(TAIL_SIZE + 1)).pexpire(keys.tail(roomId), TAIL_LIFETIME_MS);
  }
}
