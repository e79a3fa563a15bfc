// Runs in: the renderer. The top of the view tree: starting, signed out, or signed in.
import { selectPhase, useSessionStore } from './stores/session';
import { AuthScreen } from './components/auth/AuthScreen';
import { Shell } from './components/shell/Shell';

export function App() {
  const phase = useSessionStore(selectPhase);
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
  return phase === 'signed-in' ? <Shell /> : <AuthScreen />;
}
