// The prompt: highlighted text over one or more lines, with the cursor
// drawn as an inverted cell. `fair>` starts the first line and `...` the
// lines of a statement that continues.

import { Box, Text } from 'ink';
import type { Segment, Style } from './highlight.js';

export const promptText = 'fair> ';
export const continuationText = '  ... ';

type Look = {
  color?: string;
  bold?: boolean;
  underline?: boolean;
  dimColor?: boolean;
};

const looks: Record<Style, Look> = {
  plain: {},
  verb: { color: 'blueBright', bold: true },
  keyword: { color: 'magenta' },
  string: { color: 'green' },
  number: { color: 'yellow' },
  table: { color: 'cyan', bold: true },
  column: { color: 'cyan' },
  comment: { color: 'gray' },
  error: { color: 'red', underline: true },
};

interface Piece extends Segment {
  cursor?: boolean;
}

/**
 * Segments cut into lines, with the character under the cursor (or a
 * space after the end of a line) as a piece of its own.
 */
export function layout(segments: readonly Segment[], cursor?: number):
Piece[][] {
  const lines: Piece[][] = [[]];
  let offset = 0;
  let cursorDrawn = cursor === undefined;

  const push = (piece: Piece) => lines[lines.length - 1]!.push(piece);
  for (const segment of segments) {
    for (const char of segment.text) {
      const atCursor = offset === cursor;
      if (char === '\n') {
        if (atCursor) {
          push({ text: ' ', style: 'plain', cursor: true });
          cursorDrawn = true;
        }
        lines.push([]);
      } else if (atCursor) {
        push({ text: char, style: segment.style, cursor: true });
        cursorDrawn = true;
      } else {
        const line = lines[lines.length - 1]!;
        const last = line[line.length - 1];
        if (last && !last.cursor && last.style === segment.style) {
          last.text += char;
        } else {
          push({ text: char, style: segment.style });
        }
      }
      offset += char.length;
    }
  }
  if (!cursorDrawn) push({ text: ' ', style: 'plain', cursor: true });
  return lines;
}

export function Highlighted({ segments, cursor }: {
  segments: readonly Segment[];
  cursor?: number;
}) {
  const lines = layout(segments, cursor);
  return (
    <Box flexDirection="column">
      {lines.map((line, i) => (
        <Text key={i}>
          <Text color="blue" bold>
            {i === 0 ? promptText : continuationText}
          </Text>
          {line.map((piece, j) => (
            <Text key={j} {...looks[piece.style]} inverse={piece.cursor}>
              {piece.text}
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}

export function Prompt({ segments, cursor }: {
  segments: readonly Segment[];
  cursor: number;
}) {
  return <Highlighted segments={segments} cursor={cursor} />;
}
