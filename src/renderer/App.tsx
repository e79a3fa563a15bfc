// Runs in: the renderer. The top of the view tree: starting, signed out, or signed in
// (the Shell, under the signed-in ChatSession).
import { lazy, Suspense } from 'react';
import { selectPhase, useSessionStore } from './stores/session';
import { Shell } from './components/shell/Shell';
import { ChatSessionContext, useClient } from './session/context';

// Loaded only when someone has to sign in: a restored session starts without it (and
// without the zod schemas its forms validate with).
const AuthScreen = lazy(() => import('./components/auth/AuthScreen').then((m) => ({ default: m.AuthScreen })));

export function App() {
  const phase = useSessionStore(selectPhase);
  // A new stored session (signing in) is a new ChatSession: re-read it then.
  useSessionStore((s) => s.session);
  const chat = useClient().session;
  if (phase === 'starting') return <Splash />;
  if (phase !== 'signed-in' || !chat) {
    return (
      <Suspense fallback={<Splash />}>
        <AuthScreen />
      </Suspense>
    );
  }
  return (
    <ChatSessionContext.Provider value={chat}>
      <Shell />
    </ChatSessionContext.Provider>
  );
}

function Splash() {
  return (
    <div className="splash" aria-busy="true">
      <span className="brand-mark brand-mark-large" aria-hidden="true">
        P
      </span>
      <p className="sr-only">Starting Parley…</p>
    </div>
  );
}
