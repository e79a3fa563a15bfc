import type { Middleware } from 'koa';
import type { WorkBound } from '../../infra/workBound.js';

/**
 * Counts each API request against the process's database-work bound; beyond it the
 * request is answered `503 overloaded` at once. The health check is exempt: it pings
 * over a connection of its own and must answer under load.
 */
export function boundDatabaseWork(bound: WorkBound): Middleware {
  return (ctx, next) => (ctx.path === '/api/health' ? next() : bound.run(next));
}
