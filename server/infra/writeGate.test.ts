// The write gate: changes are refused while the database or Redis is down, and for good
// once a graceful shutdown has begun.
import { describe, expect, it } from 'vitest';
import type { HealthSnapshot } from './dependencyHealth.js';
import { WriteGate } from './writeGate.js';

function gate(snapshot: HealthSnapshot) {
  const health = { writable: () => snapshot.database === 'up' && snapshot.redis !== 'down', snapshot: () => snapshot };
  return new WriteGate(health);
}

describe('WriteGate', () => {
  it('lets changes through while every dependency is up', () => {
    expect(() => gate({ database: 'up', redis: 'up' }).require()).not.toThrow();
  });

  it('refuses with service_unavailable naming what is down', () => {
    expect(() => gate({ database: 'down' }).require()).toThrow(
      expect.objectContaining({ code: 'service_unavailable', message: expect.stringMatching(/database/) }),
    );
    expect(() => gate({ database: 'up', redis: 'down' }).require()).toThrow(
      expect.objectContaining({ code: 'service_unavailable', message: expect.stringMatching(/Redis/) }),
    );
  });

  it('refuses everything once closed for shutdown', () => {
    const closing = gate({ database: 'up' });
    closing.close();
    expect(() => closing.require()).toThrow(expect.objectContaining({ code: 'service_unavailable', message: expect.stringMatching(/restarting/) }));
  });
});
