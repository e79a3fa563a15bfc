// Starts the stack for the browser tests once per run and hands its URLs to the test
// workers through the environment; the returned function is the teardown. Quiet unless
// E2E_VERBOSE is set, so the list reporter's summary stays the last line of output.
import { startStack } from './stack.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const verbose = !!process.env.E2E_VERBOSE;
  const stack = await startStack({ log: verbose ? (line) => console.log(line) : undefined, keepWorkDir: verbose });
  process.env.PARLEY_E2E_API_URL = stack.apiUrl;
  process.env.PARLEY_E2E_WEB_URL = stack.webUrl;
  return () => stack.stop();
}
