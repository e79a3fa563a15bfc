// The in-page half of scenario 7: a script installed with page.addInitScript before any
// of the page's own code runs. It observes the renderer from outside (no hook in
// src/renderer): paint and element timing, long tasks, a MutationObserver for the first
// message article, a wrapper around fetch that marks when a history page reaches the app
// and what it held (and can hold an older page until the list is quiet, to photograph it
// first), and rAF loops for settling, prepend shift and scrolling. Everything is exposed on
// window.__bench and driven from Node with page.evaluate('window.__bench.…').
//
// Kept as plain JavaScript in a string: functions handed to page.evaluate from tsx would
// carry esbuild's __name() helper, which does not exist in the page.

export interface ProbeConfig {
  /** Click the room button with this name as soon as it appears (start-to-first-message). */
  autoOpenRoom: string | null;
}

export function probeScript(config: ProbeConfig): string {
  return `(${PROBE_BODY})(${JSON.stringify(config)});`;
}

const PROBE_BODY = String.raw`function (config) {
  if (window.__bench) return;
  const now = () => performance.now();
  const B = (window.__bench = {
    config,
    longTasks: [],
    paints: [],
    elements: [],
    firstRoomButton: null,
    roomClicked: null,
    firstArticle: null,
    history: [],
    hold: null,
    lastMutation: 0,
  });

  const observe = (type, fn) => {
    try {
      new PerformanceObserver((list) => list.getEntries().forEach(fn)).observe({ type, buffered: true });
    } catch (e) {
      /* entry type unsupported */
    }
  };
  observe('longtask', (e) => B.longTasks.push({ start: e.startTime, duration: e.duration }));
  observe('paint', (e) => B.paints.push({ name: e.name, t: e.startTime }));
  observe('element', (e) => B.elements.push({ id: e.identifier, renderTime: e.renderTime, startTime: e.startTime }));

  // ---- the first message article (and the room button to open) ----
  /** Runs cb in the first task after the next frame (after its paint, in practice). */
  const afterFrame = (cb) => requestAnimationFrame(() => { const ch = new MessageChannel(); ch.port1.onmessage = () => cb(now()); ch.port2.postMessage(0); });
  B.afterFrame = afterFrame;
  const watchDom = () => {
    if (!B.firstRoomButton) {
      const buttons = document.querySelectorAll('nav[aria-label="Rooms"] button.room-button');
      if (buttons.length) {
        B.firstRoomButton = now();
        if (config.autoOpenRoom) {
          for (const b of buttons) {
            if (b.querySelector('.room-name')?.textContent === config.autoOpenRoom) {
              b.click();
              B.roomClicked = now();
              break;
            }
          }
        }
      }
    }
    if (!B.elements.some((e) => e.id === 'first-message')) {
      // Element timing: tag the message texts in the DOM before they are painted (again on
      // every change until the first entry arrives, since rows can be re-created).
      for (const el of document.querySelectorAll('[role="log"] article .message-text > span:not([elementtiming]), [role="log"] article .message-author:not([elementtiming])')) {
        el.setAttribute('elementtiming', 'first-message');
      }
    }
    if (!B.firstArticle) {
      const article = document.querySelector('[role="log"] article');
      if (article) {
        const rec = { dom: now(), visibleFrame: null, afterFrame: null };
        B.firstArticle = rec;
        // The first frame in which an article is actually visible inside the log (not
        // hidden while the list measures itself), and the first task after that frame.
        const check = (t) => {
          const log = document.querySelector('[role="log"][aria-label="Messages"]');
          const box = log && log.getBoundingClientRect();
          const shown = log && [...log.querySelectorAll('article')].some((a) => {
            const r = a.getBoundingClientRect();
            return r.height > 0 && r.bottom > box.top && r.top < box.bottom && (!a.checkVisibility || a.checkVisibility({ visibilityProperty: true, opacityProperty: true }));
          });
          if (!shown) { requestAnimationFrame(check); return; }
          rec.visibleFrame = t;
          const ch = new MessageChannel();
          ch.port1.onmessage = () => { rec.afterFrame = now(); };
          ch.port2.postMessage(0);
        };
        requestAnimationFrame(check);
      }
    }
  };
  // The list's own life at start: each time a new list of rows is mounted, and when it
  // first holds a message (visibility is the first article's check above).
  B.listMounts = [];
  B.listShown = null;
  let lastList = null;
  const watchList = () => {
    const list = document.querySelector('[role="log"] .message-rows');
    if (list && list !== lastList) { lastList = list; B.listMounts.push(Math.round(now())); }
    if (list && B.listShown === null && list.querySelector('article')) B.listShown = Math.round(now());
  };
  const mo = new MutationObserver(() => {
    B.lastMutation = now();
    watchDom();
    watchList();
  });
  mo.observe(document, { childList: true, subtree: true, characterData: true, attributes: true });

  // ---- the scroller and what is on screen ----
  const scroller = () => document.querySelector('[role="log"][aria-label="Messages"]');
  const keyOf = (article) => {
    const m = /\[m(\d+)\]/.exec(article.textContent || '');
    return m ? m[1] : null;
  };
  /** Articles intersecting the scroller's viewport: key and top. */
  const visible = () => {
    const s = scroller();
    if (!s) return [];
    const box = s.getBoundingClientRect();
    const out = [];
    for (const a of s.querySelectorAll('article')) {
      const r = a.getBoundingClientRect();
      if (r.bottom > box.top && r.top < box.bottom) out.push({ key: keyOf(a), top: r.top });
    }
    return out;
  };
  const signature = () => {
    const s = scroller();
    if (!s) return 'none';
    const v = visible();
    const first = v[0];
    return [s.scrollTop, s.scrollHeight, s.querySelectorAll('article').length, first ? first.key + '@' + first.top.toFixed(1) : '-', v.length].join('|');
  };
  B.signature = signature;
  B.visible = visible;
  /** Resolves after the signature has stayed the same (and nothing mutated) for n frames. */
  B.quiet = (n) => new Promise((resolve) => {
    let last = signature(), same = 0, since = now();
    const tick = () => {
      const sig = signature();
      if (sig === last && B.lastMutation < since) same++;
      else { same = 0; last = sig; since = now(); }
      if (same >= n) resolve({ sig, since });
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });

  // ---- socket frames: when the room:enter answer (the first page, a large frame) arrives ----
  B.bigSocketFrames = [];
  const OrigWS = window.WebSocket;
  window.WebSocket = class extends OrigWS {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const size = typeof e.data === 'string' ? e.data.length : 0;
        if (size > 4000 && B.bigSocketFrames.length < 20) B.bigSocketFrames.push({ t: now(), size });
      });
    }
  };

  // ---- history pages: when each reaches the app (and holding older pages) ----
  const origFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    const response = await origFetch(input, init);
    const m = /\/rooms\/[^/]+\/messages\?(.*)$/.exec(url);
    if (!m) return response;
    const query = new URLSearchParams(m[1]);
    const rec = { before: query.has('before'), after: query.get('after'), limit: Number(query.get('limit')), requested: now(), delivered: null, count: null, hasMore: null, firstSeq: null };
    B.history.push(rec);
    const origText = response.text.bind(response);
    response.text = async () => {
      const text = await origText();
      try { const body = JSON.parse(text); rec.count = body.messages.length; rec.hasMore = body.hasMore; rec.firstSeq = body.messages.length ? body.messages[0].seq : null; } catch (e) { /* not a page */ }
      if (rec.before && B.hold) await B.hold(rec);
      rec.delivered = now();
      return text;
    };
    return response;
  };

  /**
   * Holds the next older page until the list has been quiet for a few frames, notes where
   * the visible messages are, lets the page through and then follows the same messages
   * for frameCount frames. Resolves with the largest shift seen (px).
   */
  B.measureNextPrepend = (frameCount) => new Promise((resolve) => {
    B.hold = async (rec) => {
      B.hold = null;
      await B.quiet(5);
      const before = visible().filter((v) => v.key !== null);
      const tops = new Map(before.map((v) => [v.key, v.top]));
      // The oldest message held before the prepend: does its row lose its day separator or header?
      const describe = (key) => {
        for (const a of scroller().querySelectorAll('article')) {
          if (keyOf(a) === key) return { key, daySeparator: !!a.parentElement.querySelector('[role="separator"]'), compact: a.classList.contains('is-compact'), rowHeight: a.parentElement.getBoundingClientRect().height };
        }
        return { key, gone: true };
      };
      const oldest = (() => { let min = null; for (const a of scroller().querySelectorAll('article')) { const k = keyOf(a); if (k !== null && (min === null || k < min)) min = k; } return min; })();
      const oldestBefore = describe(oldest);
      const mid = before[Math.floor(before.length / 2)];
      const signed = [];
      const startCount = scroller().querySelectorAll('article').length;
      let frames = 0, maxShift = 0, seen = 0, maxCount = startCount;
      const perFrame = [];
      const tick = () => {
        const s = scroller();
        let frameMax = 0, matched = 0;
        for (const a of s.querySelectorAll('article')) {
          const k = keyOf(a);
          if (k !== null && tops.has(k)) { matched++; frameMax = Math.max(frameMax, Math.abs(a.getBoundingClientRect().top - tops.get(k))); }
        }
        maxCount = Math.max(maxCount, s.querySelectorAll('article').length);
        if (matched) { seen++; maxShift = Math.max(maxShift, frameMax); }
        perFrame.push(Math.round(frameMax * 10) / 10);
        if (mid) { for (const a of s.querySelectorAll('article')) if (keyOf(a) === mid.key) signed.push(Math.round((a.getBoundingClientRect().top - mid.top) * 10) / 10); }
        if (++frames < frameCount) afterFrame(tick);
        else resolve({ maxShift, anchors: tops.size, framesWithAnchors: seen, frames, pageCount: rec.count, perFrame: perFrame.slice(0, 12), signedMiddle: signed.slice(0, 12), oldestBefore, oldestAfter: describe(oldest), maxArticles: maxCount });
      };
      // The page goes through when this returns; follow it frame by frame, each time after
      // the frame (so after the list's own ResizeObserver corrections, as painted).
      afterFrame(tick);
    };
  });

  /**
   * From now on ("Jump to first message" clicked): waits for the page that holds the
   * room's first message (seq 1) to reach the app, then for the list to hold still
   * (signature unchanged, no DOM mutation) for quietFrames frames. settleMs = first moment
   * of the final, still state − the moment that page arrived; requests = history requests
   * made until then.
   */
  B.measureSettle = (quietFrames, timeoutMs) => new Promise((resolve) => {
    const start = now();
    const from = B.history.length;
    let last = signature(), same = 0, since = now(), changes = 0;
    // Sampled after each frame, so a correction made inside a frame counts where it is painted.
    const tick = () => {
      const final = B.history.slice(from).find((h) => h.firstSeq === 1 && h.delivered !== null);
      const sig = signature();
      if (sig !== last || B.lastMutation >= since) { same = 0; last = sig; since = now(); changes++; }
      else same++;
      if (final && same >= quietFrames && since >= final.delivered) {
        const upTo = B.history.slice(from);
        const requests = upTo.slice(0, upTo.indexOf(final) + 1);
        resolve({ settleMs: since - final.delivered, lastPageAt: final.delivered, stillFrom: since, pages: requests.length, queries: requests.map((h) => (h.before ? 'before' : h.after ? 'after=' + h.after : 'latest')), loadMs: final.delivered - start, changes, sig });
        return;
      }
      if (now() - start > timeoutMs) { resolve({ error: 'timeout', sig, history: B.history.slice(from) }); return; }
      afterFrame(tick);
    };
    afterFrame(tick);
  });

  /** Frame durations (rAF deltas) for ms while idle. */
  B.idleFrames = (ms) => new Promise((resolve) => {
    const deltas = []; let prev = null; const end = now() + ms;
    const tick = (t) => { if (prev !== null) deltas.push(t - prev); prev = t; if (now() < end) requestAnimationFrame(tick); else resolve(deltas); };
    requestAnimationFrame(tick);
  });

  /**
   * Scrolls the message list down by pxPerSecond (scrollTop set in rAF, time-based) for ms,
   * recording frame durations, long tasks and the most articles in the DOM.
   */
  B.scrollRun = (ms, pxPerSecond) => new Promise((resolve) => {
    const s = scroller();
    const deltas = []; let prev = null; let t0 = null; let maxArticles = 0; let maxNodes = 0;
    const startTop = s.scrollTop;
    const ltFrom = B.longTasks.length;
    const start = now();
    const tick = (t) => {
      if (t0 === null) t0 = t;
      if (prev !== null) deltas.push(t - prev);
      prev = t;
      s.scrollTop = startTop + ((t - t0) / 1000) * pxPerSecond;
      maxArticles = Math.max(maxArticles, s.querySelectorAll('article').length);
      if (t - t0 < ms) requestAnimationFrame(tick);
      else {
        // Let the last frame's work land before reading long tasks.
        setTimeout(() => {
          maxNodes = document.getElementsByTagName('*').length;
          resolve({ deltas, startTop, endTop: s.scrollTop, scrollHeight: s.scrollHeight, maxArticles, nodesAtEnd: maxNodes,
            longTasks: B.longTasks.slice(ltFrom).filter((l) => l.start >= start), elapsed: now() - start });
        }, 100);
      }
    };
    requestAnimationFrame(tick);
  });

  B.domCounts = () => {
    const s = scroller();
    return { articles: s ? s.querySelectorAll('article').length : 0, rows: s ? s.querySelectorAll('[data-index]').length : 0, nodes: document.getElementsByTagName('*').length };
  };
}`;
