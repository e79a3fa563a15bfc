// A chat client that behaves like the desktop app across backend processes: it is
// given every backend URL; when its connection drops (not when the server ends its
// session) it connects to the next URL, re-enters its room, catches up over HTTP from
// the newest message it held before the drop (docs/protocol.md, merged by id), and
// resends every message not yet acknowledged with the same clientId. It records what
// it saw and how long each failover took, for the checks and the printed numbers.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Message, ServerToClientEvents, Viewer } from '../../../src/shared/contract.js';
import { catchUp } from './api.js';
import { sleep, until } from './processes.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type EventName = keyof ServerToClientEvents;
type Payload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

const PUSHES: EventName[] = ['message:new', 'room:presence', 'room:added', 'room:updated', 'room:removed', 'session:ended', 'server:shutdown', 'sync:required'];
/** Give up failing over after this long (the test then fails on what is missing). */
const RECONNECT_DEADLINE_MS = 15_000;

export interface OutboxEntry {
  clientId: string;
  text: string;
  attempts: number;
  inFlight: boolean;
  acked?: Message;
  /** Error codes of refusals (ack ok:false), one per refused attempt. */
  refusals: string[];
  /** Attempts whose ack did not come within the ack timeout: a hang. */
  timeouts: number;
  /** Attempts whose connection closed before the ack came. */
  lost: number;
  /** ms from emit to ack, per answered attempt. */
  latencies: number[];
  /** Every attempt: when it was emitted (performance.now()) and how it ended. */
  tries: Try[];
}

export interface Try {
  at: number;
  /** 'ok', the refusal's error code, 'timeout' (no ack within the ack timeout) or 'lost' (connection closed first). */
  outcome: string;
  ms: number;
}

export interface Failover {
  from: string;
  to: string;
  reason: string;
  /** ms from the disconnect to: connected elsewhere, room re-entered, history caught up, unacked resent. */
  ms: number;
  /** Messages the catch-up returned that the client did not hold yet. */
  caughtUp: number;
  resent: number;
}

export interface RecordedEvent {
  event: EventName;
  payload: any;
  at: number;
  url: string;
}

export interface ChatClientOptions {
  name: string;
  /** Every backend; the client starts on urls[start]. */
  urls: string[];
  start?: number;
  token: string;
  /** The room whose view the client enters (and re-enters after a failover). */
  roomId?: string;
  /** Move to another backend when the connection drops (default true). */
  failover?: boolean;
  ackTimeoutMs?: number;
}

export class ChatClient {
  readonly name: string;
  readonly held = new Map<string, Message>();
  readonly outbox = new Map<string, OutboxEntry>();
  readonly events: RecordedEvent[] = [];
  readonly failovers: Failover[] = [];
  readonly disconnects: Array<{ at: number; reason: string; url: string }> = [];
  /** Catch-ups asked for by the server (sync:required) while the connection stayed up. */
  resyncs = 0;
  /** Viewers listed by the last room:enter answer. */
  viewers: Viewer[] = [];
  socket: ClientSocket | undefined;
  url = '';
  connected = false;
  private urlIndex = 0;
  private closed = false;
  private sequence = 0;
  private readonly options: Required<Omit<ChatClientOptions, 'roomId'>> & { roomId: string | undefined };

  private constructor(options: ChatClientOptions) {
    this.name = options.name;
    this.options = { start: 0, failover: true, ackTimeoutMs: 5000, ...options, roomId: options.roomId };
  }

  /** Connects to urls[start] and enters the room; resolves once both are done. */
  static async connect(options: ChatClientOptions): Promise<ChatClient> {
    const client = new ChatClient(options);
    await client.open(client.options.start);
    return client;
  }

  get inFlight(): number {
    let n = 0;
    for (const entry of this.outbox.values()) if (entry.inFlight) n++;
    return n;
  }

  get unacked(): OutboxEntry[] {
    return [...this.outbox.values()].filter((e) => !e.acked);
  }

  /** Enters a room's view (the room the client sends to and re-enters after a failover). */
  async enter(roomId: string): Promise<Viewer[]> {
    const answer = await this.socket!.timeout(5000).emitWithAck('room:enter', { roomId });
    if (!answer.ok) throw new Error(`${this.name}: room:enter refused: ${answer.error.code}`);
    this.options.roomId = roomId;
    for (const message of answer.messages) this.hold(message);
    this.viewers = answer.viewers;
    return answer.viewers;
  }

