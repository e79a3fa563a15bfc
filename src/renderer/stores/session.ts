// Runs in: the renderer. Who is signed in, and why the sign-in screen is showing.
import { create } from 'zustand';
import type { StoredSession } from '../../shared/bridge';

export type AuthPhase = 'starting' | 'signed-out' | 'signed-in';

export const SESSION_ENDED_NOTICE = 'Your session has ended. Sign in again.';

interface SessionState {
  phase: AuthPhase;
  session: StoredSession | null;
  /** Why the sign-in screen is showing (an ended session), shown in role "alert". */
  notice: string | null;
  signedIn(session: StoredSession): void;
  signedOut(notice?: string | null): void;
  clearNotice(): void;
}

export const useSessionStore = create<SessionState>()((set) => ({
  phase: 'starting',
  session: null,
  notice: null,
  signedIn: (session) => set({ phase: 'signed-in', session, notice: null }),
  signedOut: (notice = null) => set({ phase: 'signed-out', session: null, notice }),
  clearNotice: () => set({ notice: null }),
}));

export const selectPhase = (s: SessionState) => s.phase;
export const selectSelfId = (s: SessionState) => s.session?.user.id ?? null;
export const selectSelfName = (s: SessionState) => s.session?.user.username ?? '';
export const selectSessionNotice = (s: SessionState) => s.notice;
