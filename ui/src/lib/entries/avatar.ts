// Letter avatars: a square with the entry's first letter, coloured by the system it belongs to, so
// that the same CRM looks the same in every row and on every laptop (no favicons fetched).

/**
 * Background colours for white letters. Each gives white text at least 4.5:1 (checked by a test), and
 * they are far enough apart in hue to tell neighbouring rows apart.
 */
export const AVATAR_PALETTE: readonly string[] = [
  '#1f5fbf', // blue
  '#0f7a6b', // teal
  '#2e7d32', // green
  '#8a5a00', // amber
  '#b3361b', // brick
  '#a0226e', // magenta
  '#6a3fb5', // violet
  '#3d5a80', // slate
  '#00738a', // cyan
  '#7a4f2e', // brown
  '#b0324f', // raspberry
  '#4a6318', // olive
];

/** The host of the first URL without "www.", or '' when it has none. */
export function systemHost(url: string): string {
  const raw = url.trim();
  if (raw === '') return '';
  let host: string;
  try {
    host = new URL(raw.includes('://') ? raw : `https://${raw}`).hostname;
  } catch {
    return '';
  }
  return host.toLowerCase().replace(/^www\./, '');
}

/** FNV-1a over UTF-16 code units: stable across runs, machines and JS engines. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The avatar's colour: by the site's host, so every account on one system shares it; else by title. */
export function avatarColour(title: string, url: string): string {
  const key = systemHost(url) || title.trim().toLowerCase();
  return AVATAR_PALETTE[hash(key) % AVATAR_PALETTE.length];
}

/** The first letter, digit or Han character of the title, upper-cased; '#' for a title with none. */
export function avatarLetter(title: string): string {
  const m = /[\p{L}\p{N}]/u.exec(title);
  if (!m) return '#';
  return m[0].toLocaleUpperCase();
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/** WCAG contrast ratio between two #rrggbb colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
