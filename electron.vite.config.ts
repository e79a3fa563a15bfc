// Build of the desktop app (electron-vite): main process, preload and renderer.
//   main      src/main/index.ts    -> out/main/index.js   (ES module; package.json "main")
//   preload   src/preload/index.ts -> out/preload/index.cjs (CommonJS: a sandboxed preload
//             cannot be an ES module, and must be one self-contained file)
//   renderer  src/renderer (its index.html) -> out/renderer, served at app://parley/
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { devCsp } from './src/renderer/devCsp';
import { preloadViews } from './src/renderer/preloadViews';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      lib: { entry: resolve('src/main/index.ts'), formats: ['es'], fileName: () => 'index.js' },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Bundle everything: a sandboxed preload can require only 'electron' and a few builtins.
      externalizeDeps: false,
      lib: { entry: resolve('src/preload/index.ts'), formats: ['cjs'], fileName: () => 'index.cjs' },
    },
  },
  renderer: {
    root: 'src/renderer',
    // devCsp loosens index.html's CSP for `electron-vite dev` only (React Refresh needs inline script).
    plugins: [react(), devCsp(), preloadViews()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: resolve('src/renderer/index.html') },
    },
  },
});
