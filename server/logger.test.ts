// The log limiter: under a flood of failures only so many warning/error lines per second
// reach the output, then one summary line with the count dropped.
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } };
}

describe('error log limiter', () => {
  it('lets N warning/error lines through per second, then logs one summary with the count suppressed', async () => {
    const { lines, stream } = capture();
    const logger = createLogger('info', stream, { noisyLinesPerSecond: 5 });
    const child = logger.child({ module: 'flood' });
    for (let i = 0; i < 100; i++) (i % 2 ? logger : child).error({ i }, 'unhandled error');
    for (let i = 0; i < 10; i++) logger.warn('dependency unavailable');
    logger.info('info lines are never limited');
    expect(lines.filter((l) => l.level === 50)).toHaveLength(5);
    expect(lines.filter((l) => l.level === 30)).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const summaries = lines.filter((l) => typeof l.suppressedErrors === 'number');
    expect(summaries).toEqual([expect.objectContaining({ level: 50, suppressedErrors: 95, suppressedWarnings: 10, perSecond: 5 })]);

    // A new second, a new budget.
    logger.error('after the flood');
    expect(lines.at(-1)).toMatchObject({ level: 50, msg: 'after the flood' });
  });

  it('never holds back fatal lines', () => {
    const { lines, stream } = capture();
    const logger = createLogger('info', stream, { noisyLinesPerSecond: 1 });
    for (let i = 0; i < 3; i++) logger.fatal('dying');
    expect(lines).toHaveLength(3);
  });
});
