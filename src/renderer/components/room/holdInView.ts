// Runs in: the renderer. Keeps the message a list was opened at (a link, a notification)
// on screen while the list settles. The list is placed at it from estimated row heights;
// when rows measure differently, or the first paint happens on a busy machine before the
// scroller has its size, the target can end up off screen. So
// for a short while after mounting, the target is brought back to the centre whenever it
// is not visible, until the user scrolls, clicks or types there themselves.
import { useEffect, type RefObject } from 'react';

/** How long the list keeps correcting after it mounts. */
const HOLD_MS = 5_000;
/** Stops early once the target has stayed on screen this long. */
const SETTLED_MS = 800;
const USER_INPUT = ['wheel', 'keydown', 'pointerdown', 'touchstart'] as const;

function isVisibleIn(scroller: HTMLElement, element: Element): boolean {
  const view = scroller.getBoundingClientRect();
  const box = element.getBoundingClientRect();
  return view.height > 0 && box.bottom > view.top && box.top < view.bottom;
}

/**
 * When `selector` is given: for up to HOLD_MS after mount, scrolls the target row (found
 * in the DOM by `selector`, and in the list's rows by `indexOf`, which is asked afresh
 * each time because pages may have been added above) back to the centre of `scroller`
 * when it is not visible. Any input from the user ends it.
 */
export function useHoldInView(centre: (index: number) => void, scroller: RefObject<HTMLElement | null>, selector: string | null, indexOf: () => number): void {
  useEffect(() => {
    if (selector === null) return;
    const started = performance.now();
    let seenSince: number | null = null;
    let frame = 0;
    let stopped = false;
    // The list's whole area, so "Jump to latest" (below the list) ends the hold too.
    const element = scroller.current?.closest('.message-area') ?? scroller.current;
    const stop = () => {
      stopped = true;
      cancelAnimationFrame(frame);
      for (const type of USER_INPUT) element?.removeEventListener(type, stop);
    };
    for (const type of USER_INPUT) element?.addEventListener(type, stop, { passive: true });
    const tick = () => {
      if (stopped) return;
      const now = performance.now();
      const view = scroller.current;
      const target = view?.querySelector(selector);
      if (view && target && isVisibleIn(view, target)) {
        seenSince ??= now;
        if (now - seenSince >= SETTLED_MS) return stop();
      } else {
        seenSince = null;
        const index = indexOf();
        if (index !== -1) centre(index);
      }
      if (now - started >= HOLD_MS) return stop();
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return stop;
    // Held once per mount: a list opened at a message is a new mount (keyed by generation).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}
