// Runs in: Node (Vite). The web build of the renderer: src/renderer/index.html -> dist/web.
// The same renderer runs in Electron (electron.vite.config.ts); in a browser the entry
// installs the web bridge because there is no preload.
// VITE_DEFAULT_SERVER_URL (environment, at build time) sets the sign-in form's default server.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { devCsp } from './src/renderer/devCsp';
import { preloadViews } from './src/renderer/preloadViews';

const root = fileURLToPath(new URL('./src/renderer', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react(), devCsp(), preloadViews()],
  // Vite reads VITE_* from the environment and from .env files here (none are committed).
  envDir: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  preview: {
    host: '127.0.0.1',
  },
});
