import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

// Noto Sans CJK's ’ “ ” are full-width ("aujourd’ hui"): Latin text and punctuation must come from the UI's
// own font, shipped with the app, and a CJK font may only draw CJK code points.
const css = readFileSync(resolve(__dirname, '../styles/fonts.css'), 'utf8');
const faces = [...css.matchAll(/@font-face\s*{([^}]*)}/g)].map((m) => m[1]);
const prop = (face: string, name: string) => new RegExp(`${name}:\\s*([^;]*);`).exec(face)?.[1].trim() ?? '';

/** The code point ranges of a unicode-range value. */
function ranges(value: string): [number, number][] {
  return value.split(',').map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, '').split('-');
    return [parseInt(from, 16), parseInt(to ?? from, 16)];
  });
}
const covers = (face: string, c: string) => ranges(prop(face, 'unicode-range')).some(([a, b]) => c.codePointAt(0)! >= a && c.codePointAt(0)! <= b);
const PUNCTUATION = ['’', '‘', '“', '”', '«', '»', '…', '–', 'é', 'A'];

describe('the UI font', () => {
  it('is shipped with the app (a woff2 file, never the network) and draws Latin letters and punctuation', () => {
    const family = /--font-latin:\s*'([^']+)'/.exec(css)?.[1];
    const own = faces.filter((f) => prop(f, 'font-family') === `'${family}'`);
    expect(own.length).toBeGreaterThan(0);
    for (const f of own) expect(prop(f, 'src')).toMatch(/^url\('@fontsource-variable\/inter\/files\/[^']+\.woff2'\)/);
    for (const c of PUNCTUATION) expect(own.some((f) => covers(f, c)), `${c} drawn by ${family}`).toBe(true);
    expect(/--font:\s*var\(--font-latin\)/.test(css), 'the UI font comes first').toBe(true);
  });

  it('lets a CJK font draw only CJK text', () => {
    const cjk = faces.filter((f) => /CJK|PingFang|YaHei|Hiragino/.test(prop(f, 'src')));
    expect(cjk.length).toBeGreaterThanOrEqual(8);
    for (const f of cjk) {
      expect(prop(f, 'unicode-range'), prop(f, 'font-family')).not.toBe('');
      for (const c of PUNCTUATION) expect(covers(f, c), `${c} kept from ${prop(f, 'font-family')}`).toBe(false);
      expect(covers(f, '東')).toBe(true);
    }
    // No CJK family is named directly in a stack, where it would draw whatever the UI font lacks.
    for (const stack of css.matchAll(/(?:--font[-a-z]*|--mono|font-family):\s*([^;]*);/g)) {
      expect(stack[1]).not.toMatch(/Noto Sans CJK|PingFang|YaHei|Hiragino/);
    }
  });
});
