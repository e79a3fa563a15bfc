// Where the message log's rows are on screen, for the tests that check pages added or
// dropped above never move what the user is looking at (history.spec, scrolling.spec).
import type { Page } from '@playwright/test';

/** Resolves once the log has not scrolled for `frames` animation frames. */
export async function waitStill(page: Page, frames = 15): Promise<void> {
  await page.evaluate(async (quiet) => {
    const log = document.querySelector<HTMLElement>('[role="log"][aria-label="Messages"]')!;
    let last = log.scrollTop;
    let same = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        if (log.scrollTop === last) same++;
        else [same, last] = [0, log.scrollTop];
        if (same >= quiet) resolve();
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
  }, frames);
}

/** Where each message on screen is (its text -> px from the top of the page). */
export function visibleTops(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const log = document.querySelector<HTMLElement>('[role="log"][aria-label="Messages"]')!;
    const view = log.getBoundingClientRect();
    const tops: Record<string, number> = {};
    for (const article of log.querySelectorAll('article')) {
      const box = article.getBoundingClientRect();
      const text = article.querySelector('.message-text')?.textContent ?? '';
      if (box.bottom > view.top && box.top < view.bottom && text) tops[text] = box.top;
    }
    return tops;
  });
}

/** The largest move of a message seen in both, and how many were compared. */
export function shift(before: Record<string, number>, after: Record<string, number>): { max: number; compared: number } {
  const common = Object.keys(before).filter((text) => text in after);
  return { max: Math.max(0, ...common.map((text) => Math.abs(after[text]! - before[text]!))), compared: common.length };
}
