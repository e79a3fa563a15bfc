// Wraps a socket event handler: validates the payload against the contract, runs the
// handler, and always answers the ack with `{ok:true,...}` or `{ok:false,error}`.
// Nothing a client sends can throw out of here. Keyed by the event's name, so the
// schema, the handler's payload and its answer are checked against the contract's
// ClientToServerEvents.
import type { z } from 'zod';
import { fieldErrors, type Ack, type ClientToServerEvents } from '../../src/shared/contract.js';
import { hasTextIssue } from '../../src/shared/text.js';
import { toErrorResponse } from '../errorResponse.js';
import type { Logger } from '../logger.js';

export type ClientEvent = keyof ClientToServerEvents;
/** What the client sends with the event. */
export type EventPayload<E extends ClientEvent> = Parameters<ClientToServerEvents[E]>[0];
type AnswerOf<E extends ClientEvent> = NonNullable<Parameters<ClientToServerEvents[E]>[1]> extends (answer: infer A) => void ? A : never;
/** What the handler resolves to: the ack's success answer without `ok`. */
export type EventAnswer<E extends ClientEvent> = Omit<Extract<AnswerOf<E>, { ok: true }>, 'ok'>;

export function handleEvent<E extends ClientEvent>(
  event: E,
  schema: z.ZodType<EventPayload<E>>,
  logger: Logger,
  handler: (payload: EventPayload<E>) => Promise<EventAnswer<E>>,
): ClientToServerEvents[E] {
  // What arrives on the wire is whatever the client sent, so the listener takes anything
  // and checks it; its type toward Socket.IO is the contract's.
  const listener = (...args: unknown[]): void => {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as (answer: Ack<object>) => void) : () => {};
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
  return listener as ClientToServerEvents[E];
}