  async leave(): Promise<void> {
    const roomId = this.options.roomId;
    if (!roomId) return;
    this.options.roomId = undefined;
    const answer = await this.socket!.timeout(5000).emitWithAck('room:leave', { roomId });
    if (!answer.ok) throw new Error(`${this.name}: room:leave refused: ${answer.error.code}`);
  }

  /** Queues a new message and emits it now if connected. */
  send(): OutboxEntry {
    const clientId = `${this.name}-${++this.sequence}`;
    const entry: OutboxEntry = {
      clientId,
      text: `${this.name} says ${this.sequence}`,
      attempts: 0,
      inFlight: false,
      refusals: [],
      timeouts: 0,
      lost: 0,
      latencies: [],
      tries: [],
    };
    this.outbox.set(clientId, entry);
    if (this.connected) this.transmit(entry);
    return entry;
  }

  /** Emits message:send and resolves with the ack (or the error), for one-off checks. */
  async sendAndWait(): Promise<{ entry: OutboxEntry; ok: boolean; code?: string; ms: number }> {
    const entry = this.send();
    const attempt = entry.attempts;
    const started = performance.now();
    await until(() => !entry.inFlight || entry.attempts !== attempt, this.options.ackTimeoutMs + 1000);
    return { entry, ok: !!entry.acked, code: entry.refusals.at(-1), ms: Math.round(performance.now() - started) };
  }

  /** Sends an unacknowledged message again (same clientId), if connected. */
  resend(entry: OutboxEntry): void {
    if (this.connected && !entry.acked && !entry.inFlight) this.transmit(entry);
  }

  /** Resends every unacknowledged message not in flight; returns how many went out. */
  retryUnacked(): number {
    if (!this.connected) return 0;
    let n = 0;
    for (const entry of this.outbox.values()) {
      if (entry.acked || entry.inFlight) continue;
      this.transmit(entry);
      n++;
    }
    return n;
  }

