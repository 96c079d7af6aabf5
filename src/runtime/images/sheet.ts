// Pictures of image tables: labelled thumbnails for charts and notebooks,
// the contact sheet PNG that `show` writes, and the escape sequences that
// draw it inline in terminals that can (kitty's graphics protocol,
// iTerm2's inline images, which WezTerm also reads).

import { chartSpec } from '../../charts/index.js';
import { thumbnailUrl, type Thumbnail } from '../../charts/images.js';
import { groupRows, valueLabel } from '../groups.js';
import { renderPng } from '../render/png.js';
import { renderSvg } from '../render/svg.js';
import type { Result } from '../result.js';
import {
  columnNames, columnOf, rowCount, valueAt, type Table,
} from '../table.js';
import type { ImageRef } from './store.js';

/** Images shown in a result's contact sheet. */
export const sheetImages = 20;

/** Small PNG pictures of some rows, labelled, for charts and sheets. */
export function thumbnails(
  table: Table,
  rows: readonly number[],
  refs: readonly ImageRef[],
): Thumbnail[] {
  const names = columnNames(table);
  const labels = names.includes('label') ? columnOf(table, 'label')
    : names.includes('id') ? columnOf(table, 'id') : undefined;
  return rows.map((row) => {
    const ref = refs[row]!;
    return {
      label: labels ? valueLabel(valueAt(labels, row)) : `row ${row + 1}`,
      url: thumbnailUrl(ref.pixels(), ref.width, ref.height,
        ref.channels === 3 ? 3 : 1),
      width: ref.width,
      height: ref.height,
    };
  });
}

/** The first row of each label (up to a sheet), else the first rows. */
export function sampleRows(table: Table): number[] {
  const rows = rowCount(table);
  if (!columnNames(table).includes('label')) {
    return Array.from({ length: Math.min(sheetImages, rows) }, (_, i) => i);
  }
  const grouping = groupRows(table, ['label']);
  const perGroup = Math.max(1, Math.floor(sheetImages /
    Math.max(1, grouping.groups.length)));
  return grouping.groups.flatMap((g) => g.rows.slice(0, perGroup))
    .slice(0, sheetImages);
}

/** A result's contact sheet chart as a PNG, or undefined without one. */
export async function contactSheetPng(result: Result):
Promise<Uint8Array | undefined> {
  const spec = chartSpec(result);
  return spec ? renderPng(await renderSvg(spec), { scale: 2 }) : undefined;
}

export type InlineProtocol = 'kitty' | 'iterm';

/**
 * How this terminal shows pictures inline, if it can. Only a script run
 * from the command line prints straight to the terminal; the REPL lays
 * text out in boxes that would cut an image's escape sequence, and
 * notebooks show the result's contact sheet chart instead.
 */
export function inlineProtocol(printsToTerminal: boolean):
InlineProtocol | undefined {
  if (!printsToTerminal || !process.stdout.isTTY) return undefined;
  const env = process.env;
  if (env.TERM === 'xterm-kitty' || env.KITTY_WINDOW_ID) return 'kitty';
  if (env.TERM_PROGRAM === 'iTerm.app' || env.LC_TERMINAL === 'iTerm2' ||
      env.TERM_PROGRAM === 'WezTerm') return 'iterm';
  return undefined;
}

/** The escape sequence that draws a PNG in the terminal. */
export function inlineImage(png: Uint8Array, protocol: InlineProtocol):
string {
  const data = Buffer.from(png).toString('base64');
  if (protocol === 'iterm') {
    return `\x1b]1337;File=inline=1;size=${png.length};` +
      `preserveAspectRatio=1:${data}\x07`;
  }
  // Kitty takes the image in chunks of at most 4096 base64 characters.
  const parts: string[] = [];
  for (let at = 0; at < data.length; at += 4096) {
    const more = at + 4096 < data.length ? 1 : 0;
    const keys = at === 0 ? `a=T,f=100,m=${more}` : `m=${more}`;
    parts.push(`\x1b_G${keys};${data.slice(at, at + 4096)}\x1b\\`);
  }
  return parts.join('');
}
