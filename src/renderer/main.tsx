// Runs in: the renderer (Electron window or browser tab). The entry: in a browser there is
// no preload, so the web bridge stands in for window.parley. The session starts first
// (stored session, the cached room list read from local data, the connection), and the
// views are loaded beside it: React and the components are most of the code, and
// evaluating them while local data is read lets the first render show the room list.
import { getBridge } from './platform/bridge';
import { createWebBridge } from './platform/webBridge';
import { ParleyClient } from './session/client';
import './styles/app.css';

if (!window.parley) window.parley = createWebBridge();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
const client = new ParleyClient(getBridge());
void client.boot();
void import('./mountApp').then(({ mountApp }) => {
  mountApp(root, client);
});
