// Runs in: the renderer. Puts the row that was on top of the message list back at the
// exact pixel it was at, after rows were added above it (an older page) or after the list
// was mounted afresh to keep the view still (rows dropped above, or the room's first page
// arriving with its start row). react-virtuoso offsets rows added above, and places a
// fresh mount, from estimated row heights, so the view can land off once those rows are
// measured; for a short while this moves the scroller by the difference, until the row
// has stayed put or the user scrolls, clicks or types there themselves. Keyboard focus,
// if the old list had it, moves to the new one.
import { useLayoutEffect, type RefObject } from 'react';

/** How long after the mount the row is held. */
const HOLD_MS = 1_500;
/** Stops early once the row has not needed a correction for this many frames. */
const SETTLED_FRAMES = 10;
const USER_INPUT = ['wheel', 'keydown', 'pointerdown', 'touchstart'] as const;

export interface RowPin {
  /** Which mount of the list this pin belongs to. */
  mount: number;
  /** Finds the row's element in the scroller. */
  find: (scroller: HTMLElement) => HTMLElement | null;
  /** How far the row's top was above the scroller's top (px). */
  offset: number;
  /** The scroller of the list before (replaced by a new one): until it is gone, nothing is done. */
  previous: HTMLElement | null;
  /** The old scroller had keyboard focus: the new one takes it (Page Up goes on working). */
  refocus: boolean;
  /**
   * Also corrected right after each DOM change in the list, before the frame is painted
   * (rows added above a list that stays mounted; react-virtuoso moves them in its own
   * commits). Not for a fresh mount: there it would fight react-virtuoso's own placing.
   */
  immediate?: boolean;
}

export function useKeepRowInPlace(scroller: RefObject<HTMLElement | null>, pin: RowPin | null): void {
  useLayoutEffect(() => {
    if (!pin) return;
    const started = performance.now();
    let quiet = 0;
    let frame = 0;
    let stopped = false;
    // react-virtuoso hands over its new scroller a little after mounting.
    let element: HTMLElement | null = null;
    const mutations = new MutationObserver(() => {
      if (!stopped) correct();
    });
    const stop = () => {
      stopped = true;
      cancelAnimationFrame(frame);
      mutations.disconnect();
      for (const type of USER_INPUT) element?.removeEventListener(type, stop);
    };
    const attach = () => {
      if (element || !scroller.current || scroller.current === pin.previous) return;
      element = scroller.current;
      for (const type of USER_INPUT) element.addEventListener(type, stop, { passive: true });
      if (pin.immediate) mutations.observe(element, { subtree: true, childList: true, attributes: true, attributeFilter: ['style'] });
      if (pin.refocus) element.focus({ preventScroll: true });
    };
    /** Moves the row back if it is off; 'waiting' while the new list is not there yet. */
    const correct = (): 'moved' | 'still' | 'waiting' => {
      attach();
      const view = element;
      const row = view && pin.find(view);
      if (!view || !row) return 'waiting';
      const off = view.getBoundingClientRect().top - pin.offset - row.getBoundingClientRect().top;
      if (Math.abs(off) < 0.5) return 'still';
      view.scrollTop -= off;
      return 'moved';
    };
    const tick = () => {
      if (stopped) return;
      const step = correct();
      if (step === 'moved') quiet = 0;
      else if (step === 'still') quiet += 1;
      if (quiet >= SETTLED_FRAMES || performance.now() - started >= HOLD_MS) return stop();
      frame = requestAnimationFrame(tick);
    };
    correct();
    frame = requestAnimationFrame(tick);
    return stop;
    // One hold per pin (a pin is made once per fresh mount).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pin]);
}
