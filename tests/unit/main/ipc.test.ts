// Main's IPC: only our window's page is heard, and only with valid arguments.
import { describe, expect, it, vi } from 'vitest';
import { isTrustedSender, registerIpc, type InvokeHandlers, type IpcMainLike, type IpcSenderEvent, type SendHandlers } from '../../../src/main/ipc.js';
import { recordingLogger } from './fakes.js';

const PAGE = 'app://parley';
const ourContents = { id: 1 };
const fromPage: IpcSenderEvent = { sender: ourContents, senderFrame: { url: 'app://parley/index.html?server=x', parent: null } };

const validSession = {
  token: 'tok',
  expiresAt: '2030-01-31T12:00:00.000Z',
  user: { id: '0123456789abcdef01234567', username: 'alice', email: 'alice@example.test' },
  serverUrl: 'http://127.0.0.1:4000',
};

function setup() {
  const handles = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => unknown>();
  const listeners = new Map<string, (event: IpcSenderEvent, ...args: unknown[]) => void>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => void handles.set(channel, listener),
    on: (channel, listener) => void listeners.set(channel, listener),
  };
  const invoke = {
    'session:load': vi.fn(() => null),
    'session:save': vi.fn(),
    'session:clear': vi.fn(),
    'settings:get': vi.fn(() => ({ notificationsEnabled: true, mutedRoomIds: [] })),
    'settings:update': vi.fn(() => ({ notificationsEnabled: false, mutedRoomIds: [] })),
    'local:get': vi.fn((): string | undefined => '{"a":1}'),
    'local:entries': vi.fn((): Array<[string, string]> => [['cache:rooms', '{"a":1}']]),
    'local:set': vi.fn(),
    'local:delete': vi.fn(),
    'local:clear': vi.fn(),
  } satisfies InvokeHandlers;
  const send = {
    'room:set-active': vi.fn(),
    'message:arrived': vi.fn(),
    'unread:set': vi.fn(),
    'session:set-state': vi.fn(),
    'link:open-external': vi.fn(),
    'network:online': vi.fn(),
  } satisfies SendHandlers;
  const log = recordingLogger();
  registerIpc(ipc, { isTrustedSender: (event) => isTrustedSender(event, { webContents: ourContents, pageOrigin: PAGE }), invoke, send, log });
  const ask = (channel: string, event: IpcSenderEvent, ...args: unknown[]) => handles.get(channel)!(event, ...args);
  const tell = (channel: string, event: IpcSenderEvent, ...args: unknown[]) => listeners.get(channel)!(event, ...args);
  return { handles, listeners, invoke, send, log, ask, tell };
}

