// Runs in: the renderer. The top of the view tree: starting, signed out, or signed in
// (the Shell, under the signed-in ChatSession).
import { selectPhase, useSessionStore } from './stores/session';
import { AuthScreen } from './components/auth/AuthScreen';
import { Shell } from './components/shell/Shell';
import { ChatSessionContext, useClient } from './session/context';

export function App() {
  const phase = useSessionStore(selectPhase);
  // A new stored session (signing in) is a new ChatSession: re-read it then.
  useSessionStore((s) => s.session);
  const chat = useClient().session;
  if (phase === 'starting') {
    return (
      <div className="splash" aria-busy="true">
        <span className="brand-mark brand-mark-large" aria-hidden="true">
          P
        </span>
        <p className="sr-only">Starting Parley…</p>
      </div>
    );
  }
  if (phase !== 'signed-in' || !chat) return <AuthScreen />;
  return (
    <ChatSessionContext.Provider value={chat}>
      <Shell />
    </ChatSessionContext.Provider>
  );
}
