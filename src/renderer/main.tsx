// Runs in: the renderer (Electron window or browser tab). The entry: in a browser there is
// no preload, so the web bridge stands in for window.parley; then the app starts.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { getBridge } from './platform/bridge';
import { createWebBridge } from './platform/webBridge';
import { ParleyClient } from './session/client';
import { ClientContext } from './session/context';
import './styles/app.css';

if (!window.parley) window.parley = createWebBridge();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
const client = new ParleyClient(getBridge());
createRoot(root).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <App />
    </ClientContext.Provider>
  </StrictMode>,
);
void client.boot();
