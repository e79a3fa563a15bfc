// "At most one write per key per interval": a writer waits until the interval since its
// key's last write has passed. flush() ends every wait at once (graceful shutdown), so
// what is waiting is written now instead of lost.
export class Pacer {
  private readonly lastWriteAt = new Map<string, number>();
  private readonly sleepers = new Set<() => void>();
  private hurrying = false;

  constructor(
    private readonly intervalMs: number,
    /** Keys remembered; the least recently written are forgotten (and may write at once). */
    private readonly capacity = 100_000,
  ) {}

  async turn(key: string): Promise<void> {
    const wait = (this.lastWriteAt.get(key) ?? 0) + this.intervalMs - Date.now();
    if (wait <= 0 || this.hurrying) return;
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, wait);
      this.sleepers.add(wake);
    });
  }

  wrote(key: string): void {
    this.lastWriteAt.delete(key);
    this.lastWriteAt.set(key, Date.now());
    if (this.lastWriteAt.size > this.capacity) this.lastWriteAt.delete(this.lastWriteAt.keys().next().value as string);
  }

  /** Every wait ends now, and no new one starts. */
  hurry(): void {
    this.hurrying = true;
    for (const wake of [...this.sleepers]) wake();
  }
}
