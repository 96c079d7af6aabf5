// Reading a rendered chart back: the marks vega drew, by the name the
// chart gave them, and the axis titles. Vega's SVG puts each named mark
// in <g class="mark-TYPE role-mark NAME_marks"> with one element per
// mark inside, so a regular expression is enough for these checks.

import sharp from 'sharp';

export interface Mark {
  /** `d` of a path, with the bar's position and size read from it. */
  d?: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  fill?: string;
  label?: string;
  text?: string;
}

const number = String.raw`(-?[\d.]+(?:e-?\d+)?)`;

/** Every mark drawn under a name, in drawing order; [] when none. */
export function marks(svg: string, name: string): Mark[] {
  const found: Mark[] = [];
  const group = new RegExp(
    `<g class="mark-(\\w+) role-mark ${name}_marks"[^>]*>(.*?)</g>`, 'gs');
  for (const [, , inner] of svg.matchAll(group)) {
    const element =
      /<(path|line|text|image|rect)\b([^>]*?)(?:\/>|>(.*?)<\/\1>)/gs;
    for (const [, , attributes, content] of inner!.matchAll(element)) {
      const attr = (key: string) =>
        new RegExp(`\\s${key}="([^"]*)"`).exec(attributes!)?.[1];
      const mark: Mark = {};
      const d = attr('d');
      if (d) {
        mark.d = d;
        // A bar: M x,y h width v height ...
        const bar = new RegExp(`^M${number},${number}h${number}v${number}`)
          .exec(d);
        if (bar) {
          mark.x = Number(bar[1]);
          mark.y = Number(bar[2]);
          mark.width = Number(bar[3]);
          mark.height = Number(bar[4]);
        }
      }
      const moved = new RegExp(`^translate\\(${number},${number}\\)`)
        .exec(attr('transform') ?? '');
      if (moved && mark.x === undefined) {
        mark.x = Number(moved[1]);
        mark.y = Number(moved[2]);
      }
      const fill = attr('fill');
      if (fill) mark.fill = fill;
      const label = attr('aria-label');
      if (label) mark.label = label;
      if (content !== undefined) mark.text = content;
      found.push(mark);
    }
  }
  return found;
}

/** The axis titles of a chart, in drawing order. */
export function axisTitles(svg: string): string[] {
  const titles = /role-axis-title"[^>]*><text[^>]*>([^<]*)<\/text>/g;
  return [...svg.matchAll(titles)].map((m) => unescape(m[1]!));
}

/** The chart's title and subtitle lines. */
export function chartTitles(svg: string): string[] {
  const titles = /role-title-(?:text|subtitle)"[^>]*>(.*?)<\/g>/gs;
  const texts: string[] = [];
  for (const [, inner] of svg.matchAll(titles)) {
    for (const [, text] of inner!.matchAll(/>([^<>]+)<\/t(?:ext|span)>/g)) {
      texts.push(unescape(text!));
    }
  }
  return texts;
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

export interface PngFacts {
  width: number;
  height: number;
  /** Pixels of exactly this colour (#rrggbb). */
  pixels(colour: string): number;
  /** Pixels that are not white: how much was drawn. */
  inked(): number;
}

/** Decode a PNG (with sharp, a second decoder beside resvg's encoder). */
export async function readPng(png: Uint8Array): Promise<PngFacts> {
  const image = sharp(png).removeAlpha();
  const { data, info } = await image.raw().toBuffer({
    resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    pixels(colour: string) {
      const r = parseInt(colour.slice(1, 3), 16);
      const g = parseInt(colour.slice(3, 5), 16);
      const b = parseInt(colour.slice(5, 7), 16);
      let count = 0;
      for (let i = 0; i < data.length; i += info.channels) {
        if (data[i] === r && data[i + 1] === g && data[i + 2] === b) count++;
      }
      return count;
    },
    inked() {
      let count = 0;
      for (let i = 0; i < data.length; i += info.channels) {
        if (data[i] !== 255 || data[i + 1] !== 255 || data[i + 2] !== 255) {
          count++;
        }
      }
      return count;
    },
  };
}
