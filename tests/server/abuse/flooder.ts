// The flooding client, run as a process of its own (flood.test.ts forks it) so its own
// CPU work (emitting 2,000 events, opening 300 sockets) does not share the event loop of
// the server under test, as a hostile client on another machine would not. Takes its
// orders and reports what the server answered over the IPC channel.
import { io as connect, type Socket } from 'socket.io-client';
import type { Ack, ApiError, ClientToServerEvents, Message, ServerToClientEvents } from '../../../src/shared/contract.js';

export interface FloodOrders {
  url: string;
  token: string;
  roomId: string;
  sends: number;
  sockets: number;
  /** Send i carries clientId `<prefix>-<i>`. */
  clientIdPrefix: string;
}

export interface FloodReport {
  /** One answer per send, in order; `null` when none came (the connection closed, or 10 s passed). */
  acks: Array<Ack<{ message: Message }> | null>;
  sendMs: number;
  /** Why the first socket was disconnected during the send flood, if it was. */
  firstDisconnect: string | null;
  /** Per extra socket: `null` when it connected, else the connect_error data. */
  sockets: Array<ApiError | null>;
  socketMs: number;
  /** CPU the flooder itself spent (user + system), which the machine's cores did not have for the server. */
  cpuMs: number;
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const open = (url: string, token: string): ClientSocket => connect(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });

/** Connects first (and says "ready"), floods on "go", so its start-up is not part of the flood. */
async function main(): Promise<void> {
  const orders = await new Promise<FloodOrders>((resolve) => process.once('message', resolve));
  const { url, token, roomId, sends, sockets, clientIdPrefix } = orders;
  const first = open(url, token);
  await new Promise<void>((resolve, reject) => {
    first.once('connect', resolve);
    first.once('connect_error', reject);
  });
  let firstDisconnect: string | null = null;
  first.once('disconnect', (reason) => (firstDisconnect = reason));
  process.send?.('ready');
  await new Promise((resolve) => process.once('message', resolve));

  const cpu = process.cpuUsage();
  let started = performance.now();
  const acks = await Promise.all(
    Array.from({ length: sends }, (_, i) =>
      first
        .timeout(10_000)
        .emitWithAck('message:send', { roomId, clientId: `${clientIdPrefix}-${i}`, text: `flood ${i}` })
        .catch(() => null),
    ),
  );
  const sendMs = performance.now() - started;

  started = performance.now();
  const extra = Array.from({ length: sockets }, () => open(url, token));
  const outcomes = await Promise.all(
    extra.map(
      (socket) =>
        new Promise<ApiError | null>((resolve) => {
          socket.once('connect', () => resolve(null));
          socket.once('connect_error', (error: Error & { data?: ApiError }) => resolve(error.data ?? { code: 'internal_error', message: error.message }));
        }),
    ),
  );
  const socketMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const report: FloodReport = { acks, sendMs, firstDisconnect, sockets: outcomes, socketMs, cpuMs: Math.round((used.user + used.system) / 1000) };
  for (const socket of [first, ...extra]) socket.disconnect();
  process.send?.(report, () => process.exit(0));
}

void main();
