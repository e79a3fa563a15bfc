import type { Middleware } from 'koa';
import type { AuthService } from '../../services/auth.js';
import type { RequestState } from '../requestState.js';

/** `Bearer <token>`: the scheme name is case-insensitive (RFC 9110, 11.1), the token is ours (base64url). */
const BEARER = /^bearer +([A-Za-z0-9_-]{1,512})$/i;

/** Requires `Authorization: Bearer <token>` naming a live session; puts it on ctx.state.auth. */
export function requireSession(auth: AuthService): Middleware<RequestState> {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const match = BEARER.exec(header);
    ctx.state.auth = await auth.authenticate(match?.[1]);
    await next();
  };
}
