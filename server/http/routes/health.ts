import { Router } from '@koa/router';
import type { Db } from 'mongodb';
import type { HealthResponse } from '../../../src/shared/contract.js';
import type { AppState } from '../state.js';

/** 200 once the database answers a ping, 503 while it does not. */
export function healthRoutes(db: Db): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/health', async (ctx) => {
    let body: HealthResponse;
    try {
      await db.command({ ping: 1 }, { timeoutMS: 2000 });
      body = { ok: true };
    } catch {
      ctx.status = 503;
      body = { ok: false };
    }
    ctx.body = body;
  });
  return router;
}
