// The viewer registry in Redis, shared by every backend process. Each change that
// decides "first to enter" or "last to leave" is one Lua script, so two processes
// racing for the same user cannot both announce. Each process also keeps a liveness
// key; when a process dies, a survivor removes its connections and announces the
// users who thereby left.
import type { Redis } from 'ioredis';
import type { Viewer } from '../../src/shared/contract.js';
import type { Logger } from '../logger.js';
import type { ViewerRegistry } from './viewers.js';

const P = 'parley:';
const keys = {
  viewers: (roomId: string) => `${P}viewers:${roomId}`, // hash userId -> username
  userConnections: (roomId: string, userId: string) => `${P}viewer-conns:${roomId}:${userId}`, // set of connection ids
  connectionRooms: (connectionId: string) => `${P}conn-rooms:${connectionId}`, // set of room ids
  instanceConnections: (instanceId: string) => `${P}instance-conns:${instanceId}`, // hash connectionId -> userId
  instanceAlive: (instanceId: string) => `${P}instance-alive:${instanceId}`,
  instanceReaping: (instanceId: string) => `${P}instance-reaping:${instanceId}`,
  instances: `${P}instances`,
};

// KEYS: userConnections, viewers, connectionRooms. ARGV: connectionId, userId, username, roomId.
const ENTER = `
local added = redis.call('SADD', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('SADD', KEYS[3], ARGV[4])
if added == 1 and redis.call('SCARD', KEYS[1]) == 1 then return 1 end
return 0`;

// KEYS: userConnections, viewers, connectionRooms. ARGV: connectionId, userId, roomId.
const LEAVE = `
redis.call('SREM', KEYS[3], ARGV[3])
local removed = redis.call('SREM', KEYS[1], ARGV[1])
if removed == 1 and redis.call('SCARD', KEYS[1]) == 0 then
  redis.call('HDEL', KEYS[2], ARGV[2])
  return 1
end
return 0`;

// KEYS: userConnections, viewers. ARGV: userId, roomId, connection-rooms key prefix.
const REMOVE_USER = `
for _, conn in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  redis.call('SREM', ARGV[3] .. conn, ARGV[2])
end
redis.call('DEL', KEYS[1])
return redis.call('HDEL', KEYS[2], ARGV[1])`;

export interface RedisViewerOptions {
  redis: Redis;
  instanceId: string;
  logger: Logger;
  /** A process that has not renewed its liveness key for this long is considered dead. */
  livenessTtlMs: number;
  /** Called for each user who left a room because their process died. */
  onDeparted(roomId: string, viewer: Viewer): void;
}

export class RedisViewerRegistry implements ViewerRegistry {
  private readonly redis: Redis;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly options: RedisViewerOptions) {
    this.redis = options.redis;
  }

  async connectionOpened(connectionId: string, viewer: Viewer): Promise<void> {
    await this.redis.hset(keys.instanceConnections(this.options.instanceId), connectionId, `${viewer.userId}\t${viewer.username}`);
  }

  async connectionClosed(connectionId: string): Promise<void> {
    await this.redis.multi().hdel(keys.instanceConnections(this.options.instanceId), connectionId).del(keys.connectionRooms(connectionId)).exec();
  }

  async enter(roomId: string, viewer: Viewer, connectionId: string) {
    const first = await this.redis.eval(
      ENTER,
      3,
      keys.userConnections(roomId, viewer.userId),
      keys.viewers(roomId),
      keys.connectionRooms(connectionId),
      connectionId,
      viewer.userId,
      viewer.username,
      roomId,
    );
    return { firstForUser: first === 1 };
  }

  async leave(roomId: string, userId: string, connectionId: string) {
    const last = await this.redis.eval(
      LEAVE,
      3,
      keys.userConnections(roomId, userId),
      keys.viewers(roomId),
      keys.connectionRooms(connectionId),
      connectionId,
      userId,
      roomId,
    );
    return { lastForUser: last === 1 };
  }

  async removeUser(roomId: string, userId: string) {
    const removed = await this.redis.eval(REMOVE_USER, 2, keys.userConnections(roomId, userId), keys.viewers(roomId), userId, roomId, `${P}conn-rooms:`);
    return { wasViewing: removed === 1 };
  }

  async clearRoom(roomId: string) {
    for (const userId of await this.redis.hkeys(keys.viewers(roomId))) await this.removeUser(roomId, userId);
  }

  async viewers(roomId: string): Promise<Viewer[]> {
    const all = await this.redis.hgetall(keys.viewers(roomId));
    return Object.entries(all).map(([userId, username]) => ({ userId, username }));
  }

  async roomsOf(connectionId: string): Promise<string[]> {
    return this.redis.smembers(keys.connectionRooms(connectionId));
  }

  /** Renews this process's liveness and sweeps up after dead ones, until stop(). */
  start(): void {
    const every = Math.max(200, Math.floor(this.options.livenessTtlMs / 3));
    const tick = () =>
      this.beat().catch((error: unknown) =>
        this.options.logger.warn({ err: error instanceof Error ? error.message : error }, 'viewer registry heartbeat failed'),
      );
    void tick();
    this.heartbeat = setInterval(tick, every).unref();
  }

  /** Stops the heartbeat and removes this process's connections (graceful shutdown). */
  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.reap(this.options.instanceId).catch(() => {});
  }

  private async beat(): Promise<void> {
    const { instanceId, livenessTtlMs } = this.options;
    await this.redis.multi().set(keys.instanceAlive(instanceId), '1', 'PX', livenessTtlMs).sadd(keys.instances, instanceId).exec();
    for (const other of await this.redis.smembers(keys.instances)) {
      if (other === instanceId || (await this.redis.exists(keys.instanceAlive(other)))) continue;
      // One survivor cleans up: whoever sets the reaping flag first.
      if ((await this.redis.set(keys.instanceReaping(other), instanceId, 'PX', livenessTtlMs * 2, 'NX')) !== 'OK') continue;
      await this.reap(other);
    }
  }

  private async reap(deadInstance: string): Promise<void> {
    const connections = await this.redis.hgetall(keys.instanceConnections(deadInstance));
    let departures = 0;
    for (const [connectionId, value] of Object.entries(connections)) {
      const [userId = '', username = ''] = value.split('\t');
      for (const roomId of await this.roomsOf(connectionId)) {
        const { lastForUser } = await this.leave(roomId, userId, connectionId);
        if (lastForUser) {
          departures++;
          this.options.onDeparted(roomId, { userId, username });
        }
      }
      await this.redis.del(keys.connectionRooms(connectionId));
    }
    await this.redis.multi().del(keys.instanceConnections(deadInstance)).srem(keys.instances, deadInstance).exec();
    if (deadInstance !== this.options.instanceId) {
      this.options.logger.warn({ deadInstance, connections: Object.keys(connections).length, departures }, 'cleared presence of a dead backend process');
    }
  }
}
