// Runs in: the renderer. A message list opened at its last row (the room's latest
// messages) is shown as soon as its rows are in the DOM. react-virtuoso keeps such a
// list hidden while it positions it: four frames, a scroll to the end, then 150 ms with
// no change, both fixed in its code (about 260 ms, almost half of a warm start). The end
// of a list is a place the browser can scroll to at once, so this scrolls there as the
// rows arrive and lets the list be seen (MessageList adds `is-shown-at-end`, whose CSS
// overrides the inline `visibility: hidden`). react-virtuoso's own scroll to the end then
// lands where the list already is. Until it has shown the list itself, rows measured
// taller keep the view at the end; any input from the user ends that.
import { useLayoutEffect, type RefObject } from 'react';

const USER_INPUT = ['wheel', 'keydown', 'pointerdown', 'touchstart'] as const;
/** Longer than react-virtuoso ever takes to show a list; then this stops whatever happens. */
const LONGEST_MS = 3_000;

/** The element react-virtuoso hides while positioning (its item list). */
const itemList = (scroller: HTMLElement) => scroller.querySelector<HTMLElement>('[data-testid="virtuoso-item-list"]');

/** While `active`: keeps the scroller at its end as rows come in, until react-virtuoso shows the list itself. */
export function useShowAtEnd(scroller: RefObject<HTMLElement | null>, active: boolean): void {
  useLayoutEffect(() => {
    if (!active) return;
    let element: HTMLElement | null = null;
    let stopped = false;
    const toEnd = () => {
      if (stopped || !element) return;
      if (itemList(element)?.style.visibility === '') return stop(); // shown by react-virtuoso: its own from here
      element.scrollTop = element.scrollHeight;
    };
    const mutations = new MutationObserver(toEnd);
    const attach = () => {
      if (element || !scroller.current) return;
      element = scroller.current;
      for (const type of USER_INPUT) element.addEventListener(type, stop, { passive: true });
      mutations.observe(element, { subtree: true, childList: true, attributes: true, attributeFilter: ['style'] });
      toEnd();
    };
    // react-virtuoso hands over its scroller a little after mounting.
    let frame = requestAnimationFrame(function wait() {
      attach();
      if (!element && !stopped) frame = requestAnimationFrame(wait);
    });
    const timer = setTimeout(() => stop(), LONGEST_MS);
    function stop() {
      stopped = true;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      mutations.disconnect();
      for (const type of USER_INPUT) element?.removeEventListener(type, stop);
    }
    attach();
    return stop;
    // Once per mount of the list.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}
