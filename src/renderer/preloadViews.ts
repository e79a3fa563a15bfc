// Runs in: Node, inside Vite's config (not in the page). main.tsx loads the views
// (mountApp.tsx) with a dynamic import so the session can start first; left alone, the
// browser would ask for that chunk only once the entry has run. This plugin names the
// chunk in index.html as a modulepreload, so it downloads (and compiles) beside the entry.
// Plain object (no import from 'vite'), like devCsp.ts.

interface OutputItem {
  type: 'chunk' | 'asset';
  fileName: string;
  /** The modules bundled into a chunk (a dynamic import's chunk has no facade module when it shares code). */
  moduleIds?: string[];
}

export function preloadViews(module = 'mountApp.tsx') {
  return {
    name: 'parley-preload-views',
    apply: 'build' as const,
    transformIndexHtml: {
      order: 'post' as const,
      handler(_html: string, ctx: { bundle?: Record<string, OutputItem> }) {
        const chunk = Object.values(ctx.bundle ?? {}).find((item) => item.type === 'chunk' && item.moduleIds?.some((id) => id.endsWith(`/${module}`)));
        if (!chunk) throw new Error(`preloadViews: the build has no chunk for ${module}`);
        return [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${chunk.fileName}` }, injectTo: 'head' as const }];
      },
    },
  };
}
