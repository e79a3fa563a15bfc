import { Router } from '@koa/router';
import type { HealthResponse } from '../../../src/shared/contract.js';
import type { DependencyHealth } from '../../infra/dependencyHealth.js';
import type { RequestState } from '../requestState.js';

/** 200 while the database (and Redis, when used) answer; 503 naming what is down otherwise. */
export function healthRoutes(health: DependencyHealth): Router<RequestState> {
  const router = new Router<RequestState>();
  router.get('/health', async (ctx) => {
    const snapshot = await health.check();
    const ok = snapshot.database === 'up' && snapshot.redis !== 'down';
    const body: HealthResponse = { ok, ...snapshot };
    ctx.status = ok ? 200 : 503;
    ctx.body = body;
  });
  return router;
}
