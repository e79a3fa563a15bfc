// Structured JSON logs (pino). Anything that could carry a secret is redacted at the
// root so no call site can leak a password or token by accident.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'parley-server' },
      redact: {
        paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization', 'auth.token'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
