// The flooding client, run as a process of its own (flood.test.ts forks it) so its CPU
// work does not share the event loop of the server under test. It speaks Socket.IO's
// wire protocol directly over WebSockets (ws, the library Socket.IO itself uses), as a
// hostile client would: no reconnection, no buffering, little client-side cost, so on a
// two-core machine the cores go to the server rather than to the attacker. Takes its
// orders and reports what the server answered over the IPC channel.
import WebSocket from 'ws';
import type { Ack, ApiError, Message } from '../../../src/shared/contract.js';

export interface FloodOrders {
  url: string;
  token: string;
  roomId: string;
  sends: number;
  sockets: number;
  /** Send i carries clientId `<prefix>-<i>`. */
  clientIdPrefix: string;
}

/** What the send flood got back. */
export interface SendFloodReport {
  /** One answer per send, in order; `null` when none came (the connection closed, or 10 s passed). */
  acks: Array<Ack<{ message: Message }> | null>;
  sendMs: number;
  /** Why the first socket was closed during the send flood, if it was. */
  firstDisconnect: string | null;
  /** CPU the flooder itself spent (user + system), which the machine's cores did not have for the server. */
  cpuMs: number;
}

/** What the socket storm got back. */
export interface SocketStormReport {
  /** Per extra socket: `null` when it connected, else the connect_error data. */
  sockets: Array<ApiError | null>;
  socketMs: number;
  cpuMs: number;
}

const ANSWER_WITHIN_MS = 10_000;

/**
 * One Socket.IO connection on the default namespace: engine.io "0" (open) -> we send
 * "40{auth}" (CONNECT) -> "40{sid}" (connected) or "44{message,data}" (connect_error).
 * Events are "42<id>[name,payload]", their acks "43<id>[answer]"; pings "2" get "3".
 */
class RawSocket {
  private readonly ws: WebSocket;
  private readonly acks = new Map<number, (answer: unknown) => void>();
  private nextId = 0;
  readonly connected: Promise<ApiError | null>;
  closedBecause: string | null = null;

  constructor(url: string, token: string) {
    this.ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    this.connected = new Promise((resolve) => {
      this.ws.on('message', (data) => {
        const text = data.toString();
        if (text.startsWith('0')) this.ws.send(`40${JSON.stringify({ token })}`);
        else if (text.startsWith('40')) resolve(null);
        else if (text.startsWith('44')) resolve((JSON.parse(text.slice(2)) as { data?: ApiError }).data ?? { code: 'internal_error', message: text });
        else if (text.startsWith('43')) this.onAck(text);
        else if (text === '2') this.ws.send('3');
      });
      this.ws.on('error', (error) => resolve({ code: 'internal_error', message: error.message }));
      this.ws.on('close', (code) => {
        this.closedBecause ??= `transport close (${code})`;
        resolve({ code: 'internal_error', message: 'closed before connecting' });
        for (const answer of this.acks.values()) answer(null);
        this.acks.clear();
      });
    });
  }

  /** Emits without waiting; the promise settles with the ack, or null if none comes. */
  emit(event: string, payload: unknown): Promise<unknown> {
    const id = this.nextId++;
    const answered = new Promise<unknown>((resolve) => {
      const timer = setTimeout(() => {
        this.acks.delete(id);
        resolve(null);
      }, ANSWER_WITHIN_MS);
      this.acks.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
    });
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(`42${id}${JSON.stringify([event, payload])}`);
    return answered;
  }

  close(): void {
    this.ws.terminate();
  }

  private onAck(text: string): void {
    const bracket = text.indexOf('[');
    const id = Number(text.slice(2, bracket));
    const [answer] = JSON.parse(text.slice(bracket)) as [unknown];
    this.acks.get(id)?.(answer);
    this.acks.delete(id);
  }
}

/**
 * Connects first (and says "ready"), so its start-up is not part of the flood; then on
 * "sends" floods message:send and reports, on "sockets" opens the sockets and reports.
 */
async function main(): Promise<void> {
  const orders = await new Promise<FloodOrders>((resolve) => process.once('message', resolve));
  const { url, token, roomId, sends, sockets, clientIdPrefix } = orders;
  const first = new RawSocket(url, token);
  const refused = await first.connected;
  if (refused) throw new Error(`the flooder could not connect: ${JSON.stringify(refused)}`);
  const extra: RawSocket[] = [];
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return Math.round((used.user + used.system) / 1000);
  };
  process.on('message', (command: 'sends' | 'sockets' | 'stop') => {
    void (async () => {
      const cpu = process.cpuUsage();
      const started = performance.now();
      if (command === 'sends') {
        const acks = (await Promise.all(
          Array.from({ length: sends }, (_, i) => first.emit('message:send', { roomId, clientId: `${clientIdPrefix}-${i}`, text: `flood ${i}` })),
        )) as SendFloodReport['acks'];
        const report: SendFloodReport = { acks, sendMs: performance.now() - started, firstDisconnect: first.closedBecause, cpuMs: cpuMs(cpu) };
        process.send?.(report);
      } else if (command === 'sockets') {
        extra.push(...Array.from({ length: sockets }, () => new RawSocket(url, token)));
        const outcomes = await Promise.all(extra.map((socket) => socket.connected));
        const report: SocketStormReport = { sockets: outcomes, socketMs: performance.now() - started, cpuMs: cpuMs(cpu) };
        process.send?.(report);
      } else {
        for (const socket of [first, ...extra]) socket.close();
        process.exit(0);
      }
    })();
  });
  process.send?.('ready');
}

void main();
