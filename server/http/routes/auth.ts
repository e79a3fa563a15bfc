import { Router } from '@koa/router';
import { loginBody, registerBody, type MeResponse } from '../../../src/shared/contract.js';
import type { AuthService } from '../../services/auth.js';
import { presentUser } from '../../services/presenters.js';
import type { AuthLimiters } from '../middleware/rateLimit.js';
import { requireSession } from '../middleware/authenticate.js';
import type { RequestState } from '../requestState.js';
import { parseInput } from '../validate.js';

export function authRoutes(auth: AuthService, limiters: AuthLimiters): Router<RequestState> {
  const router = new Router<RequestState>();

  router.post('/auth/register', async (ctx) => {
    await limiters.register(ctx.ip);
    const body = parseInput(registerBody, ctx.request.body);
    ctx.status = 201;
    ctx.body = await auth.register(body);
  });

  // The login budgets need the account the login names, so AuthService applies them.
  router.post('/auth/login', async (ctx) => {
    const body = parseInput(loginBody, ctx.request.body);
    ctx.body = await auth.login(body, limiters.loginFrom(ctx.ip));
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
