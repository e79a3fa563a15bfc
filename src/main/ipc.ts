// Runs in: the Electron main process (pure: registers on an IpcMain-like object).
// Main's side of the IPC contract (src/shared/ipc.ts). Every channel has a handler whose
// type comes from the contract and a zod validator (src/main/schemas.ts); a message is
// handled only if it comes from our window's top frame showing our page and its
// arguments validate. Anything else is refused and logged, never trusted.
import type { InvokeChannel, InvokeChannels, SendChannel, SendChannels } from '../shared/ipc.js';
import type { Logger } from './log.js';
import { isAppPage } from './links.js';
import { invokeArgs, sendArgs } from './schemas.js';

/** What main needs to know about who sent a message (a subset of IpcMainEvent). */
export interface IpcSenderEvent {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

/** The parts of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => unknown): void;
  on(channel: string, listener: (event: IpcSenderEvent, ...args: unknown[]) => void): void;
}

export type InvokeHandlers = {
  [C in InvokeChannel]: (...args: InvokeChannels[C]['args']) => InvokeChannels[C]['result'] | Promise<InvokeChannels[C]['result']>;
};
export type SendHandlers = { [C in SendChannel]: (...args: SendChannels[C]['args']) => void };

export interface IpcOptions {
  isTrustedSender(event: IpcSenderEvent): boolean;
  invoke: InvokeHandlers;
  send: SendHandlers;
  log: Logger;
}

/** Our window's webContents, its top frame (not an iframe), showing the app's page. */
export function isTrustedSender(event: IpcSenderEvent, expected: { webContents: unknown; pageOrigin: string }): boolean {
  const frame = event.senderFrame;
  return (
    expected.webContents !== undefined &&
    event.sender === expected.webContents &&
    frame !== null &&
    frame.parent === null &&
    isAppPage(frame.url, expected.pageOrigin)
  );
}

export function registerIpc(ipc: IpcMainLike, options: IpcOptions): void {
  const { log } = options;
  for (const channel of Object.keys(invokeArgs) as InvokeChannel[]) {
    const schema = invokeArgs[channel];
    const handler = options.invoke[channel] as (...args: unknown[]) => unknown;
    ipc.handle(channel, (event, ...args) => {
      if (!options.isTrustedSender(event)) {
        log.warn(`refused ${channel} from an untrusted sender (${event.senderFrame?.url ?? 'no frame'})`);
        throw new Error('refused');
      }
      const parsed = schema.safeParse(args);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const reason = issue ? `${issue.path.length > 0 ? `argument ${issue.path.join('.')}: ` : ''}${issue.message}` : 'unknown';
        log.warn(`refused ${channel}: invalid arguments (${reason})`);
        // The page is told what was wrong (never the value itself).
        throw new Error(`invalid arguments for ${channel}: ${reason}`);
      }
      return handler(...parsed.data);
    });
  }
  for (const channel of Object.keys(sendArgs) as SendChannel[]) {
    const schema = sendArgs[channel];
    const handler = options.send[channel] as (...args: unknown[]) => void;
    ipc.on(channel, (event, ...args) => {
      if (!options.isTrustedSender(event)) {
        log.warn(`ignored ${channel} from an untrusted sender (${event.senderFrame?.url ?? 'no frame'})`);
        return;
      }
      const parsed = schema.safeParse(args);
      if (!parsed.success) {
        log.warn(`ignored ${channel}: invalid arguments (${parsed.error.issues[0]?.message ?? 'unknown'})`);
        return;
      }
      try {
        handler(...parsed.data);
      } catch (error) {
        log.error(`${channel} failed`, error);
      }
    });
  }
}
