// Whether this process may accept a change now. A change is refused up front, with
// service_unavailable, while it could not be stored (database down) or delivered to
// other processes (Redis down), and once a graceful shutdown has begun, so clients
// retry elsewhere instead of waiting on a write that hangs.
import { AppError } from '../domain/errors.js';
import type { DependencyHealth } from './dependencyHealth.js';

export class WriteGate {
  private closing = false;

  constructor(private readonly health: Pick<DependencyHealth, 'writable' | 'snapshot'>) {}

  /** From now on every change is refused (shutdown), so in-flight work can drain. */
  close(): void {
    this.closing = true;
  }

  /** Throws service_unavailable while changes cannot be stored and delivered. */
  require(): void {
    if (this.closing) throw new AppError('service_unavailable', 'This server is restarting; your app reconnects and retries by itself.');
    if (this.health.writable()) return;
    const { database } = this.health.snapshot();
    throw new AppError(
      'service_unavailable',
      database === 'down'
        ? 'Parley cannot save changes right now: the database is unreachable. Try again shortly.'
        : 'Parley cannot deliver changes right now: Redis is unreachable. Try again shortly.',
    );
  }
}
