// AuthService on in-memory fakes: sessions start, are checked, and end with an
// announcement on the SessionEvents port (and on nothing else).
import { describe, expect, it } from 'vitest';
import { AuthService } from './auth.js';
import { FakeSessionStore, FakeUserStore, RecordingSessionEvents } from './testing/fakes.js';

const DAY = 24 * 60 * 60 * 1000;

function setup(ttlMs = DAY) {
  const users = new FakeUserStore();
  const sessions = new FakeSessionStore();
  const events = new RecordingSessionEvents();
  return { auth: new AuthService(users, sessions, events, ttlMs), users, sessions, events };
}

describe('AuthService', () => {
  it('registers, then logs in by username or email, each login a session of its own', async () => {
    const { auth, sessions } = setup();
    const registered = await auth.register({ username: 'ann', email: 'ann@example.test', password: 'correct horse' });
    const byEmail = await auth.login({ login: 'ANN@example.test', password: 'correct horse' });
    expect(byEmail.user).toEqual(registered.user);
    expect(byEmail.token).not.toBe(registered.token);
    expect(sessions.sessions.size).toBe(2);
    expect((await auth.authenticate(byEmail.token)).user.username).toBe('ann');
  });

  it('refuses a taken username and a wrong password with the contract codes', async () => {
    const { auth } = setup();
    await auth.register({ username: 'ann', email: 'ann@example.test', password: 'correct horse' });
    await expect(auth.register({ username: 'ANN', email: 'other@example.test', password: 'correct horse' })).rejects.toMatchObject({ code: 'username_taken' });
    await expect(auth.login({ login: 'ann', password: 'wrong horse' })).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(auth.login({ login: 'nobody', password: 'wrong horse' })).rejects.toMatchObject({ code: 'invalid_credentials' });
  });

  it('logging out ends the session and announces it once', async () => {
    const { auth, events } = setup();
    const { token } = await auth.register({ username: 'ann', email: 'ann@example.test', password: 'correct horse' });
    const context = await auth.authenticate(token);
    await auth.logout(context);
    expect(events.ended).toEqual([{ tokenHash: context.tokenHash, reason: 'logged_out' }]);
    await expect(auth.authenticate(token)).rejects.toMatchObject({ code: 'session_expired' });
    expect(await auth.isSessionActive(context.tokenHash)).toBe(false);
  });

  it('sweeps expired sessions and refuses them', async () => {
    const { auth } = setup(-1);
    const { token } = await auth.register({ username: 'ann', email: 'ann@example.test', password: 'correct horse' });
    await expect(auth.authenticate(token)).rejects.toMatchObject({ code: 'session_expired' });
    expect(await auth.sweepExpiredSessions()).toBe(1);
  });
});
