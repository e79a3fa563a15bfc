import type { ParameterizedContext } from 'koa';
import type { AuthContext } from '../services/auth.js';

/** What middleware leaves on ctx.state for the handlers after it. */
export interface RequestState {
  auth: AuthContext;
}
export type RequestContext = ParameterizedContext<RequestState>;
