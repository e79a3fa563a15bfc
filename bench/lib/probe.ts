// Preloaded (node --import) into every server process the benchmark starts, Parley's
// server/main.ts included, so the server code needs no debug endpoint: answers IPC
// requests from the harness with heap figures (after a full GC when --expose-gc is
// given) and event-loop lag. Only the benchmark loads this file.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();

interface ProbeRequest {
  probe: 'memory' | 'lag';
  id: number;
}

if (process.send) {
  process.on('message', (raw: unknown) => {
    const request = raw as ProbeRequest;
    if (!request || typeof request !== 'object' || !('probe' in request)) return;
    if (request.probe === 'memory') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      const m = process.memoryUsage();
      process.send!({ id: request.id, heapUsed: m.heapUsed, rss: m.rss, external: m.external, gc: Boolean(gc) });
    } else if (request.probe === 'lag') {
      process.send!({ id: request.id, p50: lag.percentile(50) / 1e6, p99: lag.percentile(99) / 1e6, max: lag.max / 1e6 });
      lag.reset();
    }
  });
  // The IPC channel must not keep a server alive that is otherwise done.
  process.channel?.unref();
}
