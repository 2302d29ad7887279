// A badge as a small, well-formed SVG in shields.io's flat style: a grey label, a coloured message.
// Text is escaped for XML, and characters XML 1.0 cannot hold at all (control characters, U+FFFE/F)
// become spaces or U+FFFD, so any agent name gives a document every parser accepts.
import type { Badge, BadgeColor } from './badge.ts';

export const SVG_CONTENT_TYPE = 'image/svg+xml; charset=utf-8';

const HEX: Record<BadgeColor, string> = {
  brightgreen: '#4c1',
  yellow: '#dfb317',
  orange: '#fe7d37',
  red: '#e05d44',
  lightgrey: '#9f9f9f',
};

/** Text that is safe inside an XML element or a double-quoted attribute. */
export function xmlText(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/[\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Approximate width in pixels of text in 11 px Verdana (what shields.io measures precisely). */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    if (/[ijl.,:;|!'`\s]/.test(char)) width += 3.5;
    else if (/[mwMW@%]/.test(char)) width += 10;
    else if (/[A-Z0-9]/.test(char)) width += 7.5;
    else width += 6.5;
  }
  return Math.ceil(width);
}

export function renderBadgeSvg(badge: Badge): string {
  const pad = 6;
  const labelWidth = textWidth(badge.label) + 2 * pad;
  const messageWidth = textWidth(badge.message) + 2 * pad;
  const width = labelWidth + messageWidth;
  const label = xmlText(badge.label);
  const message = xmlText(badge.message);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${label}: ${message}">`,
    `<title>${label}: ${message}</title>`,
    '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>',
    `<clipPath id="r"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)"><rect width="${labelWidth}" height="20" fill="#555"/><rect x="${labelWidth}" width="${messageWidth}" height="20" fill="${HEX[badge.color]}"/><rect width="${width}" height="20" fill="url(#s)"/></g>`,
    '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">',
    `<text x="${labelWidth / 2}" y="15" fill="#010101" fill-opacity=".3">${label}</text><text x="${labelWidth / 2}" y="14">${label}</text>`,
    `<text x="${labelWidth + messageWidth / 2}" y="15" fill="#010101" fill-opacity=".3">${message}</text><text x="${labelWidth + messageWidth / 2}" y="14">${message}</text>`,
    '</g></svg>',
  ].join('');
}
