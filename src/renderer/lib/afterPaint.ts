// Runs in: the renderer. "Once this frame is on screen": the first task after the next
// animation frame (rAF callbacks run just before the frame is painted; a task queued
// from there runs after it).

/** Calls `callback` once the next frame has been painted; returns a cancel. Outside a window (no animation frames) it never fires. */
export function afterNextPaint(callback: () => void): () => void {
  if (typeof requestAnimationFrame !== 'function') return () => {};
  let task: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => (task = setTimeout(callback)));
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(task);
  };
}
