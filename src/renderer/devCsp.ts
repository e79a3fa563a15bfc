// Runs in: Node, inside Vite's config (not in the page). index.html carries a strict CSP
// (no inline scripts or styles). Vite's dev server needs both: the React Fast Refresh
// preamble is an inline script and CSS arrives as <style> tags. This plugin loosens the
// policy for the dev server only; builds keep index.html's policy untouched.
// Plain object (no import from 'vite'), so the renderer's type-check stays free of Node types.

export function devCsp() {
  return {
    name: 'parley-dev-csp',
    apply: 'serve' as const,
    transformIndexHtml(html: string): string {
      return html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
    },
  };
}
