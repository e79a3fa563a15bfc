// Sends messages over POST /api/rooms/:id/messages on a timer (the path for clients
// without a live connection), recording every attempt like ChatClient does, so a
// fault test can check the HTTP answers during an outage too.
import type { Message, MessageResponse } from '../../../src/shared/contract.js';
import { request } from './api.js';
import type { Try } from './chatClient.js';
import { sleep } from './processes.js';

export interface HttpEntry {
  clientId: string;
  acked?: Message;
  tries: Try[];
}

export class HttpSender {
  readonly entries = new Map<string, HttpEntry>();
  private sequence = 0;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    readonly name: string,
    private readonly url: string,
    private readonly token: string,
    private readonly roomId: string,
    private readonly timeoutMs = 5000,
  ) {}

  /** One message each `everyMs`, one at a time. */
  start(everyMs: number): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const entry: HttpEntry = { clientId: `${this.name}-${++this.sequence}`, tries: [] };
        this.entries.set(entry.clientId, entry);
        await this.attempt(entry);
        await sleep(everyMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Retries every unacknowledged message (same clientId) until all are stored or time is up. */
  async flush(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pending = [...this.entries.values()].filter((e) => !e.acked);
      if (pending.length === 0) return true;
      if (Date.now() > deadline) return false;
      for (const entry of pending) await this.attempt(entry);
      await sleep(150);
    }
  }

  private async attempt(entry: HttpEntry): Promise<void> {
    const at = performance.now();
    const attempt: Try = { at, outcome: 'pending', ms: 0 };
    entry.tries.push(attempt);
    try {
      const res = await request(this.url, 'POST', `/rooms/${this.roomId}/messages`, {
        token: this.token,
        body: { clientId: entry.clientId, text: `${this.name} posts ${entry.clientId}` },
        timeoutMs: this.timeoutMs,
      });
      attempt.outcome = res.status === 201 ? 'ok' : `${res.status} ${(res.body as { error?: { code?: string } } | undefined)?.error?.code ?? ''}`.trim();
      if (res.status === 201) entry.acked ??= (res.body as MessageResponse).message;
    } catch (error) {
      attempt.outcome = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'network error';
    }
    attempt.ms = Math.round(performance.now() - at);
  }
}
