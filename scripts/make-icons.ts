// Draws Parley's icons as SVG and renders them to PNG with Chromium (playwright-core):
//   resources/icon.png                512x512 app icon (electron-builder, window icon)
//   resources/tray/tray.png           the tray icon, nothing unread
//   resources/tray/tray-1..9.png      the unread count drawn in the icon
//   resources/tray/tray-9plus.png     ten or more unread
//   resources/tray/tray-signed-out.png  grey: signed out or session expired
//   src/renderer/public/favicon.png   the web build's tab icon (the brand mark), 64x64: a
//                                     PNG, because an SVG favicon is parsed on the page's
//                                     main thread (~20 ms, while the app starts)
// The count is drawn large, in a red disc over most of the bubble, so it still reads at
// the 16-24px a tray shows. Tray icons are 32x32 with a 64x64 @2x twin (Electron picks it on high-DPI screens).
// The PNGs are committed; run this again only after changing the drawing:
//   npx tsx scripts/make-icons.ts   (needs Chromium: apt-get install -y chromium)
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../tests/support/chromium.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resources = path.join(root, 'resources');
const trayDir = path.join(resources, 'tray');
const publicDir = path.join(root, 'src/renderer/public');

const INDIGO = '#4f46e5';
const RED = '#dc2626';
const GREY = '#6b7280';
const FONT = "'DejaVu Sans', 'Liberation Sans', Arial, sans-serif";

/** The chat bubble with three dots, on a 64x64 grid. */
function bubble(fill: string, dots: string): string {
  return `
    <path d="M14 6h36a12 12 0 0 1 12 12v20a12 12 0 0 1-12 12H30l-14 11v-11h-2A12 12 0 0 1 2 38V18A12 12 0 0 1 14 6z" fill="${fill}"/>
    <circle cx="19" cy="28" r="5" fill="${dots}"/><circle cx="32" cy="28" r="5" fill="${dots}"/><circle cx="45" cy="28" r="5" fill="${dots}"/>`;
}

function traySvg(label: string | null): string {
  const badge =
    label === null
      ? ''
      : `<circle cx="41" cy="41" r="23" fill="${RED}" stroke="#ffffff" stroke-width="2.5"/>
         <text x="41" y="41" dy="0.36em" text-anchor="middle" font-family="${FONT}" font-weight="700"
               font-size="${label.length > 1 ? 26 : 34}" letter-spacing="${label.length > 1 ? -2 : 0}" fill="#ffffff">${label}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">${bubble(INDIGO, '#ffffff')}${badge}</svg>`;
}

function signedOutSvg(): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
    <path d="M14 9h36a9 9 0 0 1 9 9v20a9 9 0 0 1-9 9H29l-10 8v-8h-5A9 9 0 0 1 5 38V18A9 9 0 0 1 14 9z"
          fill="#e5e7eb" stroke="${GREY}" stroke-width="5" stroke-linejoin="round"/>
    <circle cx="19" cy="28" r="4.5" fill="${GREY}"/><circle cx="32" cy="28" r="4.5" fill="${GREY}"/><circle cx="45" cy="28" r="4.5" fill="${GREY}"/>
  </svg>`;
}

function appIconSvg(): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#6366f1"/><stop offset="1" stop-color="#4338ca"/></linearGradient></defs>
    <rect x="16" y="16" width="480" height="480" rx="108" fill="url(#g)"/>
    <g transform="translate(96 104) scale(5)">${bubble('#ffffff', INDIGO)}</g>
  </svg>`;
}

/** The sidebar's brand mark: a "P" on the accent colour, on a 32x32 grid. */
function faviconSvg(): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
    <rect width="32" height="32" rx="9" fill="#5b5bd6"/>
    <text x="16" y="22.5" font-family="${FONT}" font-size="18" font-weight="800" fill="#ffffff" text-anchor="middle">P</text>
  </svg>`;
}

async function main() {
  mkdirSync(trayDir, { recursive: true });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const render = async (svg: string, size: number, file: string) => {
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">
           <div id="icon" style="width:${size}px;height:${size}px">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</div>
         </body></html>`,
      );
      await page.locator('#icon').screenshot({ path: file, omitBackground: true });
      console.log(path.relative(root, file));
    };
    const trayIcons: Array<[string, string]> = [
      ['tray', traySvg(null)],
      ...Array.from({ length: 9 }, (_, i): [string, string] => [`tray-${i + 1}`, traySvg(String(i + 1))]),
      ['tray-9plus', traySvg('9+')],
      ['tray-signed-out', signedOutSvg()],
    ];
    for (const [name, svg] of trayIcons) {
      await render(svg, 32, path.join(trayDir, `${name}.png`));
      await render(svg, 64, path.join(trayDir, `${name}@2x.png`));
    }
    await render(appIconSvg(), 512, path.join(resources, 'icon.png'));
    mkdirSync(publicDir, { recursive: true });
    await render(faviconSvg(), 64, path.join(publicDir, 'favicon.png'));
  } finally {
    await browser.close();
  }
}

await main();
