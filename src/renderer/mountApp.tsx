// Runs in: the renderer. The views, loaded by main.tsx beside the session's start: React
// renders whatever the session has by then (usually the cached room list already).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import type { ParleyClient } from './session/client';
import { ClientContext } from './session/context';

export function mountApp(root: HTMLElement, client: ParleyClient): void {
  createRoot(root).render(
    <StrictMode>
      <ClientContext.Provider value={client}>
        <App />
      </ClientContext.Provider>
    </StrictMode>,
  );
}
