// Runs in: the Node process of tests/desktop/startup.test.ts, first (`node --import tsx
// --import ./tests/desktop/useStandIn.ts out/main/index.js`). Sends every import of
// 'electron', main's and its dependencies' (electron-store), to the recording stand-in.
import { register } from 'node:module';

const standIn = new URL('./electronStandIn.ts', import.meta.url).href;
const hooks = `export async function resolve(specifier, context, next) {
  return next(specifier === 'electron' ? ${JSON.stringify(standIn)} : specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
