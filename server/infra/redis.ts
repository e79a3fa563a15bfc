// Redis connections for running several backend processes: one for commands (viewer
// registry, rate limits) and a publish/subscribe pair for the Socket.IO adapter.
// ioredis reconnects by itself; commands fail fast while Redis is away instead of
// queueing, so callers can refuse cleanly rather than hang.
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export interface RedisClients {
  commands: Redis;
  pub: Redis;
  sub: Redis;
  isReady(): boolean;
  close(): Promise<void>;
}

export async function connectRedis(url: string, logger: Logger): Promise<RedisClients> {
  const make = (role: string, queueWhileOffline: boolean) => {
    const client = new Redis(url, {
      lazyConnect: true,
      connectionName: `parley-${role}`,
      // Reconnect forever, backing off to 2 s between attempts.
      retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
      maxRetriesPerRequest: queueWhileOffline ? null : 1,
      enableOfflineQueue: queueWhileOffline,
    });
    let wasReady = false;
    client.on('ready', () => {
      if (wasReady) logger.info({ role }, 'redis reconnected');
      wasReady = true;
    });
    client.on('error', (error: Error) => logger.warn({ role, err: error.message }, 'redis error'));
    client.on('end', () => logger.warn({ role }, 'redis connection ended'));
    return client;
  };
  const commands = make('commands', false);
  // The adapter publishes without handling a rejection (an unhandled rejection would end
  // the process), so the publisher queues while Redis is away, like the subscriber, which
  // needs its queue to re-subscribe after a reconnect. Writes are refused meanwhile anyway.
  const pub = make('pub', true);
  const sub = make('sub', true);
  await Promise.all([commands.connect(), pub.connect(), sub.connect()]);
  return {
    commands,
    pub,
    sub,
    isReady: () => commands.status === 'ready' && pub.status === 'ready' && sub.status === 'ready',
    async close() {
      await Promise.allSettled([commands.quit(), pub.quit(), sub.quit()]);
    },
  };
}
