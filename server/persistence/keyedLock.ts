// One-at-a-time writes per document, within this process.
//
// MongoDB applies each single-document write atomically: a filter such as
// `{ _id, version }` is re-checked as the write happens, and two `$set`s on different
// fields of one document both land. FerretDB 1.24 (the local SQLite engine) does
// neither: it reads the document, applies the update in memory and writes the whole
// document back, without isolation. Concurrent writes to one document then lose each
// other's changes, and a compare-and-set lets both writers win. Repositories run
// their updates of one document through this lock, which restores single-document
// atomicity for one server process, the way the local database is used. Several
// processes need MongoDB, whose atomic filters hold across processes on their own.
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
