// The Koa application: hygiene headers, error shaping, the origin list and CORS, JSON
// bodies only with a size-capped parser, then the routes under /api. Every route
// module gets only the services it uses.
import { bodyParser } from '@koa/bodyparser';
import cors from '@koa/cors';
import { Router } from '@koa/router';
import Koa from 'koa';
import { AppError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import type { AuthService } from '../services/auth.js';
import type { MessageService } from '../services/messages.js';
import type { RoomService } from '../services/rooms.js';
import { errorHandler } from './middleware/errors.js';
import { jsonBodiesOnly, noSniffNoStore, refuseForeignOrigins } from './middleware/hygiene.js';
import type { DependencyHealth } from '../infra/dependencyHealth.js';
import type { InFlight } from '../infra/inFlight.js';
import type { UsageLimits } from '../infra/limits.js';
import type { WorkBound } from '../infra/workBound.js';
import type { AuthLimiters } from './middleware/rateLimit.js';
import { boundDatabaseWork } from './middleware/workBound.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { roomRoutes } from './routes/rooms.js';
import type { RequestState } from './requestState.js';

export interface HttpDeps {
  health: DependencyHealth;
  inFlight: InFlight;
  /** Throws service_unavailable while changes cannot be stored and delivered. */
  requireWritable(): void;
  logger: Logger;
  auth: AuthService;
  rooms: RoomService;
  messages: MessageService;
  limiters: AuthLimiters;
  /** Per-user budgets for sends, room creation and room changes. */
  limits: UsageLimits;
  /** The process's bound on database work in flight. */
  workBound: WorkBound;
  /** Browser origins allowed to call the API (requests without an Origin header always are). */
  corsOrigins: readonly string[];
  trustProxy: boolean;
}

/** Bodies are small JSON documents; the largest legal one is a 4000-character message. */
const JSON_LIMIT = '64kb';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createKoaApp(deps: HttpDeps): Koa<RequestState> {
  // maxIpsCount 1: the client IP is the address our proxy added, never one the client wrote.
  const app = new Koa<RequestState>({ proxy: deps.trustProxy, maxIpsCount: 1 });
  app.silent = true; // errorHandler logs what matters
  app.use(requestLog(deps.logger));
  app.use(noSniffNoStore());
  app.use(errorHandler(deps.logger));
  app.use(refuseForeignOrigins(deps.corsOrigins));
  app.use(
    cors({
      // Only allowed origins get this far (or none at all: a native client, which ignores CORS).
      origin: (ctx) => ctx.get('origin'),
      allowHeaders: ['Authorization', 'Content-Type'],
      exposeHeaders: ['Retry-After'],
      maxAge: 600,
    }),
  );
  // After CORS (a refusal must be readable by the browser), before parsing the body.
  app.use(boundDatabaseWork(deps.workBound));
  app.use(jsonBodiesOnly());
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: JSON_LIMIT, encoding: 'utf-8' }));
  app.use(async (ctx, next) => {
    if (SAFE_METHODS.has(ctx.method)) return next();
    // A change is refused up front while it could not be stored or delivered, and
    // counted while in progress so a graceful shutdown lets it finish.
    deps.requireWritable();
    await deps.inFlight.track(next);
  });

  const api = new Router<RequestState>({ prefix: '/api' });
  for (const routes of [healthRoutes(deps.health), authRoutes(deps.auth, deps.limiters), roomRoutes(deps.auth, deps.rooms, deps.messages, deps.limits)]) {
    api.use(routes.routes());
  }
  app.use(api.routes());
  // After the routes, at the top: a router skips its own middleware when no route matches
  // path and method, so nested inside `api` this never ran and a wrong method got a 404.
  // A method no route knows (PROPFIND) is a 405 too, not an unexplained 501.
  app.use(
    api.allowedMethods({
      throw: true,
      notImplemented: () => new AppError('method_not_allowed', 'That method is not supported here.'),
    }),
  );
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
