// The Koa application: error shaping, CORS, a size-capped JSON body parser, then the
// routes under /api. Every route module gets only the services it uses.
import { bodyParser } from '@koa/bodyparser';
import cors from '@koa/cors';
import { Router } from '@koa/router';
import Koa from 'koa';
import type { Db } from 'mongodb';
import type { Logger } from '../logger.js';
import type { AuthService } from '../services/auth.js';
import type { MessageService } from '../services/messages.js';
import type { RoomService } from '../services/rooms.js';
import { errorHandler } from './middleware/errors.js';
import type { AuthRateLimits } from './middleware/rateLimit.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { roomRoutes } from './routes/rooms.js';
import type { AppState } from './state.js';

export interface HttpDeps {
  db: Db;
  logger: Logger;
  auth: AuthService;
  rooms: RoomService;
  messages: MessageService;
  rateLimits: AuthRateLimits;
  corsOrigins: string[] | undefined;
  trustProxy: boolean;
}

/** Bodies are small JSON documents; the largest legal one is a 4000-character message. */
const JSON_LIMIT = '64kb';

export function createHttpApp(deps: HttpDeps): Koa<AppState> {
  const app = new Koa<AppState>({ proxy: deps.trustProxy });
  app.silent = true; // errorHandler logs what matters
  app.use(requestLog(deps.logger));
  app.use(errorHandler(deps.logger));
  app.use(
    cors({
      origin: (ctx) => {
        const origin = ctx.get('origin');
        if (!deps.corsOrigins) return origin || '*';
        return deps.corsOrigins.includes(origin) ? origin : '';
      },
      allowHeaders: ['Authorization', 'Content-Type'],
      maxAge: 600,
    }),
  );
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: JSON_LIMIT, encoding: 'utf-8' }));

  const api = new Router<AppState>({ prefix: '/api' });
  for (const routes of [healthRoutes(deps.db), authRoutes(deps.auth, deps.rateLimits), roomRoutes(deps.auth, deps.rooms, deps.messages)]) {
    api.use(routes.routes(), routes.allowedMethods({ throw: true }));
  }
  app.use(api.routes());
  return app;
}

function requestLog(logger: Logger): Koa.Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      // Path only: query strings and bodies may carry data that does not belong in logs.
      logger.debug({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'http');
    }
  };
}
