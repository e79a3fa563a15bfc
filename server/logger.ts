// Structured JSON logs (pino). Anything that could carry a secret is redacted at the
// root so no call site can leak a password or token by accident. Warnings and errors
// are rate-limited: a flood of failing requests must not become a flood of log lines.
import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** Warning and error lines let through per second; beyond that, one summary line says how many were dropped. */
  noisyLinesPerSecond?: number;
}

const DEFAULT_NOISY_LINES_PER_SECOND = 20;
const WARN = 40;
const ERROR = 50;
const FATAL = 60;
const WINDOW_MS = 1000;

export function createLogger(level: string, destination?: pino.DestinationStream, options: LoggerOptions = {}): Logger {
  const throttle = new NoisyLineThrottle(options.noisyLinesPerSecond ?? DEFAULT_NOISY_LINES_PER_SECOND);
  const logger = pino(
    {
      level,
      base: { service: 'parley-server' },
      redact: {
        paths: [
          'password',
          '*.password',
          'token',
          '*.token',
          'authorization',
          '*.authorization',
          'headers.authorization',
          'req.headers.authorization',
          'auth.token',
        ],
        censor: '[redacted]',
      },
      // Applies to every child logger too, so all call sites share one budget.
      hooks: {
        logMethod(args, method, lineLevel) {
          if (throttle.admit(lineLevel)) method.apply(this, args);
        },
      },
    },
    destination,
  );
  throttle.reportTo(logger);
  return logger;
}

/**
 * Lets `perSecond` warning/error lines through per one-second window (fatal always
 * passes); the rest are counted, and when the window ends one summary line reports
 * how many were dropped.
 */
class NoisyLineThrottle {
  private windowStart = 0;
  private used = 0;
  private droppedErrors = 0;
  private droppedWarnings = 0;
  private summaryTimer: NodeJS.Timeout | undefined;
  private summarising = false;
  private logger: Logger | undefined;

  constructor(private readonly perSecond: number) {}

  reportTo(logger: Logger): void {
    this.logger = logger;
  }

  admit(level: number): boolean {
    if (this.summarising || level < WARN || level >= FATAL) return true;
    const now = Date.now();
    if (now - this.windowStart >= WINDOW_MS) {
      this.windowStart = now;
      this.used = 0;
    }
    if (this.used < this.perSecond) {
      this.used++;
      return true;
    }
    if (level >= ERROR) this.droppedErrors++;
    else this.droppedWarnings++;
    this.summaryTimer ??= setTimeout(() => this.summarise(), this.windowStart + WINDOW_MS - now).unref();
    return false;
  }

  private summarise(): void {
    this.summaryTimer = undefined;
    const summary = { suppressedErrors: this.droppedErrors, suppressedWarnings: this.droppedWarnings, perSecond: this.perSecond };
    this.droppedErrors = 0;
    this.droppedWarnings = 0;
    this.summarising = true;
    try {
      const message = 'log lines suppressed: too many warnings and errors in one second';
      if (summary.suppressedErrors > 0) this.logger?.error(summary, message);
      else this.logger?.warn(summary, message);
    } finally {
      this.summarising = false;
    }
  }
}
