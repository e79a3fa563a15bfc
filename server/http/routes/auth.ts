import { Router } from '@koa/router';
import { loginBody, registerBody, type MeResponse } from '../../../src/shared/contract.js';
import type { AuthService } from '../../services/auth.js';
import { presentUser } from '../../services/presenters.js';
import { consume, limitByIp, type AuthLimiters } from '../middleware/rateLimit.js';
import { requireSession } from '../middleware/authenticate.js';
import type { AppState } from '../state.js';
import { parseInput } from '../validate.js';

export function authRoutes(auth: AuthService, limiters: AuthLimiters): Router<AppState> {
  const router = new Router<AppState>();
  const perIp = limitByIp(limiters.ip);

  router.post('/auth/register', perIp, async (ctx) => {
    const body = parseInput(registerBody, ctx.request.body);
    await consume(limiters.account, `register:${body.username.toLowerCase()}`, (n, v) => ctx.set(n, v));
    ctx.status = 201;
    ctx.body = await auth.register(body);
  });

  router.post('/auth/login', perIp, async (ctx) => {
    const body = parseInput(loginBody, ctx.request.body);
    await consume(limiters.account, `login:${body.login.toLowerCase()}`, (n, v) => ctx.set(n, v));
    ctx.body = await auth.login(body);
  });

  router.post('/auth/logout', requireSession(auth), async (ctx) => {
    await auth.logout(ctx.state.auth);
    ctx.status = 204;
  });

  router.get('/me', requireSession(auth), (ctx) => {
    const body: MeResponse = { user: presentUser(ctx.state.auth.user) };
    ctx.body = body;
  });

  return router;
}