  /** Retries until every message is acknowledged; returns whether that happened in time. */
  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.unacked.length === 0) return true;
      this.retryUnacked();
      await sleep(150);
    }
    return this.unacked.length === 0;
  }

  /** Resolves with the first recorded push (from index `since`) that matches; rejects after the timeout. */
  async waitForEvent<E extends EventName>(event: E, match: (payload: Payload<E>) => boolean = () => true, timeoutMs = 5000, since = 0): Promise<RecordedEvent> {
    let found: RecordedEvent | undefined;
    const ok = await until(() => {
      found = this.events.slice(since).find((e) => e.event === event && match(e.payload as Payload<E>));
      return !!found;
    }, timeoutMs);
    if (!ok || !found) throw new Error(`${this.name}: no ${event} within ${timeoutMs} ms`);
    return found;
  }

  eventsOf<E extends EventName>(event: E): Array<Payload<E>> {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as Payload<E>);
  }

  close(): void {
    this.closed = true;
    this.connected = false;
    this.socket?.disconnect();
  }

  // ---------- connection ----------

  private async open(index: number): Promise<void> {
    const url = this.options.urls[index]!;
    const socket: ClientSocket = io(url, {
      auth: { token: this.options.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: 3000,
    });
    for (const event of PUSHES) {
      socket.on(event, ((payload: any) => {
        this.events.push({ event, payload, at: performance.now(), url });
        if (event === 'message:new') this.hold((payload as Payload<'message:new'>).message);
      }) as never);
    }
    socket.on('disconnect', (reason) => this.onDisconnect(socket, reason));
    // Pushes from other processes may have been lost (Redis came back): catch up as the app does.
    socket.on('sync:required', () => void this.resync(socket));
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (error) => reject(error));
      });
      this.socket = socket;
      this.url = url;
      this.urlIndex = index;
      if (this.options.roomId) {
        const answer = await socket.timeout(5000).emitWithAck('room:enter', { roomId: this.options.roomId });
        if (!answer.ok) throw new Error(`${this.name}: room:enter refused: ${answer.error.code}`);
        for (const message of answer.messages) this.hold(message);
        this.viewers = answer.viewers;
      }
      if (!socket.connected) throw new Error('disconnected while entering the room');
      this.connected = true;
    } catch (error) {
      socket.removeAllListeners();
      socket.close();
      throw error;
    }
  }

  private onDisconnect(socket: ClientSocket, reason: string): void {
    if (socket !== this.socket || this.closed) return;
    const wasConnected = this.connected;
    this.connected = false;
    this.disconnects.push({ at: performance.now(), reason, url: this.url });
    // The server ending the session is final; anything else is a lost process or network.
    if (!wasConnected || !this.options.failover || reason === 'io server disconnect' || reason === 'io client disconnect') return;
    // The catch-up cursor is what was held when the connection dropped, not what arrives later.
    const heldAtLoss = [...this.held.values()].map((m) => m.seq);
    void this.failOver(reason, heldAtLoss);
  }

  private async failOver(reason: string, heldAtLoss: number[]): Promise<void> {
    const lostAt = performance.now();
    const from = this.url;
    let index = this.urlIndex;
    while (!this.closed && !this.connected && performance.now() - lostAt < RECONNECT_DEADLINE_MS) {
      index = (index + 1) % this.options.urls.length;
      try {
        await this.open(index);
      } catch {
        await sleep(100);
      }
    }
    if (!this.connected) return;
    let caughtUp = 0;
    if (this.options.roomId) {
      for (const message of await catchUp(this.url, this.options.token, this.options.roomId, heldAtLoss)) {
        if (!this.held.has(message.id)) caughtUp++;
        this.hold(message);
      }
    }
    const resent = this.retryUnacked();
    this.failovers.push({ from, to: this.url, reason, ms: Math.round(performance.now() - lostAt), caughtUp, resent });
  }

  private async resync(socket: ClientSocket): Promise<void> {
    if (socket !== this.socket || !this.options.roomId) return;
    const messages = await catchUp(
      this.url,
      this.options.token,
      this.options.roomId,
      [...this.held.values()].map((m) => m.seq),
    ).catch(() => []);
    for (const message of messages) this.hold(message);
    this.resyncs++;
  }

  private hold(message: Message): void {
    this.held.set(message.id, message);
  }

  private transmit(entry: OutboxEntry): void {
    const socket = this.socket;
    if (!socket || !this.options.roomId) return;
    entry.inFlight = true;
    entry.attempts++;
    const started = performance.now();
    const attempt: Try = { at: started, outcome: 'pending', ms: 0 };
    entry.tries.push(attempt);
    socket
      .timeout(this.options.ackTimeoutMs)
      .emit('message:send', { roomId: this.options.roomId, clientId: entry.clientId, text: entry.text }, (error, answer) => {
        entry.inFlight = false;
        attempt.ms = Math.round(performance.now() - started);
        if (error) {
          // socket.io-client answers with "operation has timed out" after the timeout, or at once when the socket closes.
          if (/timed out/i.test(error.message)) {
            entry.timeouts++;
            attempt.outcome = 'timeout';
          } else {
            entry.lost++;
            attempt.outcome = 'lost';
          }
          return;
        }
        entry.latencies.push(attempt.ms);
        if (answer.ok) {
          attempt.outcome = 'ok';
          entry.acked ??= answer.message;
          this.hold(answer.message);
        } else {
          attempt.outcome = answer.error.code;
          entry.refusals.push(answer.error.code);
        }
      });
  }
}

export interface LoadOptions {
  /** A client acts once per tick. */
  everyMs: number;
  /** New messages wait while this many are unanswered. */
  maxInFlight: number;
  /** Like a person at the keyboard: no new message while this many are not yet stored (default 6). */
  maxUnacked?: number;
  /** A refused or timed-out message is retried after this long (default 500 ms), like an outbox. */
  retryAfterMs?: number;
}

/**
 * Traffic from every client: per tick, retry the oldest refused message once it has
 * waited `retryAfterMs`, else send a new one within the limits. Bounded by
 * `maxUnacked`, so an outage produces retries, not an ever-growing backlog.
 */
export function startLoad(clients: ChatClient[], options: LoadOptions): { stop(): void } {
  const maxUnacked = options.maxUnacked ?? 6;
  const retryAfterMs = options.retryAfterMs ?? 500;
  const timers = clients.map((client) =>
    setInterval(() => {
      if (!client.connected || client.inFlight >= options.maxInFlight) return;
      const now = performance.now();
      const unacked = client.unacked;
      const due = unacked.find((e) => !e.inFlight && e.attempts > 0 && now - (e.tries.at(-1)!.at + e.tries.at(-1)!.ms) >= retryAfterMs);
      if (due) client.resend(due);
      else if (unacked.length < maxUnacked) client.send();
    }, options.everyMs),
  );
  return { stop: () => timers.forEach(clearInterval) };
}
