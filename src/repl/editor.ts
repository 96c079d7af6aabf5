// The text being typed at the prompt and where the cursor is in it. Every
// edit is a function from one state to the next, so the keys' effects can
// be tested without a terminal.

export interface EditorState {
  text: string;
  /** Offset into `text`, from 0 to text.length. */
  cursor: number;
}

export const emptyEditor: EditorState = { text: '', cursor: 0 };

export function atEnd(text: string): EditorState {
  return { text, cursor: text.length };
}

export function insert(state: EditorState, typed: string): EditorState {
  const { text, cursor } = state;
  return {
    text: text.slice(0, cursor) + typed + text.slice(cursor),
    cursor: cursor + typed.length,
  };
}

/** Replace `from`..cursor with `replacement` (completion). */
export function replaceBefore(
  state: EditorState,
  from: number,
  replacement: string,
): EditorState {
  const { text, cursor } = state;
  return {
    text: text.slice(0, from) + replacement + text.slice(cursor),
    cursor: from + replacement.length,
  };
}

export function backspace(state: EditorState): EditorState {
  const { text, cursor } = state;
  if (cursor === 0) return state;
  const width = charBefore(text, cursor).length;
  return {
    text: text.slice(0, cursor - width) + text.slice(cursor),
    cursor: cursor - width,
  };
}

export function deleteForward(state: EditorState): EditorState {
  const { text, cursor } = state;
  if (cursor >= text.length) return state;
  const width = charAt(text, cursor).length;
  return { text: text.slice(0, cursor) + text.slice(cursor + width), cursor };
}

export function left(state: EditorState): EditorState {
  const width = charBefore(state.text, state.cursor).length;
  return { ...state, cursor: state.cursor - width };
}

export function right(state: EditorState): EditorState {
  const width = charAt(state.text, state.cursor).length;
  return { ...state, cursor: state.cursor + width };
}

/** Start of the cursor's line. */
export function home(state: EditorState): EditorState {
  return { ...state, cursor: lineStart(state.text, state.cursor) };
}

/** End of the cursor's line. */
export function end(state: EditorState): EditorState {
  const next = state.text.indexOf('\n', state.cursor);
  return { ...state, cursor: next === -1 ? state.text.length : next };
}

/** Back to the start of the word before the cursor (Ctrl-W deletes it). */
export function deleteWordBefore(state: EditorState): EditorState {
  const { text, cursor } = state;
  let from = cursor;
  while (from > 0 && /\s/.test(text[from - 1]!)) from--;
  while (from > 0 && !/\s/.test(text[from - 1]!)) from--;
  return { text: text.slice(0, from) + text.slice(cursor), cursor: from };
}

/** Delete from the start of the line to the cursor (Ctrl-U). */
export function deleteToLineStart(state: EditorState): EditorState {
  const from = lineStart(state.text, state.cursor);
  return {
    text: state.text.slice(0, from) + state.text.slice(state.cursor),
    cursor: from,
  };
}

/** Delete from the cursor to the end of the line (Ctrl-K). */
export function deleteToLineEnd(state: EditorState): EditorState {
  const to = end(state).cursor;
  return {
    text: state.text.slice(0, state.cursor) + state.text.slice(to),
    cursor: state.cursor,
  };
}

/**
 * The cursor one line up or down, at the same column where it can be;
 * undefined when there is no such line (the arrow then walks history).
 */
export function verticalMove(
  state: EditorState,
  direction: -1 | 1,
): EditorState | undefined {
  const { text, cursor } = state;
  const start = lineStart(text, cursor);
  const column = cursor - start;

  if (direction < 0) {
    if (start === 0) return undefined;
    const previousStart = lineStart(text, start - 1);
    const previousLength = start - 1 - previousStart;
    return { text, cursor: previousStart + Math.min(column, previousLength) };
  }

  const lineEnd = text.indexOf('\n', cursor);
  if (lineEnd === -1) return undefined;
  const nextStart = lineEnd + 1;
  const nextEnd = text.indexOf('\n', nextStart);
  const nextLength = (nextEnd === -1 ? text.length : nextEnd) - nextStart;
  return { text, cursor: nextStart + Math.min(column, nextLength) };
}

export function lineStart(text: string, cursor: number): number {
  return text.lastIndexOf('\n', cursor - 1) + 1;
}

// Surrogate pairs (emoji, rare letters) move and delete as one character.
function charBefore(text: string, cursor: number): string {
  if (cursor <= 0) return '';
  const code = text.charCodeAt(cursor - 1);
  const pair = code >= 0xdc00 && code <= 0xdfff && cursor >= 2;
  return text.slice(pair ? cursor - 2 : cursor - 1, cursor);
}

function charAt(text: string, cursor: number): string {
  if (cursor >= text.length) return '';
  const point = text.codePointAt(cursor)!;
  return String.fromCodePoint(point);
}
