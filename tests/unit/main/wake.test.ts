import { describe, expect, it } from 'vitest';
import { WakeMonitor, type WakeReason } from '../../../src/main/wake.js';

function setup() {
  let now = 0;
  const woken: WakeReason[] = [];
  const monitor = new WakeMonitor({ emit: (reason) => woken.push(reason), now: () => now, minIntervalMs: 2000 });
  return { monitor, woken, advance: (ms: number) => (now += ms) };
}

describe('wake-up signal', () => {
  it('wakes the page when the machine resumes', () => {
    const { monitor, woken } = setup();
    monitor.resumed();
    expect(woken).toEqual(['resume']);
  });

  it('wakes when the network goes from offline to online, not on every online poll', () => {
    const { monitor, woken, advance } = setup();
    monitor.networkStatus(true);
    advance(5000);
    monitor.networkStatus(true);
    expect(woken).toEqual([]);
    monitor.networkStatus(false);
    advance(5000);
    monitor.networkStatus(true);
    expect(woken).toEqual(['online']);
  });

  it("wakes on the page's online event", () => {
    const { monitor, woken } = setup();
    monitor.pageOnline();
    expect(woken).toEqual(['online']);
  });

  it('merges signals that arrive together (resume, then the network) into one wake', () => {
    const { monitor, woken, advance } = setup();
    monitor.networkStatus(false);
    monitor.resumed();
    advance(500);
    monitor.networkStatus(true);
    monitor.pageOnline();
    expect(woken).toEqual(['resume']);
    advance(2000);
    monitor.resumed();
    expect(woken).toEqual(['resume', 'resume']);
  });
});
