// Runs in: the renderer. Unsent text per room, kept while switching rooms; it belongs to
// the signed-in session, so signing out drops it (the next person never sees it).
export class Drafts {
  private readonly text = new Map<string, string>();

  get(roomId: string): string {
    return this.text.get(roomId) ?? '';
  }

  set(roomId: string, value: string): void {
    if (value) this.text.set(roomId, value);
    else this.text.delete(roomId);
  }

  clear(): void {
    this.text.clear();
  }
}
