// Registration, login, logout and turning a bearer token back into a user.
import type { AuthResponse, LoginBody, RegisterBody } from '../../src/shared/contract.js';
import { AppError } from '../domain/errors.js';
import type { User } from '../persistence/users.js';
import type { SessionEvents } from './events.js';
import type { SessionStore, UserStore } from './ports.js';
import { presentUser } from './presenters.js';
import { decoyPasswordHash, hashPassword, hashSessionToken, newSessionToken, verifyPassword } from './secrets.js';

/** The login budgets of one attempt (http/middleware/rateLimit.ts), keyed by the account the login names. */
export interface LoginGuard {
  /** Before the password is checked: refuses with rate_limited, or makes the attempt wait, and reserves it. */
  admit(accountKey: string): Promise<void>;
  /** After: a failed attempt keeps what it reserved; anything else gives it back. */
  settle(accountKey: string, failed: boolean): Promise<void>;
}

const NO_LIMITS: LoginGuard = { admit: async () => {}, settle: async () => {} };

export interface AuthContext {
  user: User;
  tokenHash: string;
  expiresAt: Date;
}

const conflictError = (field: 'username' | 'email') =>
  field === 'username'
    ? new AppError('username_taken', 'That username is already taken.', { username: 'already taken' })
    : new AppError('email_taken', 'An account with that email already exists.', { email: 'already registered' });

export class AuthService {
  constructor(
    private readonly users: Omit<UserStore, 'findByUsername'>,
    private readonly sessions: SessionStore,
    private readonly events: SessionEvents,
    private readonly sessionTtlMs: number,
  ) {}

  async register(input: RegisterBody): Promise<AuthResponse> {
    // Checked first so the common case fails fast without hashing; the unique indexes settle races.
    const early = await this.users.conflictFor(input.username, input.email);
    if (early) throw conflictError(early);
    const passwordHash = await hashPassword(input.password);
    const created = await this.users.create({ username: input.username, email: input.email, passwordHash });
    if (!created.ok) throw conflictError(created.conflict);
    return this.startSession(created.user);
  }

  async login(input: LoginBody, guard: LoginGuard = NO_LIMITS): Promise<AuthResponse> {
    const user = await this.users.findByLogin(input.login);
    // One budget per account whichever name was typed; a login naming nobody is budgeted by
    // what was typed, through the same steps, so the answers do not tell the two apart.
    const accountKey = user ? `user:${user.id}` : `login:${input.login.toLowerCase()}`;
    await guard.admit(accountKey);
    let failed = false;
    try {
      const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), input.password);
      failed = !user || !valid;
    } finally {
      await guard.settle(accountKey, failed);
    }
    if (!user || failed) throw new AppError('invalid_credentials', 'Wrong username, email or password.');
    return this.startSession(user);
  }

  async logout(auth: AuthContext): Promise<void> {
    await this.sessions.delete(auth.tokenHash);
    this.events.sessionEnded(auth.tokenHash, 'logged_out');
  }

  /** The session behind a bearer token, or a 401 that says why. */
  async authenticate(token: string | undefined): Promise<AuthContext> {
    if (!token) throw new AppError('unauthenticated', 'Sign in first.');
    const tokenHash = hashSessionToken(token);
    const session = await this.sessions.findActive(tokenHash, new Date());
    if (!session) throw new AppError('session_expired', 'Your session has ended. Sign in again.');
    const user = await this.users.findById(session.userId);
    if (!user) throw new AppError('session_expired', 'Your session has ended. Sign in again.');
    return { user, tokenHash, expiresAt: session.expiresAt };
  }

  /** Whether the session behind a token hash is still live (a socket checks again after joining its channel). */
  async isSessionActive(tokenHash: string): Promise<boolean> {
    return (await this.sessions.findActive(tokenHash, new Date())) !== null;
  }

  sweepExpiredSessions(): Promise<number> {
    return this.sessions.deleteExpired(new Date());
  }

  private async startSession(user: User): Promise<AuthResponse> {
    const token = newSessionToken();
    const expiresAt = new Date(Date.now() + this.sessionTtlMs);
    await this.sessions.create(hashSessionToken(token), user.id, expiresAt);
    return { token, expiresAt: expiresAt.toISOString(), user: presentUser(user) };
  }
}
