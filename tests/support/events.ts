// Waiting on socket pushes without sleeps: resolve on the first matching event, fail
// after a timeout; and asserting that something did NOT arrive within a window.
import type { ServerToClientEvents } from '../../src/shared/contract.js';
import type { ClientSocket } from './server.js';

type EventName = keyof ServerToClientEvents;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

export function nextEvent<E extends EventName>(
  socket: ClientSocket,
  event: E,
  match: (payload: Payload<E>) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Payload<E>> {
  return new Promise((resolve, reject) => {
    const listener = (payload: Payload<E>) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    socket.on(event, listener as never);
  });
}

/** Collects every payload of an event from now on; read `.items` later. */
export function collect<E extends EventName>(socket: ClientSocket, event: E): { items: Payload<E>[]; stop(): void } {
  const items: Payload<E>[] = [];
  const listener = (payload: Payload<E>) => items.push(payload);
  socket.on(event, listener as never);
  return { items, stop: () => socket.off(event, listener as never) };
}

/** emitWithAck with the contract's types. */
export function ask<T>(socket: ClientSocket, event: string, ...args: unknown[]): Promise<T> {
  return (socket.timeout(5000) as unknown as { emitWithAck(e: string, ...a: unknown[]): Promise<T> }).emitWithAck(event, ...args);
}
