// Load-generating clients, all in the benchmark process: Parley clients (socket.io-client
// with a session token, as the renderer connects), bare Socket.IO (with or without the
// insert) and bare ws clients.
// One interface so a scenario runs the same traffic against each.
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { Ack, ClientToServerEvents, Message, ServerToClientEvents } from '../../src/shared/contract.js';
import { mapLimit } from './stats.js';

export type ParleyClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Transport = 'parley' | 'socketio' | 'socketio-insert' | 'ws';

export interface BenchClient {
  /** Sends and resolves on the server's acknowledgement (ws: on hand-off, it has no ack). */
  send(roomId: string, clientId: string, text: string): Promise<void>;
  onMessage(listener: (message: { clientId: string; id: string; roomId: string }) => void): void;
  onDisconnect(listener: (reason: string) => void): void;
  close(): void;
}

export interface ConnectSpec {
  url: string;
  /** Parley: the session token. */
  token?: string;
  /** Bare servers: the rooms to join. */
  rooms?: string[];
  /** Bare Socket.IO with insert: who the stored messages are by. */
  user?: { userId: string; username: string };
  reconnection?: boolean;
}

/** A send not acknowledged by then counts as failed (the scenario must end even if the server stalls). */
const SEND_TIMEOUT_MS = 30_000;

export function parleySocket(url: string, token: string, reconnection = false): ParleyClientSocket {
  return io(url, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnection,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    timeout: 20_000,
  });
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
}

export async function connectClient(transport: Transport, spec: ConnectSpec): Promise<BenchClient> {
  if (transport === 'parley') {
    const socket = parleySocket(spec.url, spec.token!, spec.reconnection);
    await connected(socket);
    return {
      send: (roomId, clientId, text) =>
        new Promise((resolve, reject) =>
          socket.timeout(SEND_TIMEOUT_MS).emit('message:send', { roomId, clientId, text }, (error: Error | null, answer: Ack<{ message: Message }>) => {
            if (error) reject(new Error(`no ack within ${SEND_TIMEOUT_MS} ms`));
            else if (answer.ok) resolve();
            else reject(new Error(`${answer.error.code}: ${answer.error.message}`));
          }),
        ),
      onMessage: (listener) => socket.on('message:new', ({ message }) => listener(message)),
      onDisconnect: (listener) => socket.on('disconnect', listener),
      close: () => socket.disconnect(),
    };
  }
  if (transport === 'socketio' || transport === 'socketio-insert') {
    const socket = io(spec.url, {
      auth: spec.user ?? {},
      transports: ['websocket'],
      forceNew: true,
      reconnection: spec.reconnection ?? false,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    await connected(socket);
    const join = () => new Promise<void>((resolve) => socket.emit('join', spec.rooms ?? [], () => resolve()));
    await join();
    socket.io.on('reconnect', () => void join());
    return {
      send: (roomId, clientId, text) =>
        new Promise((resolve, reject) =>
          socket.emit('send', { roomId, clientId, text }, (answer: Ack) => (answer.ok ? resolve() : reject(new Error(answer.error.message)))),
        ),
      onMessage: (listener) => socket.on('message:new', ({ message }: { message: Message }) => listener(message)),
      onDisconnect: (listener) => socket.on('disconnect', listener),
      close: () => socket.disconnect(),
    };
  }
  const ws = new WebSocket(spec.url.replace(/^http/, 'ws'), { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const listeners: ((m: { clientId: string; id: string; roomId: string }) => void)[] = [];
  const joined = new Promise<void>((resolve) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; message?: { clientId: string; id: string; roomId: string } };
      if (frame.type === 'joined') resolve();
      else if (frame.type === 'message:new') for (const l of listeners) l(frame.message!);
    });
  });
  ws.send(JSON.stringify({ type: 'join', rooms: spec.rooms ?? [] }));
  await joined;
  return {
    send: (roomId, clientId, text) =>
      new Promise((resolve, reject) => ws.send(JSON.stringify({ type: 'send', roomId, clientId, text }), (error) => (error ? reject(error) : resolve()))),
    onMessage: (listener) => listeners.push(listener),
    onDisconnect: (listener) => ws.on('close', () => listener('close')),
    close: () => ws.close(),
  };
}

/** Connects every spec, `concurrency` handshakes at a time. */
export function connectAll(transport: Transport, specs: ConnectSpec[], concurrency = 50): Promise<BenchClient[]> {
  return mapLimit(specs, concurrency, (spec) => connectClient(transport, spec));
}
