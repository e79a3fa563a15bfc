// Wraps a socket event handler: validates the payload against the contract, runs the
// handler, and always answers the ack with `{ok:true,...}` or `{ok:false,error}`.
// Nothing a client sends can throw out of here.
import type { z } from 'zod';
import { fieldErrors, type Ack } from '../../src/shared/contract.js';
import { hasTextIssue } from '../../src/shared/text.js';
import { toErrorResponse } from '../errorResponse.js';
import type { Logger } from '../logger.js';

type AckFn = (answer: Ack<object>) => void;

export function handleEvent<S extends z.ZodType, R extends object>(
  event: string,
  schema: S,
  logger: Logger,
  handler: (payload: z.infer<S>) => Promise<R>,
): (...args: unknown[]) => void {
  return (...args) => {
    const last = args[args.length - 1];
    const ack: AckFn = typeof last === 'function' ? (last as AckFn) : () => {};
    // emit('event', ack) arrives with the ack where the payload should be.
    const payload = typeof args[0] === 'function' ? undefined : args[0];
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const fields = fieldErrors(parsed.error);
      const code = hasTextIssue(parsed.error) ? 'invalid_text' : 'validation_failed';
      const detail = Object.entries(fields)
        .map(([field, message]) => (field === '_' ? message : `${field}: ${message}`))
        .join('; ');
      ack({ ok: false, error: { code, message: `Invalid ${event} payload: ${detail}`, fields } });
      return;
    }
    handler(parsed.data).then(
      (result) => ack({ ok: true, ...result }),
      (error: unknown) => ack({ ok: false, error: toErrorResponse(error, logger, { event }).error }),
    );
  };
}