describe('IPC registration', () => {
  it('registers every channel of the contract', () => {
    const { handles, listeners } = setup();
    expect([...handles.keys()].sort()).toEqual([
      'local:clear',
      'local:delete',
      'local:entries',
      'local:get',
      'local:set',
      'session:clear',
      'session:load',
      'session:save',
      'settings:get',
      'settings:update',
    ]);
    expect([...listeners.keys()].sort()).toEqual([
      'link:open-external',
      'message:arrived',
      'network:online',
      'room:set-active',
      'session:set-state',
      'unread:set',
    ]);
  });

  it('passes valid messages from our page to the handlers', async () => {
    const { ask, tell, invoke, send } = setup();
    await ask('session:save', fromPage, validSession);
    expect(invoke['session:save']).toHaveBeenCalledWith(validSession);
    expect(await ask('settings:update', fromPage, { notificationsEnabled: false })).toEqual({ notificationsEnabled: false, mutedRoomIds: [] });
    tell('room:set-active', fromPage, null);
    tell('room:set-active', fromPage, 'aaaaaaaaaaaaaaaaaaaaaaaa');
    tell('session:set-state', fromPage, 'expired');
    tell('unread:set', fromPage, { total: 2, rooms: [{ roomId: 'aaaaaaaaaaaaaaaaaaaaaaaa', name: 'general', count: 2 }] });
    tell('link:open-external', fromPage, 'https://example.com/a?b=c');
    tell('network:online', fromPage);
    expect(send['room:set-active'].mock.calls).toEqual([[null], ['aaaaaaaaaaaaaaaaaaaaaaaa']]);
    expect(send['session:set-state']).toHaveBeenCalledWith('expired');
    expect(send['unread:set']).toHaveBeenCalledOnce();
    expect(send['link:open-external']).toHaveBeenCalledWith('https://example.com/a?b=c');
    expect(send['network:online']).toHaveBeenCalledOnce();
  });

  it('rejects invalid arguments: the invoke fails, the send is dropped, both are logged', async () => {
    const { ask, tell, invoke, send, log } = setup();
    expect(() => ask('session:save', fromPage, { ...validSession, expiresAt: 'tomorrow' })).toThrow(/invalid arguments/);
    expect(() => ask('settings:update', fromPage, { notificationsEnabled: false, evil: true })).toThrow(/invalid arguments/);
    expect(() => ask('session:load', fromPage, 'extra')).toThrow(/invalid arguments/);
    tell('session:set-state', fromPage, 'hacked');
    tell('room:set-active', fromPage, '../../etc');
    tell('link:open-external', fromPage, 'file:///etc/passwd');
    tell('unread:set', fromPage, { total: -1, rooms: [] });
    tell('message:arrived', fromPage, { message: {} });
    expect(invoke['session:save']).not.toHaveBeenCalled();
    expect(invoke['settings:update']).not.toHaveBeenCalled();
    for (const handler of Object.values(send)) expect(handler).not.toHaveBeenCalled();
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(8);
  });

  it('passes local-data calls with a user id, a well-formed key and JSON text within the cap', async () => {
    const { ask, invoke } = setup();
    const account = '0123456789abcdef01234567';
    expect(await ask('local:get', fromPage, account, 'room:aaaaaaaaaaaaaaaaaaaaaaaa')).toBe('{"a":1}');
    expect(await ask('local:entries', fromPage, account, 'cache:')).toEqual([['cache:rooms', '{"a":1}']]);
    await ask('local:set', fromPage, account, 'rooms', '[{"id":"x"}]');
    await ask('local:delete', fromPage, account, 'outbox');
    await ask('local:clear', fromPage, account);
    expect(invoke['local:set']).toHaveBeenCalledWith(account, 'rooms', '[{"id":"x"}]');
    expect(invoke['local:delete']).toHaveBeenCalledWith(account, 'outbox');
    expect(invoke['local:clear']).toHaveBeenCalledWith(account);
  });

  it('refuses local-data calls with a bad account, key or value, saying which argument and why', () => {
    const { ask, invoke, log } = setup();
    const account = '0123456789abcdef01234567';
    expect(() => ask('local:get', fromPage, '../../etc/passwd', 'rooms')).toThrow(/invalid arguments for local:get: argument 0: must be a 24-character hex id/);
    expect(() => ask('local:get', fromPage, account, '../rooms')).toThrow(/argument 1: keys are 1-100 characters/);
    expect(() => ask('local:get', fromPage, account, 'k'.repeat(101))).toThrow(/argument 1/);
    expect(() => ask('local:entries', fromPage, account, '../')).toThrow(/invalid arguments for local:entries: argument 1/);
    expect(() => ask('local:set', fromPage, account, 'rooms', { not: 'text' })).toThrow(/argument 2/);
    expect(() => ask('local:set', fromPage, account, 'rooms', 'x'.repeat(2 * 1024 * 1024 + 1))).toThrow(/argument 2: values are at most 2097152 characters/);
    expect(() => ask('local:clear', fromPage)).toThrow(/invalid arguments for local:clear/);
    expect(() => ask('local:delete', fromPage, account, 'rooms', 'extra')).toThrow(/invalid arguments for local:delete/);
    for (const channel of ['local:get', 'local:entries', 'local:set', 'local:delete', 'local:clear'] as const) expect(invoke[channel]).not.toHaveBeenCalled();
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(8);
    // The refusal names the argument, never echoes the value.
    expect(log.lines.some((l) => l.message.includes('xxxx'))).toBe(false);
  });

  it('ignores senders that are not our page', () => {
    const { ask, tell, invoke, send } = setup();
    const strangers: IpcSenderEvent[] = [
      { sender: { id: 2 }, senderFrame: { url: 'app://parley/index.html', parent: null } },
      { sender: ourContents, senderFrame: { url: 'app://parley/index.html', parent: {} } },
      { sender: ourContents, senderFrame: { url: 'https://evil.example/index.html', parent: null } },
      { sender: ourContents, senderFrame: null },
    ];
    for (const event of strangers) {
      expect(() => ask('session:load', event)).toThrow('refused');
      tell('session:set-state', event, 'signed-out');
    }
    expect(invoke['session:load']).not.toHaveBeenCalled();
    expect(send['session:set-state']).not.toHaveBeenCalled();
  });

  it('keeps going when a send handler throws', () => {
    const { tell, send, log } = setup();
    send['network:online'].mockImplementationOnce(() => {
      throw new Error('boom');
    });
    expect(() => tell('network:online', fromPage)).not.toThrow();
    expect(log.lines.some((l) => l.level === 'error')).toBe(true);
  });
});
