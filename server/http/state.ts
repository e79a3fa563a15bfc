import type { ParameterizedContext } from 'koa';
import type { AuthContext } from '../services/auth.js';

/** What middleware leaves on ctx.state for the handlers after it. */
export interface AppState {
  auth: AuthContext;
}
export type AppContext = ParameterizedContext<AppState>;
